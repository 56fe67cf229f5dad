"""Staff give a payment back, in full or in part: claimed in the database, asked of the
provider with an idempotency key, then applied as a refund fact (the provider's own report
of it is the same fact, so it changes nothing twice)."""

import logging

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from contributions import notices, providers
from contributions.models import LedgerEntry, Payment, Refund
from contributions.money import Money
from contributions.providers.base import Fact, OutcomeUnknown, ProviderError, Unsupported
from contributions.services.facts import apply_fact
from privacy import audit

log = logging.getLogger(__name__)

STAFF = "staff"  # the ledger's source for what staff did by hand (offline gifts, their refunds)


class RefundRefused(Exception):
    """Why a refund cannot be made, in words for staff."""


def refundable(payment: Payment) -> int:
    """What is left to give back of a payment: charged, less refunds and disputes in the
    ledger, less refunds asked of the provider and not yet answered."""
    kinds = [LedgerEntry.Kind.CHARGE, LedgerEntry.Kind.REFUND, LedgerEntry.Kind.DISPUTE]
    booked = payment.ledger.filter(kind__in=kinds).aggregate(total=Sum("amount"))["total"]
    waiting = payment.refunds.filter(status=Refund.Status.REQUESTED)
    return (booked or 0) - (waiting.aggregate(total=Sum("amount"))["total"] or 0)


def refund_payment(payment: Payment, amount: int, staff_user) -> Refund:
    """Give `amount` (minor units) of a paid payment back to the donor, once.

    The refund is claimed in the database first (the payment row locked, the amount checked
    against what is left), then asked of the provider with an idempotency key from the claim,
    then written to the ledger. A provider that cannot send money back (offline gifts: the
    newsroom refunds by bank) raises Unsupported: the refund is only recorded, by staff.
    When the provider does not answer, the refund is returned still requested ("waiting for
    the provider"): reconcile_refunds finishes or releases it. Raises RefundRefused with a
    message for staff.
    """
    refund = _claim(payment, amount, staff_user)
    payment = refund.payment
    source = payment.contribution.provider
    try:
        reference = providers.get(source).refund(
            payment, Money(amount, payment.currency), idempotency_key=refund.idempotency_key()
        )
    except Unsupported:
        reference, source = f"refund-{refund.pk}", STAFF
    except OutcomeUnknown as error:
        # The provider may have refunded: the refund stays requested (its amount is not
        # refundable again) until reconcile asks by its idempotency key and settles it.
        log.warning("refund %s: no answer from %s (%s)", refund.pk, source, error.code)
        refund.refresh_from_db()
        return refund
    except ProviderError as error:
        raise _refused(refund, source, error) from error
    _finish(refund, source, reference)
    refund.refresh_from_db()
    return refund


@transaction.atomic
def _claim(payment: Payment, amount: int, staff_user) -> Refund:
    payment = Payment.objects.select_for_update().select_related("contribution").get(pk=payment.pk)
    if payment.status != Payment.Status.SUCCEEDED:
        raise RefundRefused(_("Only a payment that went through can be refunded."))
    left = refundable(payment)
    if not 0 < amount <= left:
        raise RefundRefused(_out_of_range(left, payment.currency))
    return Refund.objects.create(
        payment=payment, amount=amount, currency=payment.currency, staff_user=staff_user
    )


def _out_of_range(left: int, currency: str) -> str:
    if left <= 0:
        return _("Nothing is left to refund on this payment.")
    return _("Refund between %(least)s and %(most)s.") % {
        "least": Money(min(1, left), currency).format(),
        "most": Money(left, currency).format(),
    }


def _refused(refund: Refund, source: str, error: ProviderError) -> RefundRefused:
    """The provider said no: the claim is released, and staff are told why."""
    log.warning("refund %s refused by %s: %s", refund.pk, source, error.code)
    with transaction.atomic():
        Refund.objects.filter(pk=refund.pk).fail(error.code or "")
        _audit(refund, refund.staff_user, status="failed", code=error.code or "")
    return RefundRefused(
        _("The payment provider refused the refund (%(code)s). Nothing was refunded.")
        % {"code": error.code}
    )


@transaction.atomic
def _finish(refund: Refund, source: str, reference: str) -> None:
    """The provider made the refund: mark it done and apply it as a fact (once: the
    provider's own report of it, or a second finish, is the same ledger fact)."""
    if not Refund.objects.filter(pk=refund.pk).finish(reference):
        return
    payment = refund.payment
    fact = Fact(
        kind="refund",
        reference=reference,
        contribution=str(payment.contribution_id),
        payment=str(payment.pk),
        amount=Money(refund.amount, refund.currency),
        occurred_at=timezone.now(),
        staff_user=refund.staff_user,
    )
    apply_fact(source, fact)
    _audit(refund, refund.staff_user, status="done")
    # The donor hears of it from us: the provider never has their address.
    transaction.on_commit(lambda: notices.send_refund_notice.enqueue(refund.pk))


def finish_unanswered(refund: Refund) -> str:
    """A refund claimed and never finished (the process died while the provider answered):
    ask the provider by the refund's idempotency key. Found: finished as if just answered
    ("finished"). Not found: the provider never got it, the claim is released ("released").
    Raises ProviderError when the provider cannot be asked."""
    source = refund.payment.contribution.provider
    reference = providers.get(source).find_refund(refund.payment, refund.idempotency_key())
    if reference:
        _finish(refund, source, reference)
        return "finished"
    with transaction.atomic():
        if Refund.objects.filter(pk=refund.pk).fail("never_reached_provider"):
            _audit(refund, refund.staff_user, status="failed", code="not_reached")
            return "released"
    return ""


def _audit(refund: Refund, staff_user, **details) -> None:
    audit.record(
        audit.Action.REFUND,
        via=audit.Via.ADMIN,
        actor=staff_user,
        target=f"payment:{refund.payment_id}",
        amount=refund.amount,
        currency=refund.currency,
        **details,
    )
