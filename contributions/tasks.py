"""Background work for contributions that runs the services: applying stored webhook
events, charging renewals, reconciling. Every task is safe to run twice. (The tasks that
send emails are in `contributions.notices`, below the services.)"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from contributions import manage, notices, providers
from contributions.models import ProviderEvent

# Tasks queued under their former paths (before the notices moved) still find them here.
from contributions.notices import (  # noqa: F401
    send_authentication_request,
    send_lapsed_notice,
    send_manage_link,
    send_receipt,
    send_receipts,
    send_refund_notice,
)
from contributions.services import facts, reconcile, renewals

log = logging.getLogger(__name__)


DRAIN_KEY = "contributions:events-drain-queued"
DRAIN_BATCH = 100  # events per transaction, applied together: one commit for many


def _apply(events: list[ProviderEvent]) -> None:
    """Apply the events' facts together, in order, and mark the events applied."""
    by_provider = defaultdict(list)
    for event in events:
        by_provider[event.provider] += providers.get(event.provider).facts_from_payload(
            event.payload
        )
    for provider, found in by_provider.items():
        facts.apply_facts(provider, found)
    ProviderEvent.objects.filter(pk__in=[event.pk for event in events]).mark_applied()


def request_drain() -> None:
    """Have stored events applied soon: at most one drain waits in the queue at a time, so a
    burst of webhooks costs one task, not one each."""
    if cache.add(DRAIN_KEY, 1, timeout=60):
        apply_pending_events.enqueue()


@task()
def apply_pending_events() -> int:
    """Apply every stored event not applied yet, in order, in batches. Workers running this
    at once share the work (rows are claimed with SKIP LOCKED on PostgreSQL). An event that
    fails keeps its error and is tried again by the next drain; the others go on."""
    cache.delete(DRAIN_KEY)  # before reading: an event stored from now on queues a new drain
    applied, after = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                ProviderEvent.objects.select_for_update(skip_locked=True)
                .filter(applied_at__isnull=True, pk__gt=after)
                .order_by("pk")[:DRAIN_BATCH]
            )
            applied += _apply_batch(batch)
        if len(batch) < DRAIN_BATCH:
            return applied
        after = batch[-1].pk


def _apply_batch(batch: list[ProviderEvent]) -> int:
    """The whole batch at once (a few statements per table for a hundred events); if that
    fails, event by event, so that one bad event holds up no other."""
    if not batch:
        return 0
    try:
        with transaction.atomic():
            _apply(batch)
        return len(batch)
    except Exception:  # noqa: BLE001 — each event is tried alone below, errors kept there
        log.info("a batch of %s events failed together; applying them one by one", len(batch))
    return sum(_apply_or_note(event) for event in batch)


def _apply_or_note(event: ProviderEvent) -> int:
    try:
        with transaction.atomic():
            _apply([event])
        return 1
    except Exception as error:  # noqa: BLE001 — kept on the event, tried again next drain
        log.exception("event %s (%s) could not be applied", event.pk, event.type)
        ProviderEvent.objects.filter(pk=event.pk).note_error(repr(error))
        return 0


@task()
def charge_renewals() -> dict:
    return renewals.charge_due()


@task()
def notify_annual_renewals() -> int:
    return renewals.notify_annual_renewals()


@task()
def sweep_deliveries() -> dict:
    """Emails that failed for now, tried again after their back-off (every 5 minutes)."""
    return notices.sweep_deliveries()


@task()
def reconcile_payments() -> dict:
    counts = reconcile.reconcile() | reconcile.reconcile_refunds()
    counts["events"] = apply_pending_events.call()  # any a lost drain left behind
    counts["receipts"] = notices.resend_missing_receipts()
    return counts


PRUNE_CHUNK = 10_000  # events per DELETE, so a long-neglected table never holds a huge lock


@task()
def prune_provider_events() -> int:
    """Daily: delete the webhook events applied over READERFUND_PROVIDER_EVENTS_DAYS (90)
    ago; the ledger keeps what they said. Events never applied are kept. How many went."""
    cutoff = timezone.now() - timedelta(days=settings.PROVIDER_EVENTS_DAYS)
    old = ProviderEvent.objects.filter(applied_at__lt=cutoff).order_by()
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:PRUNE_CHUNK]):
        deleted += ProviderEvent.objects.filter(pk__in=ids).delete()[0]
    return deleted


@task()
def erase_abandoned_contributors() -> int:
    """Daily: erase the contributors who never paid, a week after their last checkout."""
    return manage.erase_abandoned()
