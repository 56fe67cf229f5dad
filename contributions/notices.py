"""Emails to donors, sent by tasks: receipts, refund, lapsed, change and renewal notices,
authentication requests, manage links. Every task is safe to run twice.

Every one of them is tried until it is sent or refused for good. Receipts keep their claim on
the payment (`receipt_sent_at`) and are swept by `resend_missing_receipts`; the others are a
`Delivery` row each (kind and key, never an address), attempted at once, then again after
RETRY_AFTER by `sweep_deliveries` when the mail server failed. A failure is kept as a reason
code (readerfund.lib.mailfailures), never the exception's text: that names the recipient,
and a task that raised would keep it in its result row. So these tasks never raise for a
failed email; they return what happened.

These sit below the services: a service enqueues a notice once its transaction commits,
and nothing here calls back into the services.
"""

import contextlib
import logging
import secrets
from datetime import timedelta

from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from contributions import emails
from contributions.models import Contribution, Contributor, Delivery, Payment, Refund
from privacy.crypto import email_index
from readerfund.lib.mailfailures import Reason, classify, is_permanent

log = logging.getLogger(__name__)

# After the 1st failed attempt, the 2nd, …; then refused for good ("gave_up"): about 2 days.
RETRY_AFTER = [
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(hours=24),
]
LEASE = timedelta(minutes=10)  # an attempt that takes longer was lost with its worker
KEEP_FINISHED = timedelta(days=30)


# Receipts ------------------------------------------------------------------------------------


@task()
def send_receipt(payment_pk: int) -> bool:
    """Email the receipt for a succeeded payment, at most once. True when sent now."""
    with mail.get_connection() as connection:
        return _try_receipt(payment_pk, connection) == "sent"


@task()
def send_receipts(payment_pks: list[int]) -> int:
    """The receipts for a batch of payments (one task per drained batch, not one each), over
    one connection to the mail server. A receipt that cannot be sent now is left for the
    sweep; the others go on. Returns how many were sent."""
    sent, failed = 0, 0
    with mail.get_connection() as connection:
        for payment_pk in payment_pks:
            outcome = _try_receipt(payment_pk, connection)
            sent += outcome == "sent"
            if outcome not in ("sent", "not_due", "no_address"):
                failed += 1
                with contextlib.suppress(Exception):  # the session may be dead: start afresh
                    connection.close()
    if failed:
        log.warning("%s of %s receipts were not sent", failed, len(payment_pks))
    return sent


def _try_receipt(payment_pk: int, connection) -> str:
    """The payment is claimed by setting receipt_sent_at before sending: never two receipts
    for one payment. Not sent for now: released, so the next sweep sends it. Refused for
    good: kept claimed (never tried again) and recorded as a Delivery with its reason."""
    if not Payment.objects.filter(pk=payment_pk).claim_receipt():
        return "not_due"
    payment = Payment.objects.select_related("contribution__contributor").get(pk=payment_pk)
    if not payment.contribution.contributor.email:
        return "no_address"  # an anonymous gift without one (or erased): a page is its receipt
    try:
        emails.send_receipt(payment, connection=connection)
    except Exception as error:  # noqa: BLE001 — kept as a reason code, see the docstring
        reason = classify(error)
        log.warning("the receipt for payment %s was not sent: %s", payment_pk, reason)
        if is_permanent(reason):
            _record_refusal("receipt", str(payment_pk), reason)
        else:
            Payment.objects.filter(pk=payment_pk).release_receipt()
        return reason
    return "sent"


def _record_refusal(kind: str, key: str, reason: Reason) -> None:
    Delivery.objects.update_or_create(
        kind=kind,
        key=key,
        defaults={
            "status": Delivery.Status.REFUSED,
            "reason": reason,
            "finished_at": timezone.now(),
        },
    )


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


# Everything else: deliveries -----------------------------------------------------------------


def _refund_notice(key: str) -> bool:
    refund = Refund.objects.select_related("payment__contribution__contributor").get(pk=int(key))
    if not refund.payment.contribution.contributor.email:
        return False  # erased since
    emails.send_refund_notice(refund)
    return True


def _lapsed_notice(key: str) -> bool:
    contribution = Contribution.objects.select_related("contributor").get(pk=key)
    if not contribution.contributor.email:
        return False
    emails.send_lapsed_notice(contribution)
    return True


