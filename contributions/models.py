"""Money in: contributors, contributions, the payments of each period, and the ledger.

The ledger is the truth: every movement of money is one `LedgerEntry`, made from one
provider fact or one staff action, unique on (source, reference, kind), never updated or
deleted. Totals derive from it.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contributions.money import Money
from contributions.states import (
    ERASED_PREFIX,
    ContributionQuerySet,
    DeliveryQuerySet,
    Frequency,
    PaymentManager,
    ProviderEventQuerySet,
    RefundQuerySet,
)
from privacy.fields import EncryptedTextField


class Contributor(models.Model):
    """One person, found by the keyed hash of their normalised email. No account, no IP."""

    email = EncryptedTextField(_("email"))
    email_index = models.CharField(max_length=64, unique=True, editable=False)
    name = EncryptedTextField(_("name"), null=True, blank=True)
    # The provider's customer id per provider ({"stripe": "cus_…"}): opaque, no personal data.
    provider_customers = models.JSONField(default=dict, blank=True, editable=False)
    # How many manage links were issued: a link names its number, and older ones stop working.
    manage_links = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")

    def __str__(self):
        return _("Contributor #%(pk)s") % {"pk": self.pk}

    @property
    def is_erased(self) -> bool:
        return self.email_index.startswith(ERASED_PREFIX)


class Contribution(models.Model):
    # Money rows reference nothing Wagtail needs to track (and would cost a task each).
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        ACTIVE = "active", _("Active")  # recurring, charged each period
        PAID = "paid", _("Paid")  # one-off, done
        FAILED = "failed", _("Failed")
        LAPSED = "lapsed", _("Lapsed")  # recurring, retries exhausted
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contributor = models.ForeignKey(
        Contributor, on_delete=models.PROTECT, related_name="contributions"
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    amount = models.PositiveIntegerField(_("amount (minor units)"))
    fee_amount = models.PositiveIntegerField(_("processing fee covered (minor units)"), default=0)
    currency = models.CharField(_("currency"), max_length=3)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # The name given with this gift: it becomes the contributor's only once a payment of the
    # gift succeeds, so an unpaid checkout under someone's address changes nothing of theirs.
    name = EncryptedTextField(_("name"), null=True, blank=True)
    provider = models.CharField(_("provider"), max_length=20)
    # The language of the page the donor gave from: every email about this gift (receipts,
    # notices) is written in it, whatever the site's language is when it is sent.
    language = models.CharField(_("language"), max_length=8, blank=True, editable=False)
    # The provider's customer made for this gift alone (Stripe: "cus_…"), holding its card.
    # One per gift, so that checkout asks the provider the same for known and new donors.
    provider_customer = models.CharField(max_length=100, blank=True, editable=False)
    payment_method = models.CharField(max_length=100, blank=True, editable=False)
    # The saved card as the receipt names it ("Visa", "4242"); erased with the donor's data.
    card_brand = models.CharField(max_length=30, blank=True, editable=False)
    card_last4 = models.CharField(max_length=4, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    next_charge_on = models.DateField(_("next payment"), null=True, blank=True)
    disputed = models.BooleanField(
        _("disputed"), default=False, help_text=_("A dispute pauses the schedule.")
    )
    appeal = models.CharField(max_length=64, blank=True)
    variant = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [
            models.Index(fields=["status", "next_charge_on"]),
            # A bank statement's line finds its gift by the reference code it quotes.
            models.Index(fields=["provider", "payment_method"], name="by_provider_method"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=["once", "monthly", "annual"]), name="known_frequency"
            )
        ]

    def __str__(self):
        return f"{self.per_period} {self.get_frequency_display()}"

    @property
    def per_period(self) -> Money:
        """What is charged each period: the gift plus the fee the donor chose to cover."""
        return Money(self.amount + self.fee_amount, self.currency)

    @property
    def is_recurring(self) -> bool:
        return self.frequency != Frequency.ONCE

    def period_after(self, day: date) -> date:
        """The due date of the period after the one due on `day`, keeping the day of month of
        the first payment (31 January, 29 February, 31 March…)."""
        from contributions.schedule import next_period

        first = self.payments.filter(period=0).values_list("due_on", flat=True).first()
        return next_period(day, self.frequency, anchor=first or day)

    def remember_customer(self, customer: str) -> None:
        """Keep the provider's customer made for this gift (its saved card lives there)."""
        self.provider_customer = customer
        Contribution.objects.filter(pk=self.pk).update(provider_customer=customer)

    def ledger_total(self) -> Money:
        total = self.ledger.aggregate(total=Sum("amount"))["total"] or 0
        return Money(total, self.currency)


