"""Multi-step work on contributions: checkout, charging, applying provider facts, renewals.

Money moves exactly once: a payment row is claimed in the database before any provider is
asked to charge it, the provider gets an idempotency key derived from that row, and the
ledger is written from facts keyed by the provider's own ids.
"""

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from contributions import breaker, ledger, providers
from contributions.models import (
    Contribution,
    Contributor,
    Frequency,
    LedgerEntry,
    Payment,
    ProviderEvent,
    Refund,
)
from contributions.money import Money
from contributions.providers.base import ChargeResult, Event, Fact, ProviderError
from contributions.schedule import next_period
from privacy import audit
from privacy.crypto import email_index
from readerfund.lib.sql import insert_new

log = logging.getLogger(__name__)

RETRY_AFTER_DAYS = (1, 3, 7)  # after the first failure, the second, the third; then lapse
STALE_CLAIM = timedelta(minutes=15)  # a claim this old was left by a crashed worker


@dataclass
class CheckoutData:
    """Validated checkout input (see forms.CheckoutForm)."""

    frequency: str
    amount: int
    currency: str
    email: str
    name: str = ""
    anonymous: bool = False
    cover_fee: bool = False
    fee_amount: int = 0
    appeal: str = ""
    variant: str = ""
    provider: str = "stripe"


@transaction.atomic
def start_checkout(data: CheckoutData):
    """Store the contributor and a pending contribution and ask the provider for a session.

    Everything is in one transaction: if the provider fails, nothing is left behind.
    Returns (contribution, session).
    """
    contributor = _contributor(data)
    contribution = Contribution.objects.create(
        contributor=contributor,
        frequency=data.frequency,
        amount=data.amount,
        fee_amount=data.fee_amount if data.cover_fee else 0,
        currency=data.currency,
        anonymous=data.anonymous,
        provider=data.provider,
        appeal=data.appeal,
        variant=data.variant,
    )
    session = providers.get(data.provider).begin(contribution)
    return contribution, session


def _contributor(data: CheckoutData) -> Contributor:
    index = email_index(data.email)
    contributor = Contributor.objects.select_for_update().filter(email_index=index).first()
    name = None if data.anonymous else (data.name.strip() or None)
    if contributor is None:
        try:
            with transaction.atomic():
                return Contributor.objects.create(
                    email=data.email.strip(), email_index=index, name=name
                )
        except IntegrityError:  # the same person, at the same moment, in another request
            contributor = Contributor.objects.select_for_update().get(email_index=index)
    if name and contributor.name != name:
        contributor.name = name
        contributor.save(update_fields=["name"])
    return contributor


def complete_checkout(contribution: Contribution, reference: str) -> ChargeResult:
    """The browser saved a payment method: charge the first period, on session.

    Safe to call twice (a double click, a retry): the first payment is claimed once.
    """
    provider = providers.get(contribution.provider)
    if not contribution.payment_method:
        method = provider.saved_payment_method(contribution, reference)
        Contribution.objects.filter(pk=contribution.pk, payment_method="").update(
            payment_method=method
        )
        contribution.refresh_from_db()
    payment, claimed = _claim_first_payment(contribution)
    if claimed:
        return _charge(payment, off_session=False)
    if payment.status == Payment.Status.REQUIRES_ACTION:
        return _after_authentication(payment)
    return _result_of(payment)


def _after_authentication(payment: Payment) -> ChargeResult:
    """The donor was asked to authenticate: what does the provider say now? Applied at once,
    so the thank-you page need not wait for the webhook."""
    provider = providers.get(payment.contribution.provider)
    result = provider.find_charge(payment)
    if result is None:
        return _result_of(payment)
    apply_charge_result(payment, result)
    if result.status == "requires_action" and not result.client_secret and result.reference:
        result.client_secret = provider.fetch_client_secret(result.reference)
    return result


