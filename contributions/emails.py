"""Emails to donors: receipts, lapsed notices, authentication requests, manage links.

Each is one message to the contributor, in the language of the page they gave from (the
contribution's `language`; the site's for gifts recorded before it was kept), with a text
part and a plain HTML part rendered from contributions/templates/contributions/email/. No
images, no tracking pixels, no redirecting links: every link points at SITE_URL, so opening
or reading a message tells no one else anything.
"""

from email.utils import formataddr, parseaddr
from types import SimpleNamespace
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contributions.authentication import AUTHENTICATE_MAX_AGE, authentication_token
from contributions.manage import MANAGE_MAX_AGE, issue_link
from contributions.models import Frequency, Payment
from contributions.money import Money
from contributions.receipts import paid_on, receipt_number
from newsroom import brand
from newsroom.models import NewsroomSettings, edition_words

HEADERS = {"Auto-Submitted": "auto-generated"}  # RFC 3834: no auto-replies, please
FREQUENCY_PHRASES = {
    Frequency.ONCE: gettext_lazy("once"),
    Frequency.MONTHLY: gettext_lazy("every month"),
    Frequency.ANNUAL: gettext_lazy("every year"),
}


def send_receipt(payment: Payment, *, connection=None) -> None:
    """Thank the donor for a succeeded payment and give them its receipt (over
    `connection` when given: one SMTP session for a batch of receipts)."""
    contribution = payment.contribution
    with translation.override(language_of(contribution)):
        context = {
            "amount": payment.money.format(),
            "paid_on": paid_on(payment),
            "frequency": FREQUENCY_PHRASES[contribution.frequency],
            "next_payment_on": contribution.next_charge_on if contribution.is_recurring else None,
            "receipt_number": receipt_number(payment),
            "manage_url": f"{settings.SITE_URL}{reverse('contributions:manage')}",
            "fee": Money(contribution.fee_amount, payment.currency).format()
            if contribution.fee_amount
            else None,
            "recurring": contribution.is_recurring,
            "card": (contribution.card_brand, contribution.card_last4)
            if contribution.card_last4
            else None,
        }
        subject = _("Your receipt from %(newsroom)s")
        _send("receipt", contribution, context, subject=subject, connection=connection)


def send_refund_notice(refund) -> None:
    """Tell the donor money went back to them (the provider is never given their address,
    so it cannot tell them)."""
    payment = refund.payment
    contribution = payment.contribution
    with translation.override(language_of(contribution)):
        context = {
            "amount": Money(refund.amount, refund.currency).format(),
            "paid_on": paid_on(payment),
            "receipt_number": receipt_number(payment),
            "offline": contribution.provider == "offline",
        }
        subject = _("%(newsroom)s has refunded your payment")
        _send("refund_notice", contribution, context, subject=subject)


def _give_again_url(contribution) -> str:
    """/support/ with the gift's frequency, amount and currency already chosen."""
    gift = Money(contribution.amount, contribution.currency)
    query = urlencode(
        {"frequency": contribution.frequency, "amount": gift.major, "currency": gift.currency}
    )
    return f"{settings.SITE_URL}{reverse('contributions:support')}?{query}"


def send_lapsed_notice(contribution) -> None:
    """Tell the donor their recurring contribution stopped after its payments failed."""
    gift = Money(contribution.amount, contribution.currency)
    with translation.override(language_of(contribution)):
        context = {
            "amount": gift.format(),
            "frequency": FREQUENCY_PHRASES[contribution.frequency],
            "restart_url": _give_again_url(contribution),
        }
        subject = _("Your contribution to %(newsroom)s has stopped")
        _send("lapsed_notice", contribution, context, subject=subject)


def send_way_closed_notice(contribution, way: str) -> None:
    """Tell a recurring donor that the way they give (`way`, the provider's name as readers
    know it) is switched off: their contribution is paused, and they may give another way.
    Nothing moves by itself: it is their choice."""
    gift = Money(contribution.amount, contribution.currency)
    with translation.override(language_of(contribution)):
        context = {
            "amount": gift.format(),
            "frequency": FREQUENCY_PHRASES[contribution.frequency],
            "way": way,
            "restart_url": _give_again_url(contribution),
        }
        subject = _("Your contribution to %(newsroom)s is paused")
        _send("way_closed_notice", contribution, context, subject=subject)


def send_stop_notice(contribution) -> None:
    """Confirm a recurring contribution the donor stopped from their manage page."""
    with translation.override(language_of(contribution)):
        context = {
            "amount": contribution.per_period.format(),
            "frequency": FREQUENCY_PHRASES[contribution.frequency],
            "restart_url": f"{settings.SITE_URL}{reverse('contributions:support')}",
        }
        subject = _("Your contribution to %(newsroom)s is stopped")
        _send("stop_notice", contribution, context, subject=subject)