class Payment(models.Model):
    """The charge for one period of a contribution: claimed in the database before the
    provider is asked, so a period is never charged twice."""

    # Money rows reference nothing Wagtail needs to track (and would cost a task each).
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Being charged")
        # The provider was asked and never answered: settled by asking it again (the next
        # try uses the same idempotency key), never counted as a decline.
        UNKNOWN = "unknown", _("Waiting for the provider's answer")
        REQUIRES_ACTION = "requires_action", _("Needs the donor's authentication")
        FAILED = "failed", _("Failed")
        SUCCEEDED = "succeeded", _("Succeeded")

    contribution = models.ForeignKey(
        Contribution, on_delete=models.PROTECT, related_name="payments"
    )
    period = models.PositiveIntegerField(help_text=_("0 for the first payment"))
    due_on = models.DateField()
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CLAIMED)
    attempts = models.PositiveSmallIntegerField(default=1)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    provider_reference = models.CharField(max_length=100, blank=True, db_index=True)
    failure_code = models.CharField(max_length=60, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)

    objects = PaymentManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "period"], name="one_payment_per_period"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.contribution_id} #{self.period}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    def idempotency_key(self) -> str:
        return f"readerfund-{self.contribution_id}-{self.period}-{self.attempts}"


class Refund(models.Model):
    """Staff giving money back: claimed here, with the amount, before the provider is asked,
    so a double click or two staff at once can never refund more than was paid."""

    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the provider")
        DONE = "done", _("Refunded")
        FAILED = "failed", _("Refused by the provider")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.BigIntegerField(help_text=_("minor units"))
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    provider_reference = models.CharField(max_length=100, blank=True)
    failure_code = models.CharField(max_length=60, blank=True)
    staff_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RefundQuerySet.as_manager()

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_is_positive")
        ]

    def __str__(self):
        return f"{Money(self.amount, self.currency)} ({self.get_status_display()})"

    def idempotency_key(self) -> str:
        return f"readerfund-refund-{self.pk}"


class LedgerEntry(models.Model):
    """An append-only record of money moving. Positive: money in; negative: money out."""

    # Money rows reference nothing Wagtail needs to track (and would cost a task each).
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        CHARGE = "charge", _("Charge")
        REFUND = "refund", _("Refund")
        DISPUTE = "dispute", _("Dispute")
        FEE = "fee", _("Processing fee")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    contribution = models.ForeignKey(Contribution, on_delete=models.PROTECT, related_name="ledger")
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger"
    )
    amount = models.BigIntegerField(help_text=_("minor units; negative for money out"))
    currency = models.CharField(max_length=3)
    occurred_at = models.DateTimeField()
    source = models.CharField(max_length=20, help_text=_("the provider's name, or 'staff'"))
    reference = models.CharField(max_length=100, help_text=_("the provider's id, or a staff note"))
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference", "kind"], name="one_entry_per_fact"
            )
        ]
        indexes = [models.Index(fields=["occurred_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {Money(self.amount, self.currency)}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise LedgerIsAppendOnly("ledger entries are never changed: add a correcting entry")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly("ledger entries are never deleted: add a correcting entry")

    @property
    def frequency(self) -> str:
        return self.contribution.frequency

    @property
    def amount_major(self):
        return Money(self.amount, self.currency).major


class LedgerIsAppendOnly(Exception):
    pass


class ProviderEvent(models.Model):
    """A verified webhook as received, applied by a task. Unique on (provider, event id)."""

    # Money rows reference nothing Wagtail needs to track (and would cost a task each).
    wagtail_reference_index_ignore = True

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    objects = ProviderEventQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="one_event_per_id")
        ]

    def __str__(self):
        return f"{self.provider} {self.type} {self.event_id}"


class Delivery(models.Model):
    """One email that matters (a refund or lapsed notice, an authentication request, a manage
    link, a receipt refused for good), tried until sent or refused for good, with back-off
    (contributions.notices). Names what to send by kind and key (an id), never an address;
    why it failed is a reason code (readerfund.lib.mailfailures), never the error's text."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        REFUSED = "refused", _("Refused for good")
        DROPPED = "dropped", _("Nothing to send")  # the donor erased their data, say

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=80)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_delivery_per_key")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="deliveries_due")]

    def __str__(self):
        return f"{self.kind} {self.key} ({self.status})"


# What staff set for giving (currencies, preset amounts, ways switched off, the Giving
# settings) lives in settings_models.py; imported here so Django finds it with this app's models.
from contributions.settings_models import (  # noqa: E402,F401
    AmountPreset,
    CurrencyOption,
    EditionGiving,
    GivingSettings,
    ProviderSwitch,
)
