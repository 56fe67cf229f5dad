"""Reader-facing pages of giving: the support form, checkout, thank-you, authentication, and
the pages where donors manage (stop, erase) their contributions.

None of them sets a cookie. /support/ is the same for every reader and cacheable; the
checkout, thank-you and authentication pages are private and never stored. Only the checkout
and authentication pages load the payment provider's script, and their Content-Security-
Policy allows that one origin (`csp_extra`), nothing more.
"""

import json
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contributions import manage as managing
from contributions import providers
from contributions.models import Contribution, Payment
from contributions.openapi import SCHEMA
from contributions.providers.base import ProviderError
from contributions.settings_models import GivingSettings
from contributions.templatetags.giving import GIFT_PHRASES, GIVE_PHRASES, read_choice
from privacy import audit, erasure
from privacy.crypto import email_index, normalise_email
from readerfund.lib import ratelimit
from readerfund.lib.http import make_public, private

STRIPE_JS_URL = "https://js.stripe.com/v3/"
STRIPE_API_BASE = "https://api.stripe.com"
# Stripe.js shows 3-D Secure challenges in frames served from here (production only).
STRIPE_HOOKS_ORIGIN = "https://hooks.stripe.com"
AUTHENTICATE_API = "/api/payments/authenticate"


@require_GET
def support(request):
    """The contribution form, prefilled from the query string; invalid values are ignored."""
    choice = read_choice(request.GET)
    return make_public(render(request, "contributions/support.html", {"choice": choice}))


@require_GET
def checkout(request):
    """Email, name, fee cover and card for the chosen gift; the form again (400) if the choice
    is not valid."""
    choice = read_choice(request.GET, strict=True)
    if choice.errors:
        response = render(request, "contributions/support.html", {"choice": choice}, status=400)
        return private(response)
    stripe = providers.get("stripe")
    fee = stripe.fee_estimate(choice.amount)
    context = {
        "choice": choice,
        "fee": fee,
        "with_fee": choice.amount + fee,
        "change_url": f"{reverse('contributions:support')}?{urlencode(choice.query())}",
        "card_ready": stripe.is_configured() and bool(_stripe_setting("PUBLISHABLE_KEY")),
        "publishable_key": _stripe_setting("PUBLISHABLE_KEY"),
        "stripe_js_url": _stripe_js_url(),
        "offline_instructions": _offline_instructions(request),
        "text": _checkout_text(choice, fee),
    }
    response = render(request, "contributions/checkout.html", context)
    if context["card_ready"]:
        response.csp_extra = stripe_csp()
    return private(response)


def _checkout_text(choice, fee) -> dict:
    """What checkout.js says, translated here."""
    with_fee = choice.amount + fee
    return {
        "pay": choice.give_label,
        "pay_with_fee": GIVE_PHRASES[choice.frequency] % {"amount": with_fee},
        "working": _("Processing…"),
        "network": _("We could not reach the newsroom. Check your connection and try again."),
        "card_failed": _("The card could not be used. Check its details or try another card."),
        "authentication_failed": _(
            "Your bank did not confirm the payment. Nothing was charged; you can try again."
        ),
        "stripe_missing": _(
            "The card form could not load: the payment service may be blocked where you are. "
            "Other ways to give are below."
        ),
    }


def _stripe_setting(name: str) -> str:
    return getattr(settings, f"STRIPE_{name}", "") or ""


def _stripe_js_url() -> str:
    return _stripe_setting("JS_URL") or STRIPE_JS_URL


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def stripe_csp() -> dict[str, list[str]]:
    """What the checkout step's policy adds for Stripe.js: its script's origin, and its API's
    (the emulator's own origin in tests and the demo)."""
    script = _origin(_stripe_js_url())
    api = _origin(_stripe_setting("API_BASE") or STRIPE_API_BASE)
    frames = [script]
    if script == _origin(STRIPE_JS_URL):
        frames.append(STRIPE_HOOKS_ORIGIN)
    return {"script-src": [script], "frame-src": frames, "connect-src": [api]}


def _offline_instructions(request) -> str:
    return GivingSettings.for_request(request).offline_instructions


@require_GET
def thanks(request, pk):
    """What was given and what happens next. The donor's email is deliberately not shown:
    this URL can be shared, bookmarked or kept in a browser's history, so the page carries no
    personal data (the status API behind it carries none either)."""
    contribution = get_object_or_404(Contribution, pk=pk)
    context = {
        "contribution": contribution,
        "gift": _gift_label(contribution),
        "pending": contribution.status == Contribution.Status.PENDING,
        "failed": contribution.status == Contribution.Status.FAILED,
        "status_url": reverse("contributions:api-status", args=[contribution.pk]),
        "retry_url": f"{reverse('contributions:support')}?"
        + urlencode({"frequency": contribution.frequency, "currency": contribution.currency}),
    }
    return private(render(request, "contributions/thanks.html", context))


def _gift_label(contribution: Contribution) -> str:
    return GIFT_PHRASES[contribution.frequency] % {"amount": contribution.per_period}


@require_GET
def authenticate(request, token):
    """The page a renewal's authentication email links to: the donor confirms the payment
    with their bank (3-D Secure) through Stripe.js."""
    payment = _payment_for_token(token)
    if payment is None:
        response = render(request, "contributions/authenticate_invalid.html", status=400)
        return private(response)
    needs_action = payment.status == Payment.Status.REQUIRES_ACTION
    context = {
        "payment": payment,
        "amount": payment.money,
        "token": token,
        "needs_action": needs_action,
        "done": payment.status == Payment.Status.SUCCEEDED,
        "authenticate_api": AUTHENTICATE_API,
        "stripe_js_url": _stripe_js_url(),
        "offline_instructions": _offline_instructions(request),
        "text": {
            "network": _("We could not reach the newsroom. Check your connection and try again."),
            "authentication_failed": _("Your bank did not confirm the payment. Please try again."),
            "stripe_missing": _(
                "The confirmation could not load: the payment service may be blocked where you are."
            ),
        },
    }
    response = render(request, "contributions/authenticate.html", context)
    if needs_action:
        response.csp_extra = stripe_csp()
    return private(response)


