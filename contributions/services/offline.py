"""Gifts that arrived by bank transfer or cheque, recorded by staff: a paid one-off
contribution whose charge is a staff fact, with the same receipt as any other gift."""

from datetime import time

from django.db import transaction
from django.utils import timezone

from contributions.models import Contribution, Frequency, Payment
from contributions.providers.base import Fact
from contributions.services.checkout import contributor_for
from contributions.services.facts import apply_fact
from contributions.services.refunds import STAFF
from privacy import audit

PROVIDER = "offline"  # the registered provider whose gifts staff enter by hand


@transaction.atomic
def record_offline_gift(data: dict, staff_user) -> Contribution:
    """Store an offline gift (the admin form's cleaned data) as a one-off contribution and
    apply its charge: ledger entry, paid contribution and receipt, as for any gift."""
    contributor = contributor_for(data["email"])
    money = data["money"]
    contribution = Contribution.objects.create(
        contributor=contributor,
        name=None if data["anonymous"] else (data["name"] or "").strip() or None,
        frequency=Frequency.ONCE,
        amount=money.amount,
        currency=money.currency,
        anonymous=data["anonymous"],
        provider=PROVIDER,
    )
    payment = Payment.objects.create(
        contribution=contribution,
        period=0,
        due_on=data["received_on"],
        amount=money.amount,
        currency=money.currency,
    )
    apply_fact(STAFF, _charge(data, payment, staff_user))
    _audit(contribution, staff_user)
    contribution.refresh_from_db()
    return contribution


def _charge(data: dict, payment: Payment, staff_user) -> Fact:
    received = timezone.datetime.combine(data["received_on"], time(12))
    return Fact(
        kind="charge",
        reference=data["reference"],
        contribution=str(payment.contribution_id),
        payment=str(payment.pk),
        amount=data["money"],
        occurred_at=timezone.make_aware(received),
        staff_user=staff_user,
    )


def _audit(contribution: Contribution, staff_user) -> None:
    audit.record(
        audit.Action.OFFLINE_GIFT,
        via=audit.Via.ADMIN,
        actor=staff_user,
        target=f"contribution:{contribution.pk}",
        amount=contribution.amount,
        currency=contribution.currency,
    )
