"""Headers every reader-facing response carries, and the answer when the limits cannot count."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.http.request import split_domain_port
from django.utils.translation import gettext as _

from readerfund.lib.ratelimit import LimitUnavailable

# Reader pages load nothing from another origin. Later steps (the checkout) widen this for
# the payment provider's script only, through `response.csp_extra`.
READER_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# The admin's policy: as strict as Wagtail 8 allows. Its scripts are its own files, but its
# date and time widgets and inline panels render small inline scripts (with the field's id,
# so no fixed hash can allow them) and its widgets set style attributes: both need
# 'unsafe-inline'. No eval, nothing from another origin, no plugins, no framing by others,
# forms post to the site only. Image previews are blob: and data: URLs, page previews are
# same-origin frames.
ADMIN_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
ADMIN_CSP_HEADER = "; ".join(f"{key} {' '.join(values)}" for key, values in ADMIN_CSP.items())

STAFF_PREFIXES = ("/admin/",)
RENDERING_FOR_CACHE = "readerfund.pagecache"  # set in the WSGI environ by the page cache


def build_csp(extra: dict[str, list[str]] | None = None) -> str:
    policy = {key: list(values) for key, values in READER_CSP.items()}
    for key, values in (extra or {}).items():
        # 'none' must stand alone: a source allowed by a later step replaces it.
        kept = [value for value in policy.get(key, []) if value != "'none'"]
        policy[key] = kept + [value for value in values if value not in kept]
    return "; ".join(f"{key} {' '.join(values)}" for key, values in policy.items())


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy, privacy headers and, when the site has one, its onion
    address (Onion-Location) on every page outside the admin."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.default_csp = build_csp()

    def __call__(self, request):
        response = self.get_response(request)
        if not request.META.get(RENDERING_FOR_CACHE):
            response.headers.pop("X-Cache-Tags", None)  # only the page cache reads them
        if request.path.startswith(STAFF_PREFIXES):
            response.setdefault("Content-Security-Policy", ADMIN_CSP_HEADER)
            return response
        extra = getattr(response, "csp_extra", None)
        response.setdefault(
            "Content-Security-Policy", build_csp(extra) if extra else self.default_csp
        )
        response.setdefault("Permissions-Policy", "interest-cohort=(), browsing-topics=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        onion = settings.ONION_URL
        if onion and split_domain_port(request._get_raw_host())[0] != urlsplit(onion).hostname:
            # Tor Browser offers the reader the same page at the onion service.
            response.setdefault("Onion-Location", onion + request.get_full_path())
        return response


class LimitsUnavailableMiddleware:
    """503 with a clear message, never a 500, when a rate limit cannot count because the
    shared cache (Redis) is down: checkout and the other limited forms pause until it is
    back, by themselves; reader pages never count and keep being served."""

    RETRY_AFTER = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, LimitUnavailable):
            return None
        message = _(
            "Giving is paused for a minute while we fix a fault on our side. Nothing was "
            "charged. Please try again in a minute."
        )
        if request.path.startswith("/api/"):
            response = JsonResponse({"errors": {"__all__": [message]}}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(self.RETRY_AFTER)
        response["Cache-Control"] = "private, no-store"
        return response
