"""What the reader's browser loads for Stripe: Stripe.js (the emulator's copy in tests and
the demo), and what the page's Content-Security-Policy allows for it."""

from urllib.parse import urlsplit

from django.conf import settings

STRIPE_JS_URL = "https://js.stripe.com/v3/"
STRIPE_API_BASE = "https://api.stripe.com"
# Stripe.js shows 3-D Secure challenges in frames served from here (production only).
STRIPE_HOOKS_ORIGIN = "https://hooks.stripe.com"


def js_url() -> str:
    return settings.STRIPE_JS_URL or STRIPE_JS_URL


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def stripe_csp() -> dict[str, list[str]]:
    """What the checkout step's policy adds for Stripe.js: its script's origin, and its API's
    (the emulator's own origin in tests and the demo)."""
    script = _origin(js_url())
    api = _origin(settings.STRIPE_API_BASE or STRIPE_API_BASE)
    frames = [script]
    if script == _origin(STRIPE_JS_URL):
        frames.append(STRIPE_HOOKS_ORIGIN)
    return {"script-src": [script], "frame-src": frames, "connect-src": [api]}