def _claim_first_payment(contribution: Contribution) -> tuple[Payment, bool]:
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                contribution=contribution,
                period=0,
                due_on=timezone.localdate(),
                amount=contribution.per_period.amount,
                currency=contribution.currency,
            )
        return payment, True
    except IntegrityError:
        payment = Payment.objects.get(contribution=contribution, period=0)
    # A failed first payment may be tried again by the donor (another card, say).
    retried = Payment.objects.filter(pk=payment.pk, status=Payment.Status.FAILED).update(
        status=Payment.Status.CLAIMED, attempts=F("attempts") + 1, claimed_at=timezone.now()
    )
    payment.refresh_from_db()
    return payment, bool(retried)


def _result_of(payment: Payment) -> ChargeResult:
    return ChargeResult(status=payment.status, reference=payment.provider_reference or None)


def _charge(payment: Payment, *, off_session: bool) -> ChargeResult:
    """Ask the provider to charge a claimed payment and apply what it answers."""
    provider = providers.get(payment.contribution.provider)
    try:
        result = provider.find_charge(payment) if payment.attempts and _was_tried(payment) else None
        result = result or provider.charge(
            payment, off_session=off_session, idempotency_key=payment.idempotency_key()
        )
    except ProviderError as error:
        log.warning("charge of payment %s failed: %s", payment.pk, error.code)
        result = ChargeResult(status="failed", reference=None, failure_code=error.code)
    apply_charge_result(payment, result)
    return result


def _was_tried(payment: Payment) -> bool:
    # A claim older than STALE_CLAIM may have reached the provider before a crash.
    return payment.claimed_at < timezone.now() - STALE_CLAIM


def apply_charge_result(payment: Payment, result: ChargeResult) -> None:
    """Turn the provider's synchronous answer into the same facts a webhook would report."""
    contribution = payment.contribution
    if result.reference:
        Payment.objects.filter(pk=payment.pk).update(provider_reference=result.reference)
    kind = {
        "succeeded": "charge",
        "requires_action": "requires_action",
        "failed": "charge_failed",
    }.get(result.status)
    if kind is None:  # "processing": the webhook will tell
        return
    apply_fact(
        contribution.provider,
        Fact(
            kind=kind,
            reference=result.reference or f"attempt:{payment.idempotency_key()}",
            contribution=str(contribution.pk),
            payment=str(payment.pk),
            amount=result.amount or payment.money,
            occurred_at=result.occurred_at or timezone.now(),
            failure_code=result.failure_code,
            details={"fee": result.fee.amount} if result.fee else {},
        ),
    )


def store_event(provider: str, event: Event) -> bool:
    """Keep a verified webhook event once: False when (provider, event id) is already kept.
    One INSERT (atomic by itself), however many deliveries of the event arrive at once."""
    row = ProviderEvent(
        provider=provider,
        event_id=event.id,
        type=event.type,
        payload=event.payload,
        received_at=timezone.now(),
    )
    fields = ["provider", "event_id", "type", "payload", "received_at", "error"]
    return bool(insert_new(ProviderEvent, [row], fields=fields, unique=["provider", "event_id"]))


# No savepoint of its own: the caller (a drain's batch, or nothing) decides how much a
# failure undoes.
@transaction.atomic(savepoint=False)
def apply_facts(source: str, facts: list[Fact]) -> None:
    """Apply facts in their order. Applying the same facts again, or in another order,
    changes nothing twice. A run of charges (most of what a drain's batch holds) is applied
    together: a few statements for the whole run rather than several per charge."""
    for is_charge, run in groupby(facts, key=lambda fact: fact.kind == "charge"):
        if is_charge:
            _apply_charges(source, list(run))
        else:
            for fact in run:
                _apply_one(source, fact)


def apply_fact(source: str, fact: Fact) -> None:
    """Apply one fact (see apply_facts)."""
    apply_facts(source, [fact])


