"""How money rows change state: each change a named, conditional UPDATE on a QuerySet. The
condition is the rule (only a pending checkout fails, only an active contribution lapses,
only a requested refund is finished), and the count returned tells the caller whether this
call made the change, so two workers never both act on it."""

from datetime import date, timedelta

from django.db import connection, models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ERASED_PREFIX = "erased-"  # an erased contributor's email_index: random, never a real hash


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    MONTHLY = "monthly", _("Monthly")
    ANNUAL = "annual", _("Annual")


class ContributionQuerySet(models.QuerySet):
    """A contribution's status changes, each a conditional UPDATE: the condition is the rule
    (only a pending checkout fails, only an active one lapses), and the count it returns
    tells the caller whether this call made the change."""

    def settle_once(self) -> int:
        """A one-off was paid."""
        return self.exclude(status=self.model.Status.PAID).update(status=self.model.Status.PAID)

    def activate(self) -> int:
        """A recurring contribution's period was paid: it is (still) active. Never revives
        one its donor stopped or that lapsed."""
        waiting = [self.model.Status.PENDING, self.model.Status.FAILED]
        return self.filter(status__in=[*waiting, self.model.Status.ACTIVE]).update(
            status=self.model.Status.ACTIVE
        )

    def schedule_from(self, day: date) -> int:
        """The first period was paid: the next one is due on `day` (once)."""
        return self.filter(status=self.model.Status.ACTIVE, next_charge_on__isnull=True).update(
            next_charge_on=day
        )

    def advance(self, due_on: date, next_on: date) -> int:
        """Claim the period due on `due_on` by moving the schedule on: 1 for the one caller
        that moved it, 0 for any other."""
        return self.filter(next_charge_on=due_on, status=self.model.Status.ACTIVE).update(
            next_charge_on=next_on
        )

    def fail_first(self) -> int:
        """The first payment of a checkout failed."""
        return self.filter(status=self.model.Status.PENDING).update(status=self.model.Status.FAILED)

    def lapse(self) -> int:
        """A recurring contribution's retries are exhausted."""
        return self.filter(status=self.model.Status.ACTIVE).update(
            status=self.model.Status.LAPSED, next_charge_on=None
        )

    def stop(self) -> int:
        """Stop active recurring contributions: no further period is claimed."""
        return (
            self.filter(status=self.model.Status.ACTIVE)
            .exclude(frequency=Frequency.ONCE)
            .update(
                status=self.model.Status.CANCELLED,
                next_charge_on=None,
                updated_at=timezone.now(),
            )
        )

    def change_gift(self, amount: int, fee_amount: int, frequency: str) -> int:
        """A donor changed their active recurring gift: the next period claimed charges the
        new amount, and the schedule goes on from the date already set (nothing now)."""
        return (
            self.filter(status=self.model.Status.ACTIVE)
            .exclude(frequency=Frequency.ONCE)
            .exclude(frequency=frequency, amount=amount, fee_amount=fee_amount)
            .update(
                amount=amount,
                fee_amount=fee_amount,
                frequency=frequency,
                updated_at=timezone.now(),
            )
        )

    def resume(self, next_on: date) -> int:
        """A donor resumed a recurring contribution they stopped, or restarted one that
        lapsed: active again, its next period due on `next_on`."""
        stopped = [self.model.Status.CANCELLED, self.model.Status.LAPSED]
        return (
            self.filter(status__in=stopped)
            .exclude(frequency=Frequency.ONCE)
            .exclude(contributor__email_index__startswith=ERASED_PREFIX)
            .update(
                status=self.model.Status.ACTIVE, next_charge_on=next_on, updated_at=timezone.now()
            )
        )

    def mark_disputed(self) -> int:
        """A dispute pauses the schedule (charge_due skips disputed contributions)."""
        return self.update(disputed=True)

    def resume_after_dispute(self, today: date) -> int:
        """A dispute was won: the schedule goes on, from its first period due today or later
        (the periods it was paused for are not charged after the fact)."""
        resumed = 0
        for contribution in self.filter(disputed=True):
            due = contribution.next_charge_on
            while due is not None and due < today:
                due = contribution.period_after(due)
            resumed += (
                type(self)(self.model)
                .filter(pk=contribution.pk, disputed=True)
                .update(disputed=False, next_charge_on=due)
            )
        return resumed

    def skip_past_periods(self, today: date) -> int:
        """Move each active contribution's schedule to its first period due today or later
        (its provider was switched off meanwhile: the paused periods are not charged after
        the fact)."""
        moved = 0
        for contribution in self.filter(status=self.model.Status.ACTIVE, next_charge_on__lt=today):
            due = contribution.next_charge_on
            while due < today:
                due = contribution.period_after(due)
            moved += (
                type(self)(self.model)
                .filter(pk=contribution.pk, next_charge_on=contribution.next_charge_on)
                .update(next_charge_on=due)
            )
        return moved

    def save_payment_method(self, method: str) -> int:
        """Keep the first saved payment method, never one of an erased donor."""
        return (
            self.filter(payment_method="")
            .exclude(contributor__email_index__startswith=ERASED_PREFIX)
            .update(payment_method=method)
        )

    def replace_payment_method(self, method: str, brand: str, last4: str) -> int:
        """The donor saved another card for an active recurring contribution: renewals and
        retries charge it from now on. Never for an erased donor."""
        return (
            self.filter(status=self.model.Status.ACTIVE)
            .exclude(frequency=Frequency.ONCE)
            .exclude(contributor__email_index__startswith=ERASED_PREFIX)
            .update(
                payment_method=method,
                card_brand=brand,
                card_last4=last4,
                updated_at=timezone.now(),
            )
        )

    def due(self, today: date):
        """Active recurring contributions whose next period is due by `today`."""
        return self.filter(
            status=self.model.Status.ACTIVE, disputed=False, next_charge_on__lte=today
        ).exclude(frequency=Frequency.ONCE)


