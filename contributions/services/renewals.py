"""Recurring contributions: each due period is claimed, then charged off session."""

from collections.abc import Iterator
from datetime import date, timedelta
from itertools import chain

from django.db import transaction
from django.utils import timezone

from contributions import notices, providers
from contributions.models import Contribution, Delivery, Frequency, Payment
from contributions.services.charging import STALE_CLAIM, charge


def charge_due(today: date | None = None, *, limit: int = 500) -> dict:
    """Charge every recurring contribution due by `today`, and retry failed renewals whose
    time has come. Each period is claimed before the provider is called, so two workers, or
    a run after a crash, never charge a period twice. Returns counts.

    Each period is claimed just before it is charged, not the whole run's first: a worker
    killed mid-run leaves one claim (the charge in flight, settled once STALE_CLAIM makes it
    stale) and every other period due for the next run, which may be another worker's a few
    minutes later (readerfund/schedule.py)."""
    today = today or timezone.localdate()
    counts = {"claimed": 0, "succeeded": 0, "failed": 0, "requires_action": 0, "unknown": 0}
    claimed = chain(
        ((p, True) for p in _claim_unknown(limit)),  # first: the provider is asked what it made
        ((p, True) for p in _reclaim_stale(limit)),
        ((p, False) for p in _claim_due(today, limit)),
        ((p, False) for p in _claim_retries(limit)),
    )
    for payment, look_first in claimed:
        counts["claimed"] += 1
        result = charge(payment, off_session=True, look_first=look_first)
        if result.status in counts:
            counts[result.status] += 1
    return counts


ANNUAL_NOTICE = timedelta(days=7)  # an annual donor is told this long before the charge


def notify_annual_renewals(today: date | None = None, *, limit: int = 500) -> int:
    """Queue the notice for every active annual contribution renewing within ANNUAL_NOTICE
    (and not today or before: that one is being charged). A notice is sent once per
    renewal: its delivery is keyed by the contribution and the renewal's date, so a run
    twice a day, or on two workers, sends nothing twice. How many were queued."""
    today = today or timezone.localdate()
    coming = (
        Contribution.objects.filter(
            status=Contribution.Status.ACTIVE,
            frequency=Frequency.ANNUAL,
            disputed=False,
            next_charge_on__gt=today,
            next_charge_on__lte=today + ANNUAL_NOTICE,
        )
        .order_by("next_charge_on")
        .values_list("pk", "next_charge_on")[:limit]
    )
    keys = {f"{pk}.{due_on.isoformat()}": (str(pk), due_on.isoformat()) for pk, due_on in coming}
    known = Delivery.objects.filter(kind="renewal_notice", key__in=list(keys))
    new = set(keys) - set(known.values_list("key", flat=True))
    for key in new:
        notices.send_renewal_notice.enqueue(*keys[key])
    return len(new)


def _claim_due(today: date, limit: int) -> Iterator[Payment]:
    """The due periods, each claimed when the caller asks for the next."""
    # A provider staff switched off: its renewals pause (services.switching).
    paused = providers.switched_off()
    due = Contribution.objects.due(today).exclude(provider__in=paused)
    for contribution in due.order_by("next_charge_on")[:limit]:
        payment = _claim_period(contribution)
        if payment:
            yield payment


def _claim_period(contribution: Contribution) -> Payment | None:
    """Claim the contribution's due period: advance its schedule and create the period's
    payment in one transaction. None when another worker got there first."""
    due_on = contribution.next_charge_on
    with transaction.atomic():
        moved = Contribution.objects.filter(pk=contribution.pk).advance(
            due_on, contribution.period_after(due_on)
        )
        if moved != 1:
            return None
        period = Payment.objects.filter(contribution=contribution).count()
        return Payment.objects.create(
            contribution=contribution,
            period=period,
            due_on=due_on,
            amount=contribution.per_period.amount,
            currency=contribution.currency,
        )


def _claim_retries(limit: int) -> Iterator[Payment]:
    due = Payment.objects.exclude(contribution__provider__in=providers.switched_off()).filter(
        status=Payment.Status.FAILED,
        next_attempt_at__lte=timezone.now(),
        contribution__status=Contribution.Status.ACTIVE,
        contribution__disputed=False,
    )
    for payment in due.order_by("next_attempt_at")[:limit]:
        if Payment.objects.filter(pk=payment.pk).claim_again():
            payment.refresh_from_db()
            yield payment


def _claim_unknown(limit: int) -> Iterator[Payment]:
    """Renewals whose charge got no answer: claimed again with the same attempt, so the
    provider is asked what it made, then (if nothing) charged with the same key."""
    unknown = Payment.objects.filter(status=Payment.Status.UNKNOWN, period__gt=0)
    for payment in unknown.order_by("claimed_at")[:limit]:
        if Payment.objects.filter(pk=payment.pk).claim_unknown():
            payment.refresh_from_db()
            yield payment


def _reclaim_stale(limit: int) -> Iterator[Payment]:
    """Payments a crashed worker claimed but never finished: look before charging again."""
    cutoff = timezone.now() - STALE_CLAIM
    stale = Payment.objects.filter(status=Payment.Status.CLAIMED, claimed_at__lt=cutoff)
    for payment in stale.order_by("claimed_at")[:limit]:
        if Payment.objects.filter(pk=payment.pk).reclaim(payment.claimed_at):
            payment.refresh_from_db()
            yield payment
