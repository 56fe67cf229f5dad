"""The one way into the ledger. Every movement of money — a provider's answer to a charge, a
webhook, an offline gift, a staff refund, a dispute — is a `Fact`, applied here: a ledger
entry written once (whatever the order or number of reports), the payment and contribution
brought up to date, the donor's email on its way. `LedgerEntry` rows are made nowhere else
(tests/contributions/test_ledger.py fails if another path appears).
"""

import logging
import uuid
from collections import defaultdict
from datetime import timedelta
from itertools import groupby

from django.db import transaction
from django.utils import timezone

from contributions import breaker, ledger, notices
from contributions.models import (
    ERASED_PREFIX,
    Contribution,
    Contributor,
    LedgerEntry,
    Payment,
    ProviderEvent,
)
from contributions.providers.base import Event, Fact
from contributions.schedule import next_period
from readerfund.lib.sql import insert_new

log = logging.getLogger(__name__)

RETRY_AFTER_DAYS = (1, 3, 7)  # after the first failure, the second, the third; then lapse


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
    return _contributions_by_id([fact.contribution]).get(fact.contribution)


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


# Charges ----------------------------------------------------------------------------------


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
        entries += _charge_entries(source, fact, contribution, payment)
        if payment is not None:
            payment.provider_reference = fact.reference
            paid[payment.pk] = payment
    written = ledger.record_many(entries)
    if paid:
        Payment.objects.mark_succeeded(sorted(paid.values(), key=lambda p: p.pk))
        _settle(list(paid.values()))
    receipts = sorted(
        {e.payment_id for e in written if e.kind == LedgerEntry.Kind.CHARGE and e.payment_id}
    )
    if receipts:
        transaction.on_commit(lambda: notices.send_receipts.enqueue(receipts))


def _charge_entries(source, fact, contribution, payment) -> list[LedgerEntry]:
    """The charge's entry, and its fee's (negative) when the provider named one."""
    amount = fact.amount.amount if fact.amount else payment.amount
    entries = [_entry(LedgerEntry.Kind.CHARGE, amount, source, fact, contribution, payment)]
    if fee := fact.details.get("fee"):
        entries.append(_entry(LedgerEntry.Kind.FEE, -int(fee), source, fact, contribution, payment))
    return entries


def _entry(kind, amount, source, fact, contribution, payment) -> LedgerEntry:
    return LedgerEntry(
        contribution=contribution,
        payment=payment,
        kind=kind,
        amount=amount,
        currency=contribution.currency,
        occurred_at=fact.occurred_at or timezone.now(),
        source=source,
        reference=fact.reference,
        staff_user=fact.staff_user,
    )


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
    _adopt_names([p.contribution for p in payments if p.period == 0])
    once = {p.contribution_id for p in payments if not p.contribution.is_recurring}
    if once:
        Contribution.objects.filter(pk__in=once).settle_once()
    recurring = [p for p in payments if p.contribution.is_recurring]
    if not recurring:
        return
    Contribution.objects.filter(pk__in={p.contribution_id for p in recurring}).activate()
    anchored = defaultdict(set)
    for payment in recurring:
        if payment.period == 0 and payment.contribution.next_charge_on is None:
            # The first payment is the anchor itself: no need to look it up.
            day = next_period(payment.due_on, payment.contribution.frequency, anchor=payment.due_on)
            anchored[day].add(payment.contribution_id)
    for day, ids in anchored.items():
        Contribution.objects.filter(pk__in=ids).schedule_from(day)


def _adopt_names(contributions: list[Contribution]) -> None:
    """A gift's first payment succeeded: the name given with it becomes its donor's (never
    an erased donor's). Until then an unpaid checkout under someone's address, with a name
    chosen to frighten them, cannot reach their receipts."""
    for contribution in contributions:
        if contribution.name and not contribution.anonymous:
            Contributor.objects.filter(pk=contribution.contributor_id).exclude(
                email_index__startswith=ERASED_PREFIX
            ).update(name=contribution.name)


# Everything else a provider reports ----------------------------------------------------------


