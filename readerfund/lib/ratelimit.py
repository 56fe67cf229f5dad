"""Fixed-window rate limits counted in the shared cache (Redis when configured), and, for
floods that must write nothing there, in process memory (ProcessLimit).

Client addresses are never stored: the shared cache's key is a keyed hash of the address;
ProcessLimit holds addresses in memory for one window at most and writes them nowhere.
"""

import hashlib
import hmac
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache
from django.http import JsonResponse
from django.utils.translation import gettext as _

from readerfund.lib.addresses import normalise_email
from readerfund.lib.cache import DOWN
from readerfund.lib.clientip import client_ip

CHECKOUT_LIMIT = 10  # attempts …
CHECKOUT_WINDOW = 600  # … per 10 minutes, per client address and per email


def _key(kind: str, value: str, window: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"ratelimit:{kind}:{digest[:32]}:{int(time.time()) // window}"


class LimitUnavailable(Exception):
    """The shared cache that counts the limits is down: a limit that cannot count cannot
    protect, so what it guards answers 503 until the cache is back (LimitsUnavailable
    middleware) instead of letting every attempt through."""


def count(key: str, timeout: int) -> int:
    """Add one to the counter at `key` in the shared cache; its new value. Raises
    LimitUnavailable when the cache does not answer."""
    try:
        cache.add(key, 0, timeout=timeout)
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1
    except DOWN as error:
        raise LimitUnavailable(type(error).__name__) from error
    if type(caches["default"]).incr is BaseCache.incr:
        # The file cache's incr writes the entry again with the default timeout (five
        # minutes), which would forget a longer window: give the counter its own back.
        cache.touch(key, timeout)
    return value


def hit(kind: str, value: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True when this one is over the limit."""
    return count(_key(kind, value, window), window) > limit


class ProcessLimit:
    """A fixed-window limit counted in this process's memory, for requests so frequent that a
    write each to the shared cache would cost more than the request (appeal events).

    Each web process counts alone: behind N processes an address gets between `limit` and
    N × `limit` a window, as its connections land. Memory is bounded: the counts are emptied
    each window, and early once they hold MAX_ADDRESSES addresses (whoever has that many
    addresses can already send that many times the limit)."""

    MAX_ADDRESSES = 100_000

    def __init__(self, *, limit: int, window: int):
        self.limit, self.window = limit, window
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._current = -1  # the window the counts belong to

    def hit(self, address: str) -> bool:
        """Count one request from `address`; True when this one is over the limit."""
        current = int(time.time()) // self.window
        with self._lock:
            if current != self._current or len(self._counts) >= self.MAX_ADDRESSES:
                self._counts, self._current = {}, current
            count = self._counts[address] = self._counts.get(address, 0) + 1
        return count > self.limit

    def forget(self) -> None:
        with self._lock:
            self._counts = {}


def client_address(request) -> str:
    """The client's address, behind trusted proxies only (readerfund/lib/clientip.py)."""
    return client_ip(request)


def too_many(retry_after: int, message: str | None = None) -> JsonResponse:
    """429 with `message` (by default: too many attempts) and when to try again, in seconds."""
    message = message or _("Too many attempts. Please wait a few minutes and try again.")
    response = JsonResponse({"errors": {"__all__": [message]}}, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "private, no-store"
    return response


def complete_limited(request) -> JsonResponse | None:
    """429 when this address asks to charge saved cards too often (each ask may reach the
    provider): twice the checkout limit, since a donor may press Give again after a decline."""
    over = hit(
        "complete-ip", client_address(request), limit=2 * CHECKOUT_LIMIT, window=CHECKOUT_WINDOW
    )
    return too_many(CHECKOUT_WINDOW) if over else None


def address_then_email(
    kind: str, request, email, *, address: tuple[int, int], per_email: tuple[int, int]
) -> bool:
    """Count one attempt from the client's address, then one for `email` when the request
    names one; True when either is over its (limit, window in seconds). Both are counted
    every time, so a flood from one address cannot hide behind many emails, nor the reverse."""
    over = hit(f"{kind}-ip", client_address(request), limit=address[0], window=address[1])
    if isinstance(email, str) and email.strip():
        limit, window = per_email
        over |= hit(f"{kind}-email", normalise_email(email), limit=limit, window=window)
    return over


def checkout_limited(request, email) -> JsonResponse | None:
    """429 when this address or this email has started valid checkouts too often."""
    both = (CHECKOUT_LIMIT, CHECKOUT_WINDOW)
    over = address_then_email("checkout", request, email, address=both, per_email=both)
    return too_many(CHECKOUT_WINDOW) if over else None


def invalid_checkout_limited(request, email) -> JsonResponse | None:
    """429 when this address (or the email it names) has sent too many invalid checkouts:
    a limit of their own, so that junk never spends what valid checkouts may use."""
    both = (CHECKOUT_LIMIT, CHECKOUT_WINDOW)
    over = address_then_email("checkout-invalid", request, email, address=both, per_email=both)
    return too_many(CHECKOUT_WINDOW) if over else None
