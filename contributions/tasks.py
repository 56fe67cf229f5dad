"""Background work for contributions. Every task is safe to run twice."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from contributions import emails, providers, services
from contributions.models import Contribution, Payment, ProviderEvent


@task()
def apply_event(event_pk: int) -> None:
    """Apply a stored provider event's facts; mark it applied. A second run does nothing."""
    with transaction.atomic():
        event = ProviderEvent.objects.select_for_update().get(pk=event_pk)
        if event.applied_at:
            return
        parsed = providers.get(event.provider).facts_from_payload(event.payload)
        for fact in parsed:
            services.apply_fact(event.provider, fact)
        event.applied_at = timezone.now()
        event.error = ""
        event.save(update_fields=["applied_at", "error"])


@task()
def charge_renewals() -> dict:
    return services.charge_due()


@task()
def send_receipt(payment_pk: int) -> bool:
    """Email the receipt for a succeeded payment, at most once: the payment is claimed by
    setting receipt_sent_at before sending."""
    claimed = Payment.objects.filter(
        Q(pk=payment_pk), Q(status=Payment.Status.SUCCEEDED), Q(receipt_sent_at__isnull=True)
    ).update(receipt_sent_at=timezone.now())
    if not claimed:
        return False
    payment = Payment.objects.select_related("contribution__contributor").get(pk=payment_pk)
    try:
        emails.send_receipt(payment)
    except Exception:
        # Not sent: release the claim so that the next sweep (reconcile_payments) sends it.
        Payment.objects.filter(pk=payment_pk).update(receipt_sent_at=None)
        raise
    return True


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
    counts = services.reconcile()
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