def _authentication_request(key: str) -> bool:
    """Key: the payment's id, and after a dot its attempt (each retry asks again)."""
    from contributions import providers

    payment_pk = int(key.split(".", 1)[0])
    payment = Payment.objects.select_related("contribution__contributor").get(pk=payment_pk)
    if (
        payment.status != Payment.Status.REQUIRES_ACTION
        or not payment.contribution.contributor.email
    ):
        return False  # authenticated, paid or erased meanwhile: nothing to ask
    elsewhere = providers.get(payment.contribution.provider).pays_elsewhere
    emails.send_authentication_request(payment, pays_elsewhere=elsewhere)
    return True


def _stop_notice(key: str) -> bool:
    """Confirm to the donor that the recurring contribution they stopped is stopped."""
    contribution = Contribution.objects.select_related("contributor").get(pk=key)
    if not contribution.contributor.email:
        return False  # erased since
    emails.send_stop_notice(contribution)
    return True


def _change_notice(key: str) -> bool:
    """Confirm a change the donor made (amount, frequency, resumed): what holds now."""
    contribution = Contribution.objects.select_related("contributor").get(pk=key.split(".")[0])
    if not contribution.contributor.email:
        return False
    emails.send_change_notice(contribution)
    return True


def _renewal_notice(key: str) -> bool:
    """A week before an annual renewal (the key names the contribution and the date): only
    while that renewal is still what comes next."""
    pk, due_on = key.split(".", 1)
    contribution = Contribution.objects.select_related("contributor").get(pk=pk)
    still_due = (
        contribution.status == Contribution.Status.ACTIVE
        and contribution.frequency == "annual"
        and contribution.next_charge_on is not None
        and contribution.next_charge_on.isoformat() == due_on
    )
    if not still_due or not contribution.contributor.email:
        return False
    emails.send_renewal_notice(contribution)
    return True


def _way_closed_notice(key: str) -> bool:
    """Key: the contribution's id. Sent once however often its provider is switched off."""
    from contributions import providers

    contribution = Contribution.objects.select_related("contributor").get(pk=key)
    if not contribution.contributor.email or contribution.status != Contribution.Status.ACTIVE:
        return False  # erased, or stopped meanwhile: nothing to tell
    way = str(providers.get(contribution.provider).verbose_name)
    emails.send_way_closed_notice(contribution, way)
    return True


def _manage_link(key: str) -> bool:
    contributor = Contributor.objects.filter(pk=int(key.split(".", 1)[0])).first()
    if contributor is None or contributor.is_erased:
        return False
    emails.send_manage_link(contributor)
    return True


SENDERS = {  # kind → sends the message for a key; False when there is nothing to send
    "refund_notice": _refund_notice,
    "lapsed_notice": _lapsed_notice,
    "stop_notice": _stop_notice,
    "change_notice": _change_notice,
    "renewal_notice": _renewal_notice,
    "authentication_request": _authentication_request,
    "manage_link": _manage_link,
    "way_closed_notice": _way_closed_notice,
    # Apps above this one, by dotted path (loaded when first sent): nothing here imports them.
    "reminder_confirmation": "reminders.emails.send_confirmation",
}


def _sender(kind: str):
    sender = SENDERS[kind]
    return import_string(sender) if isinstance(sender, str) else sender


def deliver(kind: str, key: str) -> str:
    """Record the delivery (once per kind and key) and attempt it now. What happened:
    "sent", "dropped", "retry" (the next sweep tries again), "refused", or "busy" (another
    attempt holds it, or it is finished)."""
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(kind=kind, key=key)
    except IntegrityError:
        delivery = Delivery.objects.get(kind=kind, key=key)
    return attempt(delivery.pk)


def attempt(delivery_pk: int) -> str:
    """One attempt at a pending delivery whose time has come (see deliver)."""
    if not Delivery.objects.filter(pk=delivery_pk).claim(LEASE):
        return "busy"
    delivery = Delivery.objects.get(pk=delivery_pk)
    rows = Delivery.objects.filter(pk=delivery_pk)
    try:
        sent = _sender(delivery.kind)(delivery.key)
    except Exception as error:  # noqa: BLE001 — kept as a reason code, see the docstring
        return _failed(delivery, rows, classify(error))
    rows.finish(Delivery.Status.SENT if sent else Delivery.Status.DROPPED)
    return "sent" if sent else "dropped"


