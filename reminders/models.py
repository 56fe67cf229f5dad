"""Reminders ("Remind me later"): one email on the day a reader chose, then nothing.

A reminder holds the reader's address encrypted (privacy.fields), found by its keyed hash, and
an opaque random code for the unsubscribe link. The address is dropped as soon as the reminder
is sent or cancelled; the rest of the row (hash, day, choice) is deleted 30 days later.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from privacy.fields import EncryptedTextField

CONFIRM_WITHIN = timedelta(hours=48)  # an unconfirmed reminder is erased after this
ASK_EVERY = timedelta(days=7)  # at most one confirmation email per address this often


def new_code() -> str:
    """The unsubscribe code: random, so it tells nothing about the address (32 characters)."""
    return secrets.token_urlsafe(24)


class Reminder(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Not sent: the reader gave before the day")
        FAILED = "failed", _("Not sent: the mail server refused it")

    email = EncryptedTextField(_("email"), null=True)  # None once sent or cancelled
    email_index = models.CharField(max_length=64, editable=False)
    remind_on = models.DateField(_("remind on"))
    # What the reader had chosen, to prefill /support/ (all optional; amount in minor units).
    frequency = models.CharField(max_length=10, blank=True)
    amount = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    appeal = models.CharField(max_length=64, blank=True)
    variant = models.CharField(max_length=64, blank=True)
    # The language of the page the reader signed up on: the confirmation and the reminder are
    # written in it.
    language = models.CharField(max_length=8, blank=True, editable=False)
    code = models.CharField(max_length=64, unique=True, default=new_code, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # The run that claimed it (a random token) and when; a stale claim is taken over.
    claimed_by = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)  # sent, cancelled or failed
    # Only a confirmed reminder is ever sent: anyone can type any address into the form, and
    # for some readers an email from this newsroom is itself a danger.
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["email_index", "remind_on"], name="one_reminder_per_email_and_day"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | ~Q(currency=""), name="amount_has_currency"
            ),
        ]
        indexes = [
            # The claim walks this in order: (status, remind_on, id) LIMIT n.
            models.Index(fields=["status", "remind_on", "id"], name="reminders_due"),
            models.Index(fields=["claimed_by"], name="reminders_claimed_by"),
            models.Index(fields=["status", "finished_at"], name="reminders_finished"),
        ]

    def __str__(self):
        return _("Reminder #%(pk)s") % {"pk": self.pk}


class ConfirmationAsked(models.Model):
    """When an address (by its keyed hash) was last asked to confirm a reminder: at most one
    such email per address per week, whatever is submitted. Deleted after a week."""

    email_index = models.CharField(max_length=64, unique=True, editable=False)
    asked_at = models.DateTimeField()

    def __str__(self):
        return f"confirmation asked {self.asked_at:%Y-%m-%d}"


class ReminderDate(models.Model):
    """A day staff offer readers by name ("Giving Tuesday"), besides next month and 3 months."""

    label = models.CharField(_("label"), max_length=80)
    date = models.DateField(_("date"))
    # A day is named in each edition's words: one row per edition, or one for all.
    language = models.CharField(
        _("edition"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: every edition."),
    )

    panels = [FieldPanel("label"), FieldPanel("date"), FieldPanel("language")]

    class Meta:
        ordering = ["date"]
        verbose_name = _("reminder date")
        verbose_name_plural = _("reminder dates")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "language"], name="one_name_per_day_and_edition"
            )
        ]

    def __str__(self):
        return f"{self.label} ({self.date.isoformat()})"


@register_setting(icon="mail")
class ReminderSettings(BaseSiteSetting):
    letter = models.TextField(
        _("reminder letter"),
        blank=True,
        help_text=_(
            "What the reminder email says, before the button to give. Plain text; a blank line "
            "starts a new paragraph. Leave empty for the standard text."
        ),
    )

    panels = [FieldPanel("letter")]

    class Meta:
        verbose_name = _("reminders")