def _payment_for_token(token: str):
    from contributions.emails import payment_from_token

    return payment_from_token(token)  # None when changed or expired


@csrf_exempt
@require_POST
def authenticate_payment(request):
    """POST /api/payments/authenticate {token}: what Stripe.js needs to confirm the payment.

    JSON only, no cookies: the signed token in the body is the only authority."""
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        body = None
    token = body.get("token") if isinstance(body, dict) else None
    payment = _payment_for_token(token) if isinstance(token, str) else None
    if payment is None:
        message = _("This link has expired or is not valid.")
        return private(JsonResponse({"errors": {"token": [message]}}, status=400))
    if payment.status != Payment.Status.REQUIRES_ACTION:
        message = _("This payment needs nothing more from you.")
        return private(JsonResponse({"errors": {"__all__": [message]}}, status=409))
    provider = providers.get(payment.contribution.provider)
    try:
        secret = provider.fetch_client_secret(payment.provider_reference)
    except (ProviderError, NotImplementedError, AttributeError):
        message = _("Payments are unavailable right now. Please try again in a few minutes.")
        return private(JsonResponse({"errors": {"__all__": [message]}}, status=503))
    body = {"client_secret": secret, "publishable_key": _stripe_setting("PUBLISHABLE_KEY")}
    return private(JsonResponse(body))


@require_GET
def schema(request):
    """The JSON API, described in OpenAPI 3.1."""
    return make_public(JsonResponse(SCHEMA, json_dumps_params={"indent": 1}))


# Managing a contribution (/support/manage/). No cookie, no session: the signed token in the
# URL is the only authority, so these forms carry no CSRF token (see reminders/views.py).
MANAGE_ADDRESS_LIMIT, MANAGE_EMAIL_LIMIT, MANAGE_WINDOW = 20, 5, 3600  # per hour


class ManageLinkForm(forms.Form):
    email = forms.EmailField(max_length=254)


@csrf_exempt  # no cookie, no session: see above
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request):
    """GET: the form asking for an address. POST: the same answer whether or not we know
    the address; a link goes to it only when we do."""
    if request.method != "POST":
        return _manage_page(request, "contributions/manage.html", {"form": ManageLinkForm()})
    form = ManageLinkForm(request.POST)
    if _too_many_link_requests(request, request.POST.get("email")):
        form.is_valid()
        form.add_error(None, _("Too many attempts. Please wait an hour and try again."))
        response = _manage_page(request, "contributions/manage.html", {"form": form}, status=429)
        response["Retry-After"] = str(MANAGE_WINDOW)
        return response
    if not form.is_valid():
        return _manage_page(request, "contributions/manage.html", {"form": form}, status=400)
    from contributions.tasks import send_manage_link

    send_manage_link.enqueue(email_index(form.cleaned_data["email"]))
    return _manage_page(request, "contributions/manage_sent.html")


def _too_many_link_requests(request, email) -> bool:
    over = ratelimit.hit(
        "manage-ip",
        ratelimit.client_address(request),
        limit=MANAGE_ADDRESS_LIMIT,
        window=MANAGE_WINDOW,
    )
    if isinstance(email, str) and email.strip():
        over |= ratelimit.hit(
            "manage-email", normalise_email(email), limit=MANAGE_EMAIL_LIMIT, window=MANAGE_WINDOW
        )
    return over


def _manage_page(request, template, context=None, status=200):
    response = render(request, template, context or {}, status=status)
    response["Referrer-Policy"] = "no-referrer"  # the address bar may hold the token
    return private(response)


def _with_contributor(view):
    """Resolve the token in the URL to its contributor, or answer with the expired page."""

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        try:
            contributor = managing.contributor_from_token(token)
        except managing.InvalidLink as invalid:
            context = {"form": ManageLinkForm(), "expired": invalid.expired}
            status = 410 if invalid.expired else 400
            return _manage_page(request, "contributions/manage_invalid.html", context, status)
        return view(request, contributor, token, *args, **kwargs)

    return wrapper


@require_GET
@_with_contributor
def manage_contributions(request, contributor, token):
    """The donor's contributions and recent payments, with what they can do about them."""
    return _contributions_page(request, contributor, token)


def _contributions_page(request, contributor, token, **extra):
    context = {
        "token": token,
        "contributions": managing.overview(contributor),
        "erased": managing.is_erased(contributor),
        **extra,
    }
    return _manage_page(request, "contributions/manage_contributions.html", context)


@csrf_exempt  # the token in the URL is the authority; no cookie
@require_POST
@_with_contributor
def manage_stop(request, contributor, token, pk):
    """Stop one active recurring contribution; the page again, saying so."""
    stopped = managing.stop(contributor, pk)
    return _contributions_page(request, contributor, token, stopped=stopped, stop_asked=True)


@csrf_exempt  # the token in the URL is the authority; no cookie
@require_POST
@_with_contributor
def manage_erase(request, contributor, token):
    """Erase the donor's data once they ticked "I understand"; what was erased and kept."""
    if request.POST.get("confirm") != "yes":
        message = _("Tick the box to confirm that you want your data erased.")
        return _contributions_page(request, contributor, token, erase_error=message)
    counts = erasure.erase(contributor.email_index, via=audit.Via.DONOR)
    return _manage_page(request, "contributions/manage_erased.html", {"counts": counts})
