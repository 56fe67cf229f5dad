"""Staff accounts are not the way in: a second factor before any admin page, sessions that
end, sign-in attempts that are counted.

- **Second factor** (django-otp): every account that signs in to /admin/ must enrol an
  authenticator app (TOTP) or a passkey (django-otp-webauthn) and gets ten single-use
  recovery codes; until the session is verified with one of them, every admin page
  redirects to /admin/2fa/. Enrolment needs
  the password's session: the account's first sign-in enrols, later ones verify.
- **Sessions**: a staff session ends after STAFF_IDLE_SECONDS without a request (1 hour) and
  STAFF_SESSION_SECONDS after sign-in (12 hours), whatever "Remember me" said.
- **Throttling** is django-axes (settings.AXES_*): failed sign-ins are counted per account
  and per client address, in the cache (no table of addresses), and a locked sign-in gets
  `locked_out`'s page.

Only requests that carry a session cookie are looked at, so reader pages (which never set
one) stay identical for every reader and cacheable.
"""

import base64
import secrets
import time
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import include, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

ADMIN = "/admin/"
# Admin paths open without a second factor: signing in and out, resetting a password, the
# second factor's own pages, and what those pages load, which Wagtail gives anyone (the
# JavaScript catalogue of translations and the icons; redirected, the icons' request put a
# second copy of the page into the page and the code's error out of sight).
OPEN = (
    "/admin/login/",
    "/admin/logout/",
    "/admin/password_reset/",
    "/admin/2fa/",
    "/admin/jsi18n/",
    "/admin/sprite/",
)
STARTED, SEEN = "readerfund_started", "readerfund_seen"
SEEN_EVERY = 60  # seconds: the last request's time is saved at most this often
RECOVERY_CODES = 10
APP_NAME = gettext_lazy("Authenticator app")
RECOVERY_NAME = gettext_lazy("Recovery codes")


def _has_session(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class StaffSessionMiddleware:
    """Sign out a session idle for STAFF_IDLE_SECONDS or older than STAFF_SESSION_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_session(request) and request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    @staticmethod
    def _check(request) -> None:
        now, session = int(time.time()), request.session
        started = session.setdefault(STARTED, now)
        seen = session.get(SEEN, now)
        idle, lived = now - seen, now - started
        if idle > settings.STAFF_IDLE_SECONDS or lived > settings.STAFF_SESSION_SECONDS:
            logout(request)
        elif SEEN not in session or now - seen >= SEEN_EVERY:
            session[SEEN] = now


class SecondFactorMiddleware:
    """No admin page for a session that has not passed the second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path.startswith(ADMIN) and not path.startswith(OPEN) and _has_session(request):
            user = request.user
            if user.is_authenticated and not user.is_verified():
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('staff-verify')}?{query}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def code_text(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


def _next(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted if wanted.startswith(ADMIN) else reverse("wagtailadmin_home")
    return reverse("wagtailadmin_home")


def _page(request, template, context, status=200):
    # Passkeys are offered on the address they are bound to only (see settings).
    passkeys = request.get_host().rsplit(":", 1)[0] == settings.OTP_WEBAUTHN_RP_ID
    context = {"next": _next(request), "passkeys": passkeys, **context}
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required(login_url="wagtailadmin_login")
def verify(request):
    """Ask for a code from the authenticator app, or a recovery code."""
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('staff-setup')}?{urlencode({'next': _next(request)})}")
    if request.user.is_verified():
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = next((d for d in devices if d.verify_token(form.code_text())), None)
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error(
            "code",
            _("This code is not right, was used already, or came too fast after a wrong one."),
        )
    status = 400 if form.errors else 200
    has_passkey = any(isinstance(d, WebAuthnCredential) for d in devices)
    return _page(request, "staff/verify.html", {"form": form, "has_passkey": has_passkey}, status)


@never_cache
@login_required(login_url="wagtailadmin_login")
def setup(request):
    """Enrol an authenticator app (or a passkey); once its first code is right, show the
    recovery codes."""
    if request.user.is_verified() and not _has_recovery_codes(request.user):
        # A passkey was just registered (its ceremony signs the session in): the codes now.
        codes = new_recovery_codes(request.user)
        return _page(request, "staff/recovery_codes.html", {"codes": codes})
    if any(devices_for_user(request.user, confirmed=True)):
        return redirect(f"{reverse('staff-verify')}?{urlencode({'next': _next(request)})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    device = device or TOTPDevice.objects.create(
        user=request.user, name=str(APP_NAME), confirmed=False
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.code_text()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = new_recovery_codes(request.user)
            otp_login(request, device)
            return _page(request, "staff/recovery_codes.html", {"codes": codes})
        form.add_error("code", _("This code is not right. Check the phone's clock and try again."))
    context = {
        "form": form,
        "secret": secret_of(device),
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000"),
    }
    return _page(request, "staff/setup.html", context, 400 if form.errors else 200)


def _has_recovery_codes(user) -> bool:
    return StaticDevice.objects.filter(user=user, name=str(RECOVERY_NAME)).exists()


def secret_of(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def new_recovery_codes(user) -> list[str]:
    """Ten single-use codes for when the phone is lost; any earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=str(RECOVERY_NAME), defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def enrol_authenticator(user) -> tuple[TOTPDevice, list[str]]:
    """An authenticator app device for `user`, confirmed, and new recovery codes (for the
    demo's editor and for tests: staff enrol themselves at /admin/2fa/setup/)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name=str(APP_NAME), confirmed=True)
    return device, new_recovery_codes(user)


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a sign-in that is locked: the login page with why and when."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed sign-ins for this account or from this network. "
        "Try again in %(minutes)s minutes."
    ) % {"minutes": minutes}
    page = _page(request, "staff/locked_out.html", {"message": message}, status=429)
    page["Retry-After"] = str(minutes * 60)
    return page


urlpatterns = [
    path("verify/", verify, name="staff-verify"),
    path("setup/", setup, name="staff-setup"),
    # The passkey ceremonies' JSON endpoints (they answer only a signed-in session).
    path("passkeys/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
]
