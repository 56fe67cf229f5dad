"""A donor stops one of their recurring contributions from their manage page, or resumes
one they stopped (or restarts one that lapsed)."""

import logging
import secrets
from datetime import date

from django.db import transaction
from django.utils import timezone

from contributions import notices
from contributions.models import Contribution, Contributor, Payment
from privacy import audit

log = logging.getLogger(__name__)


def stop(contributor: Contributor, contribution_pk) -> bool:
    """Cancel one of the donor's active recurring contributions: no further payment is
    claimed (charge_due and its retries only take active ones). Payments already made and
    their ledger entries stay; the donor is told by email. False when there was nothing
    to stop."""
    stopped = Contribution.objects.filter(pk=contribution_pk, contributor=contributor).stop()
    if stopped:
        transaction.on_commit(lambda: notices.send_stop_notice.enqueue(str(contribution_pk)))
        log.info("contribution %s stopped by its donor", contribution_pk)
        audit.record(
            audit.Action.STOP, via=audit.Via.DONOR, target=f"contribution:{contribution_pk}"
        )
    return bool(stopped)


def resume(contributor: Contributor, contribution_pk, today: date | None = None) -> date | None:
    """Make a stopped (or lapsed) recurring contribution of the donor's active again. Its
    next period is due today, or, when the last period paid still runs, the day it ends: a
    donor who stops and resumes is never charged twice for one period. The donor is told by
    email. The date of the next payment; None when there was nothing to resume."""
    today = today or timezone.localdate()
    contribution = Contribution.objects.filter(pk=contribution_pk, contributor=contributor).first()
    if contribution is None or not contribution.is_recurring:
        return None
    next_on = max(today, _end_of_paid_period(contribution) or today)
    with transaction.atomic():
        if not Contribution.objects.filter(pk=contribution.pk).resume(next_on):
            return None
        audit.record(
            audit.Action.RESUME,
            via=audit.Via.DONOR,
            target=f"contribution:{contribution.pk}",
            was=contribution.status,
        )
        key = f"{contribution.pk}.{secrets.token_hex(4)}"
        transaction.on_commit(lambda: notices.send_notice.enqueue("change_notice", key))
    log.info("contribution %s resumed by its donor", contribution.pk)
    return next_on


def _end_of_paid_period(contribution: Contribution) -> date | None:
    last = (
        contribution.payments.filter(status=Payment.Status.SUCCEEDED)
        .order_by("-due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    return contribution.period_after(last) if last else None
