"""Fixed-window rate limits counted in the shared cache (Redis when configured).

Client addresses are never stored: the key is a keyed hash of the address.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache
from django.http import JsonResponse
from django.utils.translation import gettext as _

CHECKOUT_LIMIT = 10  # attempts …
CHECKOUT_WINDOW = 600  # … per 10 minutes, per client address and per email


def _key(kind: str, value: str, window: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"ratelimit:{kind}:{digest[:32]}:{int(time.time()) // window}"


def count(key: str, timeout: int) -> int:
    """Add one to the counter at `key` in the shared cache; its new value."""
    cache.add(key, 0, timeout=timeout)
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1
    if type(caches["default"]).incr is BaseCache.incr:
        # The file cache's incr writes the entry again with the default timeout (five
        # minutes), which would forget a longer window: give the counter its own back.
        cache.touch(key, timeout)
    return value


def hit(kind: str, value: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True when this one is over the limit."""
    return count(_key(kind, value, window), window) > limit


def client_address(request) -> str:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


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


def checkout_limited(request, email) -> JsonResponse | None:
    """429 when this address or this email has tried checkout too often."""
    over = hit("checkout-ip", client_address(request), limit=CHECKOUT_LIMIT, window=CHECKOUT_WINDOW)
    if isinstance(email, str) and email.strip():
        from privacy.crypto import normalise_email

        over |= hit(
            "checkout-email",
            normalise_email(email),
            limit=CHECKOUT_LIMIT,
            window=CHECKOUT_WINDOW,
        )
    return too_many(CHECKOUT_WINDOW) if over else None
