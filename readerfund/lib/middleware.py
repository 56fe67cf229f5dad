"""Headers every reader-facing response carries."""

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

STAFF_PREFIXES = ("/admin/", "/django-admin/")


def build_csp(extra: dict[str, list[str]] | None = None) -> str:
    policy = {key: list(values) for key, values in READER_CSP.items()}
    for key, values in (extra or {}).items():
        policy.setdefault(key, []).extend(values)
    return "; ".join(f"{key} {' '.join(values)}" for key, values in policy.items())


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy and privacy headers on every page outside the admin."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.default_csp = build_csp()

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(STAFF_PREFIXES):
            return response
        extra = getattr(response, "csp_extra", None)
        response.setdefault(
            "Content-Security-Policy", build_csp(extra) if extra else self.default_csp
        )
        response.setdefault("Permissions-Policy", "interest-cohort=(), browsing-topics=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