def send_change_notice(contribution) -> None:
    """Confirm a recurring contribution the donor changed, resumed or restarted: what is
    charged from now on, and when next."""
    with translation.override(language_of(contribution)):
        context = {
            "amount": contribution.per_period.format(),
            "frequency": FREQUENCY_PHRASES[contribution.frequency],
            "next_payment_on": contribution.next_charge_on,
            "manage_url": f"{settings.SITE_URL}{reverse('contributions:manage')}",
        }
        subject = _("Your contribution to %(newsroom)s has changed")
        _send("change_notice", contribution, context, subject=subject)


def send_renewal_notice(contribution) -> None:
    """Tell an annual donor, a week before, what will be charged and when, and where to
    change or stop it."""
    with translation.override(language_of(contribution)):
        context = {
            "amount": contribution.per_period.format(),
            "next_payment_on": contribution.next_charge_on,
            "manage_url": f"{settings.SITE_URL}{reverse('contributions:manage')}",
            "card": (contribution.card_brand, contribution.card_last4)
            if contribution.card_last4
            else None,
        }
        subject = _("Your annual contribution to %(newsroom)s renews soon")
        _send("renewal_notice", contribution, context, subject=subject)


def send_authentication_request(payment: Payment, *, pays_elsewhere: bool = False) -> None:
    """Ask the donor to confirm a renewal their bank held back (3-D Secure and the like),
    or, for a way where the donor pays on the provider's page (`pays_elsewhere`: a crypto
    invoice), tell them their gift is due, with the link to pay it."""
    with translation.override(language_of(payment.contribution)):
        # In the edition the donor gave from: /ru/support/authenticate/… for a Russian gift.
        path = reverse("contributions:authenticate", args=[authentication_token(payment)])
        context = {
            "amount": payment.money.format(),
            "frequency": FREQUENCY_PHRASES[payment.contribution.frequency],
            "authenticate_url": f"{settings.SITE_URL}{path}",
            "valid_days": AUTHENTICATE_MAX_AGE.days,
        }
        if pays_elsewhere:
            subject = _("Your gift to %(newsroom)s is due")
            _send("gift_due", payment.contribution, context, subject=subject)
            return
        subject = _("Please confirm your payment to %(newsroom)s")
        _send("authentication_request", payment.contribution, context, subject=subject)


def send_manage_link(contributor) -> None:
    """Email the donor the link to the page where they manage their contributions."""
    latest = contributor.contributions.order_by("-created_at").first()
    with translation.override(language_of(latest)):
        path = reverse("contributions:manage-open", args=[issue_link(contributor)])
        context = {
            "manage_url": f"{settings.SITE_URL}{path}",
            "valid_hours": int(MANAGE_MAX_AGE.total_seconds() // 3600),
        }
        subject = _("Your link to manage your contributions to %(newsroom)s")
        # Addressed as "Dear reader": the greeting names no one in a message about access.
        greeting = SimpleNamespace(contributor=contributor, anonymous=True)
        _send("manage_link", greeting, context, subject=subject)


def language_of(contribution) -> str:
    """The language to write to the donor in: the one they gave in, if the site still
    speaks it, else the site's."""
    language = getattr(contribution, "language", "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _send(template: str, contribution, context: dict, *, subject: str, connection=None) -> None:
    """Render template's .txt and .html for the contributor and send them as one message.
    Call inside translation.override: subject's %(newsroom)s is filled in here. Nothing
    goes to a donor erased since the message was queued."""
    contributor = contribution.contributor
    if contributor.is_erased or not contributor.email:
        return
    newsroom = newsroom_identity()
    subject = subject % {"newsroom": newsroom["name"]}
    context = {
        **context,
        "subject": subject,
        "newsroom": newsroom,
        "name": _name(contribution),
        "site_url": settings.SITE_URL,
    }
    prefix = f"contributions/email/{template}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{prefix}.txt", context),
        from_email=sender(newsroom),
        to=[contributor.email],
        headers=HEADERS,
        connection=connection,
    )
    message.attach_alternative(render_to_string(f"{prefix}.html", context), "text/html")
    message.send()


def _name(contribution) -> str | None:
    """The name to greet: the one given with this gift, else the donor's (for gifts made
    before names belonged to gifts); none for an anonymous gift."""
    if contribution.anonymous:
        return None
    return getattr(contribution, "name", None) or contribution.contributor.name or None


def newsroom_identity() -> dict:
    """The default site's newsroom name and legal name in the active edition's words (the
    donor's: emails are written inside `translation.override`); the site name when none is
    set up."""
    found = NewsroomSettings.objects.filter(site__is_default_site=True).first()
    if found is not None:
        found = edition_words(found)
    name = found.name if found else settings.WAGTAIL_SITE_NAME
    legal_name = found.legal_name if found else ""
    return {
        "name": name,
        "legal_name": legal_name if legal_name != name else "",
        "accent": brand.ACCENT,  # buttons and links in the newsroom's colour, as on its site
        "accent_ink": brand.ACCENT_INK,
    }


def sender(newsroom: dict) -> str:
    """Who the donor sees an email from: the newsroom's name on READERFUND_FROM_EMAIL's
    address, unless the operator gave that address a name of its own."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return settings.DEFAULT_FROM_EMAIL if name else formataddr((newsroom["name"], address))
