"""The reminder email: the newsroom's letter, a button to /support/ prefilled with what the
reader chose, and a one-click unsubscribe (RFC 8058) that erases their address.

Like the donor emails (contributions/emails.py): the site's language, a text and a plain HTML
part, no images, no tracking, every link to SITE_URL.
"""

import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from contributions.emails import HEADERS, _newsroom
from contributions.models import Frequency
from contributions.money import Money
from contributions.templatetags.giving import GIVE_PHRASES
from reminders.models import Reminder, ReminderSettings


@dataclass(frozen=True)
class Letter:
    """What every reminder of a run says; rendered once, inside translation.override."""

    subject: str
    newsroom: dict
    paragraphs: list[str]


def letter() -> Letter:
    newsroom = _newsroom()
    text = _staff_letter() or _(
        "You asked us to remind you today about supporting %(newsroom)s.\n\n"
        "We publish without ads and without trackers, and we answer only to our readers. "
        "Whatever you can give, once or every month, pays for the reporting you read."
    ) % {"newsroom": newsroom["name"]}
    paragraphs = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n")]
    subject = _("Your reminder to support %(newsroom)s") % {"newsroom": newsroom["name"]}
    return Letter(subject, newsroom, [part for part in paragraphs if part])


def _staff_letter() -> str:
    found = ReminderSettings.objects.filter(site__is_default_site=True).first()
    return found.letter.strip() if found else ""


def message(reminder: Reminder, letter: Letter, connection=None) -> EmailMultiAlternatives:
    """The reminder for one reader. Call inside translation.override."""
    context = {
        "subject": letter.subject,
        "newsroom": letter.newsroom,
        "paragraphs": letter.paragraphs,
        "name": None,
        "site_url": settings.SITE_URL,
        "support_url": support_url(reminder),
        "give_label": give_label(reminder),
        "unsubscribe_url": unsubscribe_url(reminder.code),
    }
    email = EmailMultiAlternatives(
        subject=letter.subject,
        body=render_to_string("reminders/email/reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.email],
        headers={
            **HEADERS,
            "Message-ID": message_id(reminder),
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )
    email.attach_alternative(
        render_to_string("reminders/email/reminder.html", context), "text/html"
    )
    return email


def message_id(reminder: Reminder) -> str:
    """The same for every copy of one reminder, so that if a crash makes a second copy (see
    services.send_due), mail servers and clients can tell it is the same message."""
    digest = hashlib.sha256(f"readerfund-reminder:{reminder.code}".encode()).hexdigest()[:24]
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<reminder.{reminder.pk}.{digest}@{host}>"


def unsubscribe_url(code: str) -> str:
    return settings.SITE_URL + reverse("reminders:unsubscribe", args=[code])


def support_url(reminder: Reminder) -> str:
    """/support/ with what the reader had chosen; nothing that could identify them."""
    query = {
        "frequency": reminder.frequency,
        "amount": str(Money(reminder.amount, reminder.currency).major) if reminder.amount else "",
        "currency": reminder.currency,
        "appeal": reminder.appeal,
        "variant": reminder.variant,
    }
    query = urlencode({key: value for key, value in query.items() if value})
    path = reverse("contributions:support")
    return f"{settings.SITE_URL}{path}?{query}" if query else settings.SITE_URL + path


def give_label(reminder: Reminder) -> str:
    if reminder.amount and reminder.frequency in Frequency.values:
        money = Money(reminder.amount, reminder.currency)
        return GIVE_PHRASES[reminder.frequency] % {"amount": money}
    return _("Support us")
