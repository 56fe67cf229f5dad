"""A donor changes their recurring gift from their manage page: the amount, how often, or
both, from the next period on. Nothing is charged now and the ledger is untouched: the next
period claimed (services.renewals) charges the new amount."""

import logging
import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from contributions import notices, providers
from contributions.choice import read_choice
from contributions.models import Contribution, Contributor, CurrencyOption, Frequency
from contributions.money import Money
from contributions.providers.base import ProviderError
from privacy import audit

log = logging.getLogger(__name__)


@dataclass
class Change:
    """What the donor asked for, read and checked: errors per field, or the new gift."""

    amount: Money | None = None
    frequency: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)


def read_change(contribution: Contribution, data) -> Change:
    """The new amount (in major units, "15" or "15.50") and frequency (monthly or annual),
    within the limits of the contribution's currency."""
    currencies = list(CurrencyOption.objects.filter(code=contribution.currency))
    query = {
        "frequency": data.get("frequency", ""),
        "amount": data.get("amount", ""),
        "currency": contribution.currency,
    }
    choice = read_choice(query, strict=True, currencies=currencies)
    change = Change(amount=choice.amount, frequency=choice.frequency, errors=dict(choice.errors))
    if not currencies:
        change.errors = {"amount": [_("This currency is no longer accepted.")]}
    if choice.frequency == Frequency.ONCE and "frequency" not in change.errors:
        change.errors["frequency"] = [_("Choose monthly or annual.")]
    return change


def change(contributor: Contributor, contribution_pk, data) -> Change:
    """Change one of the donor's active recurring contributions from its next period on.
    A fee the donor chose to cover is worked out again for the new amount. The donor is
    told by email and the audit log records it (ids and figures only). `errors` when the
    request is not valid or the contribution is not active: then nothing changed."""
    contribution = Contribution.objects.filter(pk=contribution_pk, contributor=contributor).first()
    if contribution is None or not contribution.is_recurring:
        return Change(errors={"form": [_("This contribution cannot be changed.")]})
    asked = read_change(contribution, data)
    if asked.errors:
        return asked
    fee = _fee_for(contribution, asked.amount)
    with transaction.atomic():
        changed = Contribution.objects.filter(pk=contribution.pk).change_gift(
            asked.amount.amount, fee, asked.frequency
        )
        if changed:
            _record(contribution, asked, fee)
    if not changed and contribution.status != Contribution.Status.ACTIVE:
        asked.errors["form"] = [_("Only an active contribution can be changed.")]
    return asked


def _fee_for(contribution: Contribution, amount: Money) -> int:
    """The fee to cover with the new amount, when the donor covered it before."""
    if not contribution.fee_amount:
        return 0
    try:
        return providers.get(contribution.provider).fee_estimate(amount).amount
    except (KeyError, ProviderError):
        return contribution.fee_amount


def _record(contribution: Contribution, asked: Change, fee: int) -> None:
    pk = str(contribution.pk)
    audit.record(
        audit.Action.CHANGE,
        via=audit.Via.DONOR,
        target=f"contribution:{pk}",
        amount=asked.amount.amount + fee,
        currency=contribution.currency,
        frequency=asked.frequency,
        previous_amount=contribution.per_period.amount,
        previous_frequency=contribution.frequency,
    )
    key = f"{pk}.{secrets.token_hex(4)}"  # each change is told of once
    transaction.on_commit(lambda: notices.send_notice.enqueue("change_notice", key))
    log.info("contribution %s changed by its donor", pk)
