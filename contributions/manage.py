"""Donors manage their giving without an account: a signed link by email, the contributions
it opens, stopping one, and erasing what we hold about the donor.

The link carries one signed token naming the contributor (its id, nothing else) and works
for 24 hours. Whoever holds it can stop contributions and erase the donor's data, which is
what the person at that address may do anyway; it can never move money.
"""

import logging
import secrets
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone

from contributions.models import Contribution, Contributor, Frequency, Payment
from privacy import audit

log = logging.getLogger(__name__)

MANAGE_SALT = "readerfund.manage"
MANAGE_MAX_AGE = timedelta(hours=24)
ERASED_PREFIX = "erased-"  # an erased contributor's email_index: random, never a real hash
RECENT_PAYMENTS = 12  # per contribution, on the page


class InvalidLink(Exception):
    """A token that was changed, has expired, or names no contributor."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "not valid")
        self.expired = expired


def manage_token(contributor: Contributor) -> str:
    return signing.dumps({"contributor": contributor.pk}, salt=MANAGE_SALT)


def contributor_from_token(token: str, max_age: timedelta = MANAGE_MAX_AGE) -> Contributor:
    """The contributor a token names; InvalidLink when changed, expired or gone."""
    try:
        data = signing.loads(token, salt=MANAGE_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvalidLink(expired=True) from None
    except signing.BadSignature:
        raise InvalidLink() from None
    pk = data.get("contributor") if isinstance(data, dict) else None
    contributor = Contributor.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if contributor is None:
        raise InvalidLink()
    return contributor


def is_erased(contributor: Contributor) -> bool:
    return contributor.email_index.startswith(ERASED_PREFIX)


def overview(contributor: Contributor) -> list[dict]:
    """The donor's contributions, newest first, each with its recent succeeded payments."""
    contributions = contributor.contributions.order_by("-created_at")
    found = []
    for contribution in contributions:
        payments = contribution.payments.filter(status=Payment.Status.SUCCEEDED).order_by(
            "-due_on"
        )[:RECENT_PAYMENTS]
        found.append(
            {
                "contribution": contribution,
                "payments": list(payments),
                "can_stop": _can_stop(contribution),
            }
        )
    return found


def _can_stop(contribution: Contribution) -> bool:
    return contribution.is_recurring and contribution.status == Contribution.Status.ACTIVE


def _stoppable():
    return Contribution.objects.filter(status=Contribution.Status.ACTIVE).exclude(
        frequency=Frequency.ONCE
    )


def stop(contributor: Contributor, contribution_pk) -> bool:
    """Cancel one of the donor's active recurring contributions: no further payment is
    claimed (charge_due and its retries only take active ones). Payments already made and
    their ledger entries stay. False when there was nothing to stop."""
    stopped = (
        _stoppable()
        .filter(pk=contribution_pk, contributor=contributor)
        .update(
            status=Contribution.Status.CANCELLED, next_charge_on=None, updated_at=timezone.now()
        )
    )
    if stopped:
        log.info("contribution %s stopped by its donor", contribution_pk)
        audit.record(
            audit.Action.STOP, via=audit.Via.DONOR, target=f"contribution:{contribution_pk}"
        )
    return bool(stopped)


def erase_contributors(index: str) -> dict[str, int]:
    """Erase the personal data of the contributor found by an email blind index: stop their
    recurring contributions, replace email and name, give them a random index (so the address
    finds them no more) and drop the provider's customer ids and saved cards. Contributions,
    payments and the ledger stay: they hold amounts and dates, no personal data."""
    counts = {"contributors": 0, "contributions_stopped": 0}
    with transaction.atomic():
        contributor = Contributor.objects.select_for_update().filter(email_index=index).first()
        if contributor is None or is_erased(contributor):
            return counts
        counts["contributions_stopped"] = (
            _stoppable()
            .filter(contributor=contributor)
            .update(
                status=Contribution.Status.CANCELLED, next_charge_on=None, updated_at=timezone.now()
            )
        )
        contributor.contributions.update(payment_method="")
        contributor.email = ""  # the field is not nullable; "" is encrypted like any text
        contributor.name = None
        contributor.email_index = ERASED_PREFIX + secrets.token_hex(28)
        contributor.provider_customers = {}
        contributor.save(update_fields=["email", "name", "email_index", "provider_customers"])
        counts["contributors"] = 1
    log.info("contributor %s erased: %s", contributor.pk, counts)
    return counts
