"""Writing the audit log. Callers pass opaque ids and figures only: this module refuses
anything that looks like an email address, so a careless caller fails loudly in tests
rather than writing personal data into a table kept for years."""

import re

from privacy.models import AuditEvent

Action, Via = AuditEvent.Action, AuditEvent.Via
_EMAILISH = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def record(action: str, *, via: str, actor=None, target: str = "", **details) -> AuditEvent:
    """Append one event, in the caller's transaction (it is kept only if the action is)."""
    for value in [target, *map(str, details.values())]:
        if _EMAILISH.search(value):
            raise ValueError("the audit log takes ids and figures, never an email address")
    return AuditEvent.objects.create(
        action=action,
        via=via,
        actor=actor if actor is not None and actor.is_authenticated else None,
        target=target,
        details=details,
    )
