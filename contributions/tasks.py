"""Background work for contributions. Every task is safe to run twice."""

import contextlib
import logging
from collections import defaultdict
from datetime import timedelta

from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from contributions import emails, providers, services
from contributions.models import Contribution, Payment, ProviderEvent

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
    for provider, facts in by_provider.items():
        services.apply_facts(provider, facts)
    ProviderEvent.objects.filter(pk__in=[event.pk for event in events]).update(
        applied_at=timezone.now(), error=""
    )


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
        ProviderEvent.objects.filter(pk=event.pk).update(error=repr(error)[:2000])
        return 0


@task()
def charge_renewals() -> dict:
    return services.charge_due()


@task()
def send_receipt(payment_pk: int) -> bool:
    """Email the receipt for a succeeded payment, at most once."""
    return _send_receipt(payment_pk)


@task()
def send_receipts(payment_pks: list[int]) -> int:
    """The receipts for a batch of payments (one task per drained batch, not one each), over
    one connection to the mail server. A receipt that cannot be sent now is left for the
    sweep; the others go on. Returns how many were sent."""
    sent, failed = 0, 0
    with mail.get_connection() as connection:
        for payment_pk in payment_pks:
            try:
                sent += _send_receipt(payment_pk, connection)
            except Exception:  # noqa: BLE001 — released; resend_missing_receipts retries
                log.exception("the receipt for payment %s was not sent", payment_pk)
                failed += 1
                with contextlib.suppress(Exception):  # the session may be dead: start afresh
                    connection.close()
    if failed:
        log.warning("%s of %s receipts left for the next sweep", failed, len(payment_pks))
    return sent


def _send_receipt(payment_pk: int, connection=None) -> bool:
    """The payment is claimed by setting receipt_sent_at before sending, and released if
    sending fails: never two receipts for one payment."""
    claimed = Payment.objects.filter(
        Q(pk=payment_pk), Q(status=Payment.Status.SUCCEEDED), Q(receipt_sent_at__isnull=True)
    ).update(receipt_sent_at=timezone.now())
    if not claimed:
        return False
    payment = Payment.objects.select_related("contribution__contributor").get(pk=payment_pk)
    try:
        emails.send_receipt(payment, connection=connection)
    except Exception:
        # Not sent: release the claim so that the next sweep (reconcile_payments) sends it.
        Payment.objects.filter(pk=payment_pk).update(receipt_sent_at=None)
        raise
    return True


@task()
def send_refund_notice(refund_pk: int) -> None:
    """Tell the donor about a refund, unless they have since erased their data."""
    from contributions.models import Refund

    refund = Refund.objects.select_related("payment__contribution__contributor").get(pk=refund_pk)
    if refund.payment.contribution.contributor.email:
        emails.send_refund_notice(refund)


@task()
def send_lapsed_notice(contribution_pk: str) -> None:
    contribution = Contribution.objects.select_related("contributor").get(pk=contribution_pk)
    emails.send_lapsed_notice(contribution)


@task()
def send_authentication_request(payment_pk: int) -> None:
    payment = Payment.objects.select_related("contribution__contributor").get(pk=payment_pk)
    if payment.status == Payment.Status.REQUIRES_ACTION:
        emails.send_authentication_request(payment)


@task()
def reconcile_payments() -> dict:
    counts = services.reconcile() | services.reconcile_refunds()
    counts["events"] = apply_pending_events.call()  # any a lost drain left behind
    counts["receipts"] = resend_missing_receipts()
    return counts


def resend_missing_receipts() -> int:
    """Receipts whose sending failed (the mail server was down, say): try again, for
    payments of the last two days only, so that old history never mails anyone."""
    now = timezone.now()
    missing = Payment.objects.filter(
        status=Payment.Status.SUCCEEDED,
        receipt_sent_at__isnull=True,
        claimed_at__gte=now - timedelta(days=2),
        claimed_at__lt=now - timedelta(minutes=10),
    ).values_list("pk", flat=True)[:500]
    for payment_pk in missing:
        send_receipt.enqueue(payment_pk)
    return len(missing)


@task()
def send_manage_link(email_index: str) -> bool:
    """Email the manage link to the contributor with this email blind index, if there is
    one. Queued for known and unknown addresses alike, so the page that asks answers the
    same, as fast, either way. True when a link was sent."""
    from contributions.models import Contributor

    contributor = Contributor.objects.filter(email_index=email_index).first()
    if contributor is None:
        return False
    emails.send_manage_link(contributor)
    return True