def _apply_one(source: str, fact: Fact) -> None:
    payment = _payment_for(fact)
    contribution = payment.contribution if payment else _contribution_for(fact)
    if contribution is None:
        log.info("%s fact %s is not about a Readerfund contribution", source, fact.kind)
        return
    handler = FACT_HANDLERS.get(fact.kind)
    if handler:
        handler(source, fact, contribution, payment)


def _payment_for(fact: Fact) -> Payment | None:
    query = Payment.objects.select_for_update().select_related("contribution")
    if fact.payment and fact.payment.isdigit():
        payment = query.filter(pk=int(fact.payment)).first()
        if payment:
            return payment
    reference = fact.charge_reference or (fact.reference if fact.kind != "refund" else None)
    if reference:
        return query.filter(provider_reference=reference).first()
    return None


def _contribution_for(fact: Fact) -> Contribution | None:
    found = _contributions_by_id([fact.contribution])
    return found.get(fact.contribution)


def _contributions_by_id(ids) -> dict[str, Contribution]:
    """Our contributions among these ids (a provider's metadata may name anything), locked."""
    valid = set()
    for value in ids:
        try:
            valid.add(uuid.UUID(value))
        except (TypeError, ValueError, AttributeError):  # not a UUID: not ours
            continue
    if not valid:
        return {}
    found = Contribution.objects.select_for_update().filter(pk__in=valid).order_by("pk")
    return {str(contribution.pk): contribution for contribution in found}


def _apply_charges(source: str, facts: list[Fact]) -> None:
    """Money came in: a ledger entry per charge (and its fee), the payment succeeded, the
    contribution settled, a receipt on its way; each once, however often it is reported."""
    payments = _payments_for_charges(facts)
    orphans = [f.contribution for f, p in zip(facts, payments, strict=True) if p is None]
    contributions = _contributions_by_id(orphans) if orphans else {}
    entries, paid = [], {}
    for fact, payment in zip(facts, payments, strict=True):
        contribution = payment.contribution if payment else contributions.get(fact.contribution)
        if contribution is None:
            log.info("%s fact charge is not about a Readerfund contribution", source)
            continue
        entry = LedgerEntry(
            contribution=contribution,
            payment=payment,
            kind=LedgerEntry.Kind.CHARGE,
            amount=fact.amount.amount if fact.amount else payment.amount,
            currency=contribution.currency,
            occurred_at=fact.occurred_at or timezone.now(),
            source=source,
            reference=fact.reference,
        )
        entries.append(entry)
        if fee := fact.details.get("fee"):
            entries.append(
                LedgerEntry(**{**_fields(entry), "kind": LedgerEntry.Kind.FEE, "amount": -int(fee)})
            )
        if payment is not None:
            payment.status = Payment.Status.SUCCEEDED
            payment.provider_reference = fact.reference
            payment.failure_code = ""
            payment.next_attempt_at = None
            paid[payment.pk] = payment
    written = ledger.record_many(entries)
    if paid:
        _mark_succeeded(sorted(paid.values(), key=lambda p: p.pk))
        _settle(list(paid.values()))
    receipts = sorted(
        {e.payment_id for e in written if e.kind == LedgerEntry.Kind.CHARGE and e.payment_id}
    )
    if receipts:
        from contributions import tasks

        transaction.on_commit(lambda: tasks.send_receipts.enqueue(receipts))


def _mark_succeeded(payments: list[Payment]) -> None:
    """One UPDATE for all: each payment succeeded, with its own provider reference.
    (`bulk_update` builds a CASE per row and column in Python: ten times slower here.)"""
    table = connection.ops.quote_name(Payment._meta.db_table)
    rows = ", ".join(["(%s, %s)"] * len(payments))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, failure_code = '', next_attempt_at = NULL, "  # noqa: S608 — names only
            f"provider_reference = v.column2 FROM (VALUES {rows}) AS v "
            f"WHERE {table}.id = v.column1",
            [Payment.Status.SUCCEEDED.value]
            + [value for p in payments for value in (p.pk, p.provider_reference)],
        )


