"""Taking one appeal event from a reader: the rate limit, the body, the count.

Both doors use this: `views.events` (Django) and `fastpath.EventsFastPath` (before Django,
for the one answer a flood of events needs fast: counted, or over the limit). The outcome
says what happened; each door turns it into its response.
"""

import enum
import json

from appeals import services
from readerfund.lib.ratelimit import ProcessLimit

EVENTS_LIMIT = 300  # events …
EVENTS_WINDOW = 300  # … per 5 minutes per address (a page view sends one to three)
# In process memory, not the shared cache: a flood of events must write nothing there, where
# it would cost file writes and could evict the checkout's counters and the breaker's state.
LIMITER = ProcessLimit(limit=EVENTS_LIMIT, window=EVENTS_WINDOW)
MAX_BODY = 1024


class Outcome(enum.Enum):
    COUNTED = "counted"
    LIMITED = "limited"
    TOO_LARGE = "too large"
    NOT_AN_OBJECT = "not a JSON object"
    INVALID = "not {appeal, variant, event} with a known event"
    UNKNOWN = "unknown appeal or variant"


FIELDS = frozenset({"appeal", "variant", "event"})


def take(address: str, body: bytes) -> Outcome:
    """Count the event in `body` ({appeal, variant, event}) sent from `address`."""
    if LIMITER.hit(address):
        return Outcome.LIMITED
    if len(body) > MAX_BODY:
        return Outcome.TOO_LARGE
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return Outcome.NOT_AN_OBJECT
    if not isinstance(data, dict):
        return Outcome.NOT_AN_OBJECT
    if data.keys() != FIELDS or not all(isinstance(value, str) for value in data.values()):
        return Outcome.INVALID  # what /api/schema refuses is refused, extra fields too
    try:
        services.record_event(data["appeal"], data["variant"], data["event"])
    except services.UnknownEvent:
        return Outcome.INVALID
    except services.BadEvent:
        return Outcome.UNKNOWN
    return Outcome.COUNTED


def forget() -> None:
    """For tests: no address has sent anything yet."""
    LIMITER.forget()
