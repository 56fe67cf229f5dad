"""The decline-rate breaker: when card declines spike, checkout slows down for everyone.

Someone testing stolen cards starts many checkouts whose first payment is declined. When, in
the last 10 minutes, at least READERFUND_BREAKER_MIN_DECLINES first payments were declined
and they make at least READERFUND_BREAKER_DECLINE_PERCENT of the checkouts started, the
breaker trips: for READERFUND_BREAKER_COOLDOWN seconds after the condition last held, all
clients together may start READERFUND_BREAKER_BUDGET checkouts a minute, and each address
SLOWED_LIMIT in SLOWED_WINDOW. No CAPTCHA: readers on Tor wait like everyone else.

Counts live in the shared cache (Redis when configured) in one-minute buckets; nothing
about a reader is kept, and an address is only ever seen through ratelimit's keyed hash.
"""

import logging
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.utils.translation import gettext as _

from readerfund.lib import ratelimit

log = logging.getLogger(__name__)

BUCKET = 60  # seconds counted together
WINDOW = 600  # the sliding window the decline rate is measured over: ten buckets
SLOWED_LIMIT = 3  # checkouts per address …
SLOWED_WINDOW = 600  # … per 10 minutes while the breaker is tripped (10 when it is not)
TRIP_KEY = "breaker:trip"


def note_checkout() -> None:
    """Count one checkout started. Never raises: counting must not cost a reader a gift."""
    try:
        _count("checkouts", time.time())
    except Exception as error:  # any cache failure: see the docstring
        log.warning("breaker: a checkout was not counted (%s)", _name(error))


def note_decline() -> None:
    """Count one declined first payment, and trip the breaker when declines spike.

    Cheap (three or four cache round trips) and never raises: a cache failure is logged,
    without personal data, and swallowed.
    """
    try:
        now = time.time()
        _count("declines", now)
        _trip_if_spiking(now)
    except Exception as error:  # any cache failure: see the docstring
        log.warning("breaker: a decline was not counted (%s)", _name(error))


def _name(error: Exception) -> str:
    return type(error.__cause__ or error).__name__  # the cache's own error, not its wrapper


def state() -> dict:
    """The window's figures and whether checkout is slowed, for staff and tests.

    `checkouts` and `declines` are the last 10 minutes'; `since`, `until` and the
    `tripped_at_*` figures (those that last held the breaker) are set while it is tripped.
    """
    now = time.time()
    checkouts, declines = _window(now)
    trip = _trip(now)
    return {
        "checkouts": checkouts,
        "declines": declines,
        "tripped": trip is not None,
        "since": _datetime(trip["since"]) if trip else None,
        "until": _datetime(trip["until"]) if trip else None,
        "tripped_at_checkouts": trip["checkouts"] if trip else None,
        "tripped_at_declines": trip["declines"] if trip else None,
    }


def checkout_slowed(request) -> JsonResponse | None:
    """429 when the breaker is tripped and this checkout is over the slowed-down limits."""
    if _trip(time.time()) is None:
        return None
    address = ratelimit.client_address(request)
    # The address first: one client over its own limit spends none of everyone's budget.
    if ratelimit.hit("breaker-ip", address, limit=SLOWED_LIMIT, window=SLOWED_WINDOW):
        return _slowed(SLOWED_WINDOW - int(time.time()) % SLOWED_WINDOW)
    if ratelimit.hit("breaker-all", "all", limit=settings.READERFUND_BREAKER_BUDGET, window=60):
        return _slowed(60 - int(time.time()) % 60)
    return None


def _slowed(retry_after: int) -> JsonResponse:
    return ratelimit.too_many(
        retry_after,
        _(
            "Many payments are failing right now, so we are slowing checkout down. "
            "Please try again in a few minutes."
        ),
    )


def _bucket_key(kind: str, bucket: int) -> str:
    return f"breaker:{kind}:{bucket}"


def _count(kind: str, now: float) -> None:
    ratelimit.count(_bucket_key(kind, int(now) // BUCKET), WINDOW + BUCKET)


def _window(now: float) -> tuple[int, int]:
    """(checkouts, declines) in the buckets of the last WINDOW seconds, this one included."""
    last = int(now) // BUCKET
    buckets = range(last - WINDOW // BUCKET + 1, last + 1)
    keys = {kind: [_bucket_key(kind, b) for b in buckets] for kind in ("checkouts", "declines")}
    found = cache.get_many(keys["checkouts"] + keys["declines"])
    checkouts = sum(found.get(key, 0) for key in keys["checkouts"])
    return checkouts, sum(found.get(key, 0) for key in keys["declines"])


def spiking(checkouts: int, declines: int) -> bool:
    """The trip condition: enough declines, and a large enough share of the checkouts."""
    if declines < settings.READERFUND_BREAKER_MIN_DECLINES:
        return False
    return declines * 100 >= settings.READERFUND_BREAKER_DECLINE_PERCENT * checkouts


def _trip_if_spiking(now: float) -> None:
    checkouts, declines = _window(now)
    if not spiking(checkouts, declines):
        return
    cooldown = settings.READERFUND_BREAKER_COOLDOWN
    trip = {"since": now, "until": now + cooldown, "checkouts": checkouts, "declines": declines}
    # add() succeeds in one process only: the trip is logged once, however many notice it.
    if cache.add(TRIP_KEY, trip, timeout=cooldown):
        log.warning(
            "breaker tripped: %d of %d first payments declined in %d minutes; "
            "checkout is slowed for everyone for at least %d seconds",
            declines,
            checkouts,
            WINDOW // 60,
            cooldown,
        )
        return
    # Already tripped: the cool-down starts again from now.
    since = (_trip(now) or trip)["since"]
    cache.set(TRIP_KEY, {**trip, "since": since}, timeout=cooldown)


def _trip(now: float) -> dict | None:
    trip = cache.get(TRIP_KEY)
    return trip if trip and trip["until"] > now else None


def _datetime(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)