def _fields(entry: LedgerEntry) -> dict:
    names = ("contribution", "payment", "currency", "occurred_at", "source", "reference")
    return {name: getattr(entry, name) for name in names}


def _payments_for_charges(facts: list[Fact]) -> list[Payment | None]:
    """The payment each charge is about, locked (in id order, so two workers never wait on
    each other in a cycle): by our id from the provider's metadata, else by the provider's
    reference. One query for a run whose charges all carry our ids, as ours do."""
    query = Payment.objects.select_for_update().select_related("contribution").order_by("pk")
    ours = [
        int(fact.payment) if fact.payment and fact.payment.isdigit() else None for fact in facts
    ]
    by_id = {payment.pk: payment for payment in query.filter(pk__in={i for i in ours if i})}
    found = [by_id.get(pk) for pk in ours]
    references = {
        fact.charge_reference or fact.reference
        for fact, payment in zip(facts, found, strict=True)
        if payment is None
    } - {"", None}
    if references:
        by_reference = {
            p.provider_reference: p for p in query.filter(provider_reference__in=references)
        }
        found = [
            payment or by_reference.get(fact.charge_reference or fact.reference)
            for fact, payment in zip(facts, found, strict=True)
        ]
    return found


def _settle(payments: list[Payment]) -> None:
    """Periods were paid: a one-off is done, a recurring contribution is (still) active and,
    after its first payment, scheduled from that payment's day."""
    once = {p.contribution_id for p in payments if not p.contribution.is_recurring}
    if once:
        Contribution.objects.filter(pk__in=once).exclude(status="paid").update(
            status=Contribution.Status.PAID
        )
    recurring = [p for p in payments if p.contribution.is_recurring]
    if not recurring:
        return
    Contribution.objects.filter(
        pk__in={p.contribution_id for p in recurring}, status__in=["pending", "failed", "active"]
    ).update(status=Contribution.Status.ACTIVE)
    anchored = defaultdict(set)
    for payment in recurring:
        if payment.period == 0 and payment.contribution.next_charge_on is None:
            # The first payment is the anchor itself: no need to look it up.
            day = next_period(payment.due_on, payment.contribution.frequency, anchor=payment.due_on)
            anchored[day].add(payment.contribution_id)
    for day, ids in anchored.items():
        Contribution.objects.filter(
            pk__in=ids, status=Contribution.Status.ACTIVE, next_charge_on__isnull=True
        ).update(next_charge_on=day)


def _on_charge_failed(source, fact, contribution, payment):
    if payment is None or payment.status == Payment.Status.SUCCEEDED:
        return
    if fact.reference and payment.provider_reference not in ("", fact.reference):
        return  # a report about an earlier attempt
    retry = _retry_at(payment)
    Payment.objects.filter(pk=payment.pk).exclude(status=Payment.Status.SUCCEEDED).update(
        status=Payment.Status.FAILED,
        failure_code=(fact.failure_code or "failed")[:60],
        next_attempt_at=retry,
    )
    if payment.period == 0:
        Contribution.objects.filter(pk=contribution.pk, status="pending").update(
            status=Contribution.Status.FAILED
        )
        if payment.status != Payment.Status.FAILED and payment.attempts == 1:
            # A checkout's card declined: the breaker counts it once, however often it is
            # reported and however often the donor presses Give again (the row is locked).
            transaction.on_commit(breaker.note_decline)
    elif retry is None:
        _lapse(contribution, payment)


def _retry_at(payment: Payment):
    if payment.period == 0 or payment.attempts > len(RETRY_AFTER_DAYS):
        return None
    return timezone.now() + timedelta(days=RETRY_AFTER_DAYS[payment.attempts - 1])


