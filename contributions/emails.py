"""Emails to donors: receipts, lapsed notices, authentication requests, manage links.

Each is one message to the contributor, in the site's language, with a text part and a plain
HTML part rendered from contributions/templates/contributions/email/. No images, no tracking
pixels, no redirecting links: every link points at SITE_URL, so opening or reading a message
tells no one else anything.
"""

from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contributions.manage import MANAGE_MAX_AGE, manage_token
from contributions.models import Frequency, LedgerEntry, Payment
from contributions.money import Money
from newsroom.models import NewsroomSettings

AUTHENTICATE_SALT = "readerfund.authenticate"
AUTHENTICATE_MAX_AGE = timedelta(days=7)
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
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "amount": payment.money.format(),
            "paid_on": _paid_on(payment),
            "frequency": FREQUENCY_PHRASES[contribution.frequency],
            "next_payment_on": contribution.next_charge_on if contribution.is_recurring else None,
            "receipt_number": receipt_number(payment),
            "manage_url": f"{settings.SITE_URL}{reverse('contributions:manage')}",
        }
        subject = _("Your receipt from %(newsroom)s")
        _send("receipt", contribution, context, subject=subject, connection=connection)


def send_refund_notice(refund) -> None:
    """Tell the donor money went back to them (the provider is never given their address,
    so it cannot tell them)."""
    payment = refund.payment
    contribution = payment.contribution
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "amount": Money(refund.amount, refund.currency).format(),
            "paid_on": _paid_on(payment),
            "receipt_number": receipt_number(payment),
            "offline": contribution.provider == "offline",
        }
        subject = _("%(newsroom)s has refunded your payment")
        _send("refund_notice", contribution, context, subject=subject)


def send_lapsed_notice(contribution) -> None:
    """Tell the donor their recurring contribution stopped after its payments failed."""
    gift = Money(contribution.amount, contribution.currency)
    query = urlencode(
        {"frequency": contribution.frequency, "amount": gift.major, "currency": gift.currency}
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "amount": gift.format(),
            "frequency": FREQUENCY_PHRASES[contribution.frequency],
            "restart_url": f"{settings.SITE_URL}{reverse('contributions:support')}?{query}",
        }
        subject = _("Your contribution to %(newsroom)s has stopped")
        _send("lapsed_notice", contribution, context, subject=subject)


def send_authentication_request(payment: Payment) -> None:
    """Ask the donor to confirm a renewal their bank held back (3-D Secure and the like)."""
    path = reverse("contributions:authenticate", args=[authentication_token(payment)])
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "amount": payment.money.format(),
            "authenticate_url": f"{settings.SITE_URL}{path}",
            "valid_days": AUTHENTICATE_MAX_AGE.days,
        }
        subject = _("Please confirm your payment to %(newsroom)s")
        _send("authentication_request", payment.contribution, context, subject=subject)


def send_manage_link(contributor) -> None:
    """Email the donor the link to the page where they manage their contributions."""
    path = reverse("contributions:manage-contributions", args=[manage_token(contributor)])
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "manage_url": f"{settings.SITE_URL}{path}",
            "valid_hours": int(MANAGE_MAX_AGE.total_seconds() // 3600),
        }
        subject = _("Your link to manage your contributions to %(newsroom)s")
        # Addressed as "Dear reader": the greeting names no one in a message about access.
        greeting = SimpleNamespace(contributor=contributor, anonymous=True)
        _send("manage_link", greeting, context, subject=subject)


def authentication_token(payment: Payment) -> str:
    """A signed token naming the payment, for the link in the authentication request."""
    return signing.dumps({"payment": payment.pk}, salt=AUTHENTICATE_SALT)


def payment_from_token(token: str, max_age: timedelta = AUTHENTICATE_MAX_AGE) -> Payment | None:
    """The payment a token names; None if the token was changed, has expired, or the
    payment is gone."""
    try:
        data = signing.loads(token, salt=AUTHENTICATE_SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("payment"), int):
        return None
    return (
        Payment.objects.select_related("contribution__contributor")
        .filter(pk=data["payment"])
        .first()
    )


def receipt_number(payment: Payment) -> str:
    return f"RF-{payment.pk:08d}"


def _paid_on(payment: Payment) -> date:
    """When the money moved (the charge's ledger entry), else the day the payment was due."""
    charge = payment.ledger.filter(kind=LedgerEntry.Kind.CHARGE).order_by("occurred_at").first()
    return timezone.localdate(charge.occurred_at) if charge else payment.due_on


def _send(template: str, contribution, context: dict, *, subject: str, connection=None) -> None:
    """Render template's .txt and .html for the contributor and send them as one message.
    Call inside translation.override: subject's %(newsroom)s is filled in here."""
    contributor = contribution.contributor
    newsroom = newsroom_identity()
    subject = subject % {"newsroom": newsroom["name"]}
    context = {
        **context,
        "subject": subject,
        "newsroom": newsroom,
        "name": None if contribution.anonymous else (contributor.name or None),
        "site_url": settings.SITE_URL,
    }
    prefix = f"contributions/email/{template}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{prefix}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contributor.email],
        headers=HEADERS,
        connection=connection,
    )
    message.attach_alternative(render_to_string(f"{prefix}.html", context), "text/html")
    message.send()


def newsroom_identity() -> dict:
    """The default site's newsroom name and legal name; the site name when none is set up."""
    found = NewsroomSettings.objects.filter(site__is_default_site=True).first()
    name = found.name if found else settings.WAGTAIL_SITE_NAME
    legal_name = found.legal_name if found else ""
    return {"name": name, "legal_name": legal_name if legal_name != name else ""}