def _on_charge_failed(source, fact, contribution, payment):
    if payment is None or payment.status == Payment.Status.SUCCEEDED:
        return
    if fact.reference and payment.provider_reference not in ("", fact.reference):
        return  # a report about an earlier attempt
    retry = _retry_at(payment)
    Payment.objects.filter(pk=payment.pk).mark_failed(fact.failure_code or "failed", retry)
    if payment.period == 0:
        Contribution.objects.filter(pk=contribution.pk).fail_first()
        if payment.status != Payment.Status.FAILED and payment.attempts == 1:
            # A checkout's card declined: the breaker counts it once, however often it is
            # reported and however often the donor presses Give again (the row is locked).
            transaction.on_commit(breaker.note_decline)
    elif retry is None:
        _lapse(contribution)


def _retry_at(payment: Payment):
    if payment.period == 0 or payment.attempts > len(RETRY_AFTER_DAYS):
        return None
    return timezone.now() + timedelta(days=RETRY_AFTER_DAYS[payment.attempts - 1])


def _lapse(contribution: Contribution) -> None:
    if Contribution.objects.filter(pk=contribution.pk).lapse():
        pk = str(contribution.pk)
        transaction.on_commit(lambda: notices.send_lapsed_notice.enqueue(pk))


def _on_requires_action(source, fact, contribution, payment):
    if payment is None:
        return
    changed = Payment.objects.filter(pk=payment.pk).mark_requires_action(fact.reference)
    if changed and payment.period > 0:
        transaction.on_commit(lambda: notices.send_authentication_request.enqueue(payment.pk))


def _record_outflow(kind, source, fact, contribution, payment) -> None:
    """Money going back to the donor (a refund, a dispute): a negative entry."""
    ledger.record_many([_entry(kind, -fact.amount.amount, source, fact, contribution, payment)])


def _on_refund(source, fact, contribution, payment):
    _record_outflow(LedgerEntry.Kind.REFUND, source, fact, contribution, payment)


def _on_dispute(source, fact, contribution, payment):
    _record_outflow(LedgerEntry.Kind.DISPUTE, source, fact, contribution, payment)
    if not _won(source, fact.reference):  # a late report of a dispute already won
        Contribution.objects.filter(pk=contribution.pk).mark_disputed()


WON = ":won"  # the reversal of a won dispute: the dispute's reference and this suffix


def _won(source: str, dispute_reference: str) -> bool:
    reversal = dispute_reference + WON
    return LedgerEntry.objects.filter(
        source=source, reference=reversal, kind=LedgerEntry.Kind.DISPUTE
    ).exists()


def _on_dispute_won(source, fact, contribution, payment):
    """The money came back: a positive dispute entry (once) and the schedule resumes, from
    its next period not yet past (the paused ones are not charged after the fact)."""
    reversal = Fact(**{**fact.__dict__, "reference": fact.reference + WON})
    entry = _entry(
        LedgerEntry.Kind.DISPUTE, fact.amount.amount, source, reversal, contribution, payment
    )
    if ledger.record_many([entry]):
        Contribution.objects.filter(pk=contribution.pk).resume_after_dispute(timezone.localdate())


def _on_dispute_lost(source, fact, contribution, payment):
    """The bank kept the money for the cardholder: no further charge of this card."""
    Contribution.objects.filter(pk=contribution.pk).mark_disputed()
    Contribution.objects.filter(pk=contribution.pk).stop()


def _on_card_saved(source, fact, contribution, payment):
    if fact.payment_method:
        # A report arriving after the donor erased their data must not bring the card back.
        Contribution.objects.filter(pk=contribution.pk).save_payment_method(fact.payment_method)


FACT_HANDLERS = {  # charges are applied in runs by _apply_charges
    "charge_failed": _on_charge_failed,
    "requires_action": _on_requires_action,
    "refund": _on_refund,
    "dispute": _on_dispute,
    "dispute_won": _on_dispute_won,
    "dispute_lost": _on_dispute_lost,
    "card_saved": _on_card_saved,
}