def _lapse(contribution: Contribution, payment: Payment) -> None:
    lapsed = Contribution.objects.filter(pk=contribution.pk, status="active").update(
        status=Contribution.Status.LAPSED, next_charge_on=None
    )
    if lapsed:
        from contributions import tasks

        transaction.on_commit(lambda: tasks.send_lapsed_notice.enqueue(str(contribution.pk)))


def _on_requires_action(source, fact, contribution, payment):
    if payment is None:
        return
    changed = (
        Payment.objects.filter(pk=payment.pk)
        .exclude(status=Payment.Status.SUCCEEDED)
        .exclude(status=Payment.Status.REQUIRES_ACTION)
        .update(status=Payment.Status.REQUIRES_ACTION, provider_reference=fact.reference)
    )
    if changed and payment.period > 0:
        from contributions import tasks

        transaction.on_commit(lambda: tasks.send_authentication_request.enqueue(payment.pk))


def _record_outflow(kind, source, fact, contribution, payment):
    """Money going back to the donor (a refund, a dispute): a negative entry."""
    ledger.record(
        contribution=contribution,
        payment=payment,
        kind=kind,
        amount=-fact.amount.amount,
        occurred_at=fact.occurred_at or timezone.now(),
        source=source,
        reference=fact.reference,
    )


def _on_refund(source, fact, contribution, payment):
    _record_outflow(LedgerEntry.Kind.REFUND, source, fact, contribution, payment)


def _on_dispute(source, fact, contribution, payment):
    _record_outflow(LedgerEntry.Kind.DISPUTE, source, fact, contribution, payment)
    Contribution.objects.filter(pk=contribution.pk).update(disputed=True)


def _on_card_saved(source, fact, contribution, payment):
    from contributions.manage import ERASED_PREFIX

    if fact.payment_method:
        # A report arriving after the donor erased their data must not bring the card back.
        Contribution.objects.filter(pk=contribution.pk, payment_method="").exclude(
            contributor__email_index__startswith=ERASED_PREFIX
        ).update(payment_method=fact.payment_method)


FACT_HANDLERS = {  # charges are applied in runs by _apply_charges
    "charge_failed": _on_charge_failed,
    "requires_action": _on_requires_action,
    "refund": _on_refund,
    "dispute": _on_dispute,
    "card_saved": _on_card_saved,
}


# Renewals ---------------------------------------------------------------------------------


def charge_due(today: date | None = None, *, limit: int = 500) -> dict:
    """Charge every recurring contribution due by `today`, and retry failed renewals whose
    time has come. Each period is claimed before the provider is called, so two workers, or
    a run after a crash, never charge a period twice. Returns counts."""
    today = today or timezone.localdate()
    counts = {"claimed": 0, "succeeded": 0, "failed": 0, "requires_action": 0}
    for payment in _claim_due(today, limit) + _claim_retries(limit) + _reclaim_stale(limit):
        counts["claimed"] += 1
        result = _charge(payment, off_session=True)
        if result.status in counts:
            counts[result.status] += 1
    return counts


def _claim_due(today: date, limit: int) -> list[Payment]:
    due = Contribution.objects.filter(
        status=Contribution.Status.ACTIVE,
        disputed=False,
        next_charge_on__lte=today,
    ).exclude(frequency=Frequency.ONCE)
    claimed = []
    for contribution in due.order_by("next_charge_on")[:limit]:
        payment = _claim_period(contribution)
        if payment:
            claimed.append(payment)
    return claimed


def _claim_period(contribution: Contribution) -> Payment | None:
    """Claim the contribution's due period: advance its schedule and create the period's
    payment in one transaction. None when another worker got there first."""
    due_on = contribution.next_charge_on
    with transaction.atomic():
        moved = Contribution.objects.filter(
            pk=contribution.pk, next_charge_on=due_on, status=Contribution.Status.ACTIVE
        ).update(next_charge_on=contribution.period_after(due_on))
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


