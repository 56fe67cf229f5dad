"""The reminder email: the newsroom's letter, a button to /support/ prefilled with what the
reader chose, and a one-click unsubscribe (RFC 8058) that erases their address.

Like the donor emails (contributions/emails.py): the site's language, a text and a plain HTML
part, no images, no tracking, every link to SITE_URL.
"""

import functools
import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from contributions.choice import GIVE_PHRASES
from contributions.emails import HEADERS, language_of, newsroom_identity, sender
from contributions.models import Frequency
from contributions.money import Money
from reminders.models import CONFIRM_WITHIN, Reminder, ReminderSettings

# Where each reader's own values go in the letter, rendered once per batch: characters from
# Unicode's private use area, which no letter contains and HTML escaping leaves alone.
MARKS = {name: f"\ue000{name}\ue000" for name in ("support_url", "give_label", "unsubscribe")}


@dataclass(frozen=True)
class Letter:
    """What every reminder of a batch says, rendered once (inside translation.override):
    only the three values in MARKS differ from one reader to the next."""

    subject: str
    text: str
    html: str


def letter() -> Letter:
    newsroom = newsroom_identity()
    body = _staff_letter() or _(
        "You asked us to remind you today about supporting %(newsroom)s.\n\n"
        "We publish without ads and without trackers, and we answer only to our readers. "
        "Whatever you can give, once or every month, pays for the reporting you read."
    ) % {"newsroom": newsroom["name"]}
    paragraphs = [part.strip() for part in body.replace("\r\n", "\n").split("\n\n")]
    subject = _("Your reminder to support %(newsroom)s") % {"newsroom": newsroom["name"]}
    context = {
        "subject": subject,
        "newsroom": newsroom,
        "paragraphs": [part for part in paragraphs if part],
        "name": None,
        "site_url": settings.SITE_URL,
        "support_url": MARKS["support_url"],
        "give_label": MARKS["give_label"],
        "unsubscribe_url": MARKS["unsubscribe"],
    }
    return Letter(
        subject,
        render_to_string("reminders/email/reminder.txt", context),
        render_to_string("reminders/email/reminder.html", context),
    )


def _staff_letter() -> str:
    found = ReminderSettings.objects.filter(site__is_default_site=True).first()
    return found.letter.strip() if found else ""


def message(reminder: Reminder, letter: Letter, connection=None) -> EmailMultiAlternatives:
    """The reminder for one reader. Call inside translation.override."""
    values = {
        "support_url": support_url(reminder),
        "give_label": give_label(reminder),
        "unsubscribe": unsubscribe_url(reminder.code),
    }
    text, html = letter.text, letter.html
    for name, value in values.items():
        text = text.replace(MARKS[name], value)
        html = html.replace(MARKS[name], escape(value))
    email = EmailMultiAlternatives(
        subject=letter.subject,
        body=text,
        from_email=sender(newsroom_identity()),
        to=[reminder.email],
        headers={
            **HEADERS,
            "Message-ID": message_id(reminder),
            "List-Unsubscribe": f"<{values['unsubscribe']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )
    email.attach_alternative(html, "text/html")
    return email


def message_id(reminder: Reminder) -> str:
    """The same for every copy of one reminder, so that if a crash makes a second copy (see
    services.send_due), mail servers and clients can tell it is the same message."""
    digest = hashlib.sha256(f"readerfund-reminder:{reminder.code}".encode()).hexdigest()[:24]
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<reminder.{reminder.pk}.{digest}@{host}>"


@functools.cache
def _path(name: str, *args) -> str:
    return reverse(name, args=args)


def unsubscribe_url(code: str) -> str:
    # reverse() for every message costs more than building the rest of it.
    prefix = _path("reminders:unsubscribe", "-")[:-1]
    return f"{settings.SITE_URL}{prefix}{code}"


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
    path = _path("contributions:support")
    return f"{settings.SITE_URL}{path}?{query}" if query else settings.SITE_URL + path


def give_label(reminder: Reminder) -> str:
    if reminder.amount and reminder.frequency in Frequency.values:
        money = Money(reminder.amount, reminder.currency)
        return GIVE_PHRASES[reminder.frequency] % {"amount": money}
    return _("Support us")


def send_confirmation(key: str) -> bool:
    """Ask the reader to confirm the reminder `key` (a Reminder's id), for
    contributions.notices: False when it is gone or confirmed meanwhile."""
    reminder = Reminder.objects.filter(pk=int(key), confirmed_at__isnull=True).first()
    if reminder is None or not reminder.email:
        return False
    newsroom = newsroom_identity()
    with translation.override(language_of(reminder)):
        subject = _("Please confirm your reminder from %(newsroom)s") % {
            "newsroom": newsroom["name"]
        }
        context = {
            "subject": subject,
            "newsroom": newsroom,
            "name": None,
            "day": reminder.remind_on,
            "confirm_url": f"{settings.SITE_URL}{_path('reminders:confirm', reminder.code)}",
            "valid_hours": int(CONFIRM_WITHIN.total_seconds() // 3600),
        }
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("reminders/email/confirm.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[reminder.email],
            headers=HEADERS,
        )
        message.attach_alternative(
            render_to_string("reminders/email/confirm.html", context), "text/html"
        )
    message.send()
    return True