class PaymentQuerySet(models.QuerySet):
    """A payment's status changes, each a conditional UPDATE (see ContributionQuerySet)."""

    def claim_again(self) -> int:
        """Claim a failed payment for another attempt (a retry, or the donor's next try)."""
        return self.filter(status=self.model.Status.FAILED).update(
            status=self.model.Status.CLAIMED,
            attempts=F("attempts") + 1,
            claimed_at=timezone.now(),
            next_attempt_at=None,
        )

    def mark_unknown(self) -> int:
        """The provider was asked and did not answer: 1 when this claim is now unknown. A
        report that arrived meanwhile (succeeded, failed) is never overwritten."""
        return self.filter(status=self.model.Status.CLAIMED).update(
            status=self.model.Status.UNKNOWN
        )

    def claim_unknown(self) -> int:
        """Claim an unknown payment to settle it: the attempt stays the same, so asking the
        provider again reuses its idempotency key."""
        return self.filter(status=self.model.Status.UNKNOWN).update(
            status=self.model.Status.CLAIMED, claimed_at=timezone.now()
        )

    def reclaim(self, claimed_at) -> int:
        """Take over a stale claim: 1 for the one worker whose view of the claim was current.
        The claim stays old, so the charge looks for an earlier attempt first."""
        return self.filter(claimed_at=claimed_at).update(
            claimed_at=claimed_at - timedelta(microseconds=1)
        )

    def set_reference(self, reference: str) -> int:
        return self.update(provider_reference=reference)

    def mark_failed(self, failure_code: str, retry_at) -> int:
        """The attempt failed; never undoes a success."""
        return self.exclude(status=self.model.Status.SUCCEEDED).update(
            status=self.model.Status.FAILED,
            failure_code=failure_code[:60],
            next_attempt_at=retry_at,
        )

    def mark_requires_action(self, reference: str) -> int:
        """The bank wants the donor to approve: 1 only the first time it is said."""
        return self.exclude(
            status__in=[self.model.Status.SUCCEEDED, self.model.Status.REQUIRES_ACTION]
        ).update(status=self.model.Status.REQUIRES_ACTION, provider_reference=reference)

    def claim_receipt(self) -> int:
        """Claim the sending of a succeeded payment's receipt: 1 for the one sender."""
        return self.filter(status=self.model.Status.SUCCEEDED, receipt_sent_at__isnull=True).update(
            receipt_sent_at=timezone.now()
        )

    def release_receipt(self) -> int:
        """The receipt was not sent after all: the next sweep tries again."""
        return self.update(receipt_sent_at=None)


class PaymentManager(models.Manager.from_queryset(PaymentQuerySet)):
    def mark_succeeded(self, payments: list) -> None:
        """One UPDATE for all: each payment succeeded, with its own provider reference.
        (`bulk_update` builds a CASE per row and column in Python: ten times slower here.)"""
        table = connection.ops.quote_name(self.model._meta.db_table)
        rows = ", ".join(["(%s, %s)"] * len(payments))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = %s, failure_code = '', next_attempt_at = NULL, "  # noqa: S608 — names only
                f"provider_reference = v.column2 FROM (VALUES {rows}) AS v "
                f"WHERE {table}.id = v.column1",
                [self.model.Status.SUCCEEDED.value]
                + [value for p in payments for value in (p.pk, p.provider_reference)],
            )


class RefundQuerySet(models.QuerySet):
    """A refund's status changes: only a requested refund is finished or released."""

    def finish(self, reference: str) -> int:
        return self.filter(status=self.model.Status.REQUESTED).update(
            status=self.model.Status.DONE, provider_reference=reference
        )

    def fail(self, failure_code: str) -> int:
        return self.filter(status=self.model.Status.REQUESTED).update(
            status=self.model.Status.FAILED, failure_code=failure_code[:60]
        )


class ProviderEventQuerySet(models.QuerySet):
    def mark_applied(self) -> int:
        return self.update(applied_at=timezone.now(), error="")

    def note_error(self, error: str) -> int:
        """Kept on the event (without personal data); the next drain tries it again."""
        return self.update(error=error[:2000])


class DeliveryQuerySet(models.QuerySet):
    """An email delivery's state changes (see contributions.notices)."""

    def claim(self, lease: timedelta) -> int:
        """Claim a pending delivery whose time has come for one attempt: 1 for the one
        sender. The lease makes the next sweep try again if this sender dies mid-way."""
        now = timezone.now()
        return self.filter(status=self.model.Status.PENDING, next_attempt_at__lte=now).update(
            attempts=F("attempts") + 1, next_attempt_at=now + lease
        )

    def finish(self, status: str, reason: str = "") -> int:
        return self.filter(status=self.model.Status.PENDING).update(
            status=status, reason=reason[:30], finished_at=timezone.now()
        )

    def retry_at(self, when, reason: str) -> int:
        return self.filter(status=self.model.Status.PENDING).update(
            next_attempt_at=when, reason=reason[:30]
        )