def _claim_retries(limit: int) -> list[Payment]:
    due = Payment.objects.filter(
        status=Payment.Status.FAILED,
        next_attempt_at__lte=timezone.now(),
        contribution__status=Contribution.Status.ACTIVE,
        contribution__disputed=False,
    )
    claimed = []
    for payment in due.order_by("next_attempt_at")[:limit]:
        won = Payment.objects.filter(pk=payment.pk, status=Payment.Status.FAILED).update(
            status=Payment.Status.CLAIMED,
            attempts=F("attempts") + 1,
            claimed_at=timezone.now(),
            next_attempt_at=None,
        )
        if won:
            payment.refresh_from_db()
            claimed.append(payment)
    return claimed


def _reclaim_stale(limit: int) -> list[Payment]:
    """Payments a crashed worker claimed but never finished: look before charging again."""
    cutoff = timezone.now() - STALE_CLAIM
    stale = Payment.objects.filter(status=Payment.Status.CLAIMED, claimed_at__lt=cutoff)
    reclaimed = []
    for payment in stale.order_by("claimed_at")[:limit]:
        # Keep claimed_at old so that _charge asks the provider for an earlier charge first;
        # the conditional update on the row's own claimed_at makes one worker the winner.
        won = Payment.objects.filter(pk=payment.pk, claimed_at=payment.claimed_at).update(
            claimed_at=payment.claimed_at - timedelta(microseconds=1)
        )
        if won:
            payment.refresh_from_db()
            reclaimed.append(payment)
    return reclaimed


def reconcile(*, older_than: timedelta = timedelta(minutes=5)) -> dict:
    """Ask providers about payments still waiting for a webhook, and apply what they say."""
    cutoff = timezone.now() - older_than
    waiting = Payment.objects.filter(
        status__in=[Payment.Status.CLAIMED, Payment.Status.REQUIRES_ACTION],
        claimed_at__lt=cutoff,
    ).select_related("contribution")
    counts = {"checked": 0, "repaired": 0}
    for payment in waiting.iterator():
        counts["checked"] += 1
        provider = providers.get(payment.contribution.provider)
        try:
            result = provider.find_charge(payment)
        except ProviderError as error:
            log.warning("reconcile: payment %s: %s", payment.pk, error.code)
            continue
        if result and result.status != payment.status:
            apply_charge_result(payment, result)
            counts["repaired"] += 1
    return counts


# Refunds by staff -------------------------------------------------------------------------


class RefundRefused(Exception):
    """Why a refund cannot be made, in words for staff."""


def refundable(payment: Payment) -> int:
    """What is left to give back of a payment: charged, less refunds and disputes in the
    ledger, less refunds asked of the provider and not yet answered."""
    from django.db.models import Sum

    kinds = [LedgerEntry.Kind.CHARGE, LedgerEntry.Kind.REFUND, LedgerEntry.Kind.DISPUTE]
    booked = payment.ledger.filter(kind__in=kinds).aggregate(total=Sum("amount"))["total"]
    waiting = payment.refunds.filter(status=Refund.Status.REQUESTED)
    return (booked or 0) - (waiting.aggregate(total=Sum("amount"))["total"] or 0)


