"""Fixed-window rate limits counted in the shared cache (Redis when configured).

Client addresses are never stored: the key is a keyed hash of the address.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.utils.translation import gettext as _

CHECKOUT_LIMIT = 10  # attempts …
CHECKOUT_WINDOW = 600  # … per 10 minutes, per client address and per email


def _key(kind: str, value: str, window: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"ratelimit:{kind}:{digest[:32]}:{int(time.time()) // window}"


def hit(kind: str, value: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True when this one is over the limit."""
    key = _key(kind, value, window)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def client_address(request) -> str:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def too_many(window: int) -> JsonResponse:
    response = JsonResponse(
        {"errors": {"__all__": [_("Too many attempts. Please wait a few minutes and try again.")]}},
        status=429,
    )
    response["Retry-After"] = str(window)
    response["Cache-Control"] = "private, no-store"
    return response


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