def _failed(delivery: Delivery, rows, reason: Reason) -> str:
    log.warning(
        "%s %s was not sent (attempt %s): %s", delivery.kind, delivery.pk, delivery.attempts, reason
    )
    if not is_permanent(reason) and delivery.attempts <= len(RETRY_AFTER):
        rows.retry_at(timezone.now() + RETRY_AFTER[delivery.attempts - 1], reason)
        return "retry"
    rows.finish(Delivery.Status.REFUSED, reason if is_permanent(reason) else Reason.GAVE_UP)
    return "refused"


@task()
def send_delivery(delivery_pk: int) -> str:
    return attempt(delivery_pk)


def sweep_deliveries() -> dict:
    """Enqueue every delivery whose next attempt is due (after a failure, or after a worker
    died holding it), resend receipts left unsent, and forget deliveries finished long ago."""
    due = Delivery.objects.filter(
        status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:500]
    for delivery_pk in due:
        send_delivery.enqueue(delivery_pk)
    old = Delivery.objects.exclude(status=Delivery.Status.PENDING).filter(
        finished_at__lt=timezone.now() - KEEP_FINISHED
    )
    return {
        "deliveries": len(due),
        "receipts": resend_missing_receipts(),
        "forgotten": old.delete()[0],
    }


# The tasks the services enqueue ------------------------------------------------------------


@task()
def send_notice(kind: str, key: str) -> str:
    """Any kind of SENDERS, for the apps above this one (a reminder's confirmation)."""
    return deliver(kind, key)


@task()
def send_renewal_notice(contribution_pk: str, due_on: str) -> str:
    """The notice before the annual renewal due on `due_on` (ISO date): once per renewal,
    however often it is asked for (the delivery's key names both)."""
    return deliver("renewal_notice", f"{contribution_pk}.{due_on}")


@task()
def send_refund_notice(refund_pk: int) -> str:
    """Tell the donor about a refund, unless they have since erased their data."""
    return deliver("refund_notice", str(refund_pk))


@task()
def send_lapsed_notice(contribution_pk: str) -> str:
    return deliver("lapsed_notice", str(contribution_pk))


@task()
def send_stop_notice(contribution_pk: str) -> str:
    return deliver("stop_notice", str(contribution_pk))


@task()
def send_way_closed_notices(contribution_pks: list[str]) -> int:
    """Tell each of these recurring donors that their way to give is switched off (once
    each: a Delivery per contribution). Returns how many were sent now."""
    return sum(deliver("way_closed_notice", str(pk)) == "sent" for pk in contribution_pks)


@task()
def send_authentication_request(payment_pk: int) -> str:
    """Once per attempt of the payment: a renewal retried after an unpaid invoice (or a
    held card) asks again, with that attempt's link."""
    attempts = Payment.objects.filter(pk=payment_pk).values_list("attempts", flat=True).first()
    key = str(payment_pk) if attempts in (None, 1) else f"{payment_pk}.{attempts}"
    return deliver("authentication_request", key)


def request_manage_link(email: str) -> None:
    """Queue the manage link for this address. The task is queued for known and unknown
    addresses alike (with no contributor for an unknown one), so the page that asks answers
    the same, as fast, either way. The task carries the contributor's id, never the address
    or its blind index: a queue row must not outlive an erasure as a trace of the donor."""
    contributor = Contributor.objects.filter(email_index=email_index(email)).first()
    send_manage_link.enqueue(contributor.pk if contributor else None)


@task()
def send_manage_link(contributor_pk: int | str | None) -> bool:
    """Email the manage link to this contributor, unless there is none or they were erased
    since. True when a link was sent (or will be, after a retry). (A str is a blind index,
    from tasks queued before.)"""
    found = Contributor.objects.filter
    if isinstance(contributor_pk, str):
        contributor = found(email_index=contributor_pk).first()
    else:
        contributor = found(pk=contributor_pk).first() if contributor_pk else None
    if contributor is None or contributor.is_erased:
        return False
    # Each request is a delivery of its own; the key names the contributor by id only.
    return deliver("manage_link", f"{contributor.pk}.{secrets.token_hex(8)}") in ("sent", "retry")