def refund_payment(payment: Payment, amount: int, staff_user) -> Refund:
    """Give `amount` (minor units) of a paid payment back to the donor, once.

    The refund is claimed in the database first (the payment row locked, the amount checked
    against what is left), then asked of the provider with an idempotency key from the claim,
    then written to the ledger. Offline gifts are refunded by the newsroom itself (by bank):
    the refund is only recorded. Raises RefundRefused with a message for staff.
    """
    from django.utils.translation import gettext as _

    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update().select_related("contribution").get(pk=payment.pk)
        )
        if payment.status != Payment.Status.SUCCEEDED:
            raise RefundRefused(_("Only a payment that went through can be refunded."))
        left = refundable(payment)
        if not 0 < amount <= left:
            raise RefundRefused(
                _("Refund between %(least)s and %(most)s.")
                % {
                    "least": Money(min(1, left), payment.currency).format(),
                    "most": Money(left, payment.currency).format(),
                }
                if left > 0
                else _("Nothing is left to refund on this payment.")
            )
        refund = Refund.objects.create(
            payment=payment, amount=amount, currency=payment.currency, staff_user=staff_user
        )
    contribution = payment.contribution
    provider = providers.get(contribution.provider)
    source = contribution.provider
    if contribution.provider == "offline":
        reference, source = f"refund-{refund.pk}", "staff"
    else:
        try:
            reference = provider.refund(
                payment, Money(amount, payment.currency), idempotency_key=refund.idempotency_key()
            )
        except ProviderError as error:
            log.warning("refund %s refused by %s: %s", refund.pk, source, error.code)
            with transaction.atomic():
                Refund.objects.filter(pk=refund.pk).update(
                    status=Refund.Status.FAILED, failure_code=(error.code or "")[:60]
                )
                _audit_refund(refund, staff_user, status="failed", code=error.code or "")
            raise RefundRefused(
                _("The payment provider refused the refund (%(code)s). Nothing was refunded.")
                % {"code": error.code}
            ) from error
    _finish_refund(refund, source, reference)
    refund.refresh_from_db()
    return refund


@transaction.atomic
def _finish_refund(refund: Refund, source: str, reference: str) -> None:
    """The provider made the refund: mark it done and write it to the ledger (once: the
    provider's own report of it, or a second finish, is the same ledger fact)."""
    done = Refund.objects.filter(pk=refund.pk, status=Refund.Status.REQUESTED).update(
        status=Refund.Status.DONE, provider_reference=reference
    )
    if not done:
        return
    payment = refund.payment
    ledger.record(
        contribution=payment.contribution,
        payment=payment,
        kind=LedgerEntry.Kind.REFUND,
        amount=-refund.amount,
        occurred_at=timezone.now(),
        source=source,
        reference=reference,
        staff_user=refund.staff_user,
    )
    _audit_refund(refund, refund.staff_user, status="done")
    from contributions import tasks

    transaction.on_commit(lambda: tasks.send_refund_notice.enqueue(refund.pk))


def reconcile_refunds(*, older_than: timedelta = STALE_CLAIM) -> dict:
    """Refunds claimed and never finished (the process died while the provider answered):
    ask the provider by the refund's idempotency key. Found: finished as if just answered.
    Not found: the provider never got it; the claim is released (marked failed)."""
    counts = {"refunds_finished": 0, "refunds_released": 0}
    stale = Refund.objects.filter(
        status=Refund.Status.REQUESTED, created_at__lt=timezone.now() - older_than
    ).select_related("payment__contribution", "staff_user")
    for refund in stale.exclude(payment__contribution__provider="offline"):
        source = refund.payment.contribution.provider
        try:
            reference = providers.get(source).find_refund(refund.payment, refund.idempotency_key())
        except ProviderError as error:
            log.warning("reconcile: refund %s: %s", refund.pk, error.code)
            continue
        if reference:
            _finish_refund(refund, source, reference)
            counts["refunds_finished"] += 1
            continue
        with transaction.atomic():
            released = Refund.objects.filter(pk=refund.pk, status=Refund.Status.REQUESTED).update(
                status=Refund.Status.FAILED, failure_code="never_reached_provider"
            )
            if released:
                _audit_refund(refund, refund.staff_user, status="failed", code="not_reached")
                counts["refunds_released"] += 1
    return counts


def _audit_refund(refund: Refund, staff_user, **details) -> None:
    audit.record(
        audit.Action.REFUND,
        via=audit.Via.ADMIN,
        actor=staff_user,
        target=f"payment:{refund.payment_id}",
        amount=refund.amount,
        currency=refund.currency,
        **details,
    )
