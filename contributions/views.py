"""Reader-facing pages of giving: the support form, checkout, thank-you and authentication
(the pages where donors manage their contributions are in manage_views).

None of them sets a cookie. /support/ is the same for every reader and cacheable; the
checkout, thank-you and authentication pages are private and never stored. Only the checkout
and authentication pages load the payment provider's script (its `browser_part`), and their
Content-Security-Policy allows what the provider names for it (`csp_extra`), nothing more.
"""

import logging
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from contributions import providers
from contributions.authentication import payment_from_token
from contributions.choice import GIFT_PHRASES, GIVE_PHRASES, read_choice, ways_marks
from contributions.forms import CheckoutForm
from contributions.models import Contribution, Payment
from contributions.money import Money
from contributions.providers.base import ProviderError
from contributions.receipts import receipt_number
from contributions.schemas import AUTHENTICATE_REQUEST
from contributions.services import checkout as checkouts
from contributions.settings_models import offline_instructions
from readerfund.lib import jsonbody, ratelimit
from readerfund.lib.http import json_object, make_public, private

AUTHENTICATE_API = "/api/payments/authenticate"
log = logging.getLogger(__name__)


@require_GET
def support(request):
    """The contribution form, prefilled from the query string; invalid values are ignored."""
    context = {
        "choice": read_choice(request.GET),
        "offline_instructions": _offline_instructions(request),
        "other_addresses": _other_addresses(request),
        "ways": [_way(name) for name in providers.enabled()],
    }
    return make_public(render(request, "contributions/support.html", context))


@require_GET
def checkout(request):
    """Email, name, fee cover and card for the chosen gift; the form again (400) if the choice
    is not valid."""
    choice = read_choice(request.GET, strict=True)
    if choice.errors:
        response = render(request, "contributions/support.html", {"choice": choice}, status=400)
        return private(response)
    context = _checkout_context(request, choice)
    response = render(request, "contributions/checkout.html", context)
    if context["card_ready"]:
        response.csp_extra = context["part"].csp
    return private(response)


def _checkout_context(request, choice, **extra) -> dict:
    """The card form (the first enabled provider with a browser part) and the other ways to
    give (each a plain form, for readers without JavaScript too)."""
    offered = providers.enabled(choice.currency)
    card = next((name for name in offered if providers.get(name).browser_part()), None)
    provider = providers.get(card or providers.at_checkout())
    fee = provider.fee_estimate(choice.amount) if card else Money(0, choice.currency)
    part = provider.browser_part() if card else None
    ways = [_way(name) for name in offered if providers.get(name).pays_elsewhere]
    return {
        "part": part,
        "ways": ways,
        "marks": ways_marks(choice, [card]) if card else [],
        "choice": choice,
        "fee": fee,
        "with_fee": choice.amount + fee,
        "change_url": f"{reverse('contributions:support')}?{urlencode(choice.query())}",
        "card_ready": part is not None,
        "publishable_key": part.key if part else "",
        "card_options": part.card_options if part else {},
        "provider_script": part.script if part else "",
        "offline_instructions": _offline_instructions(request),
        "text": _checkout_text(choice, fee),
        **extra,
    }


def _as_query(posted) -> dict:
    """The give form's fields as the checkout's query asks for them (amount in major units)."""
    query = {key: posted.get(key, "") for key in ("frequency", "currency", "appeal", "variant")}
    try:
        query["amount"] = str(Money(int(posted.get("amount", "")), query["currency"].upper()).major)
    except (TypeError, ValueError):
        query["amount"] = ""
    return query


def _way(name: str) -> dict:
    provider = providers.get(name)
    return {
        "name": name,
        "label": provider.verbose_name,
        "email_optional": provider.email_optional,
        "marks": provider.marks(),
        "pays_elsewhere": provider.pays_elsewhere,
    }


@csrf_exempt  # no cookie, no session: nothing here acts on ambient authority
@require_POST
def give(request):
    """A gift through a way that needs no card form (crypto, bank transfer), from a plain
    form: stored and its first period charged, then the thank-you page (303), which links to
    where the reader pays or says how. The checkout page again (400) with its errors."""
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        limited = ratelimit.invalid_checkout_limited(request, request.POST.get("email"))
        return limited or _give_again(request, form.errors, 400)
    limited = ratelimit.checkout_limited(request, form.cleaned_data["email"])
    if limited:
        return limited
    if not providers.get(form.cleaned_data["provider"]).pays_elsewhere:
        return _give_again(request, {"provider": [_("Enter your card on the form above.")]}, 400)
    try:
        contribution, session = checkouts.start_checkout(
            checkouts.CheckoutData(**form.cleaned_data)
        )
        result = checkouts.complete_checkout(contribution, session.reference)
    except ProviderError as error:
        log.warning("give: the provider refused to start: %s", error.code)
        result = None
    if result is None or result.status == "failed":  # the provider could not be asked
        message = _("Payments are unavailable right now. Please try again in a few minutes.")
        return _give_again(request, {"__all__": [message]}, 503)
    thanks = reverse("contributions:thanks", args=[contribution.pk])
    return private(HttpResponseRedirect(thanks, status=303))


def _give_again(request, errors, status: int):
    choice = read_choice(_as_query(request.POST), strict=True)
    if choice.errors:
        return private(
            render(request, "contributions/support.html", {"choice": choice}, status=status)
        )
    errors = dict(errors)
    general = errors.pop("__all__", []) + errors.pop("provider", [])
    context = _checkout_context(
        request,
        choice,
        give_errors=errors,
        give_general=general,
        give_provider=request.POST.get("provider", ""),
    )
    response = render(request, "contributions/checkout.html", context, status=status)
    if context["card_ready"]:
        response.csp_extra = context["part"].csp
    return private(response)


def _checkout_text(choice, fee) -> dict:
    """What checkout.js says, translated here."""
    with_fee = choice.amount + fee
    return {
        "pay": choice.give_label,
        "pay_with_fee": GIVE_PHRASES[choice.frequency] % {"amount": with_fee},
        "working": _("Processing…"),
        "email_missing": _("Enter your email address: your receipt goes to it."),
        "email_invalid": _("Enter a whole email address, such as name@example.org."),
        "card_missing": _("Enter your card's number, expiry date and security code."),
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


def _offline_instructions(request) -> str:
    return offline_instructions(request)


def _other_addresses(request) -> list[str]:
    """The site's other addresses (main, mirrors, onion) for readers whose way in is
    blocked; the one this page was fetched on is left out."""
    here = request.get_host()
    onion = [settings.ONION_URL] if settings.ONION_URL else []
    every = [settings.SITE_URL, *settings.MIRRORS, *onion]
    return [url for url in every if urlsplit(url).netloc != here]


@require_GET
def thanks(request, pk):
    """What was given and what happens next. The donor's email is deliberately not shown:
    this URL can be shared, bookmarked or kept in a browser's history, so the page carries no
    personal data (the status API behind it carries none either)."""
    contribution = get_object_or_404(Contribution.objects.select_related("contributor"), pk=pk)
    provider = providers.get(contribution.provider)
    first = contribution.payments.filter(period=0).first()
    waiting = first is not None and first.status == Payment.Status.REQUIRES_ACTION
    context = {
        "contribution": contribution,
        "gift": _gift_label(contribution),
        "pay_url": provider.payment_page(first) if waiting else None,
        "instructions": provider.instructions(contribution),
        "instructions_template": provider.instructions_template,
        "emailed": bool(contribution.contributor.email),
        "pending": contribution.status == Contribution.Status.PENDING,
        "failed": contribution.status == Contribution.Status.FAILED,
        "status_url": reverse("contributions:api-status", args=[contribution.pk]),
        "retry_url": f"{reverse('contributions:support')}?"
        + urlencode({"frequency": contribution.frequency, "currency": contribution.currency}),
    }
    return private(render(request, "contributions/thanks.html", context))


@require_GET
def receipt(request, pk):
    """A printable receipt of a paid gift, for donors who gave no email address (and anyone
    who wants one on paper). Like the thank-you page, it names no one."""
    contribution = get_object_or_404(Contribution, pk=pk)
    paid = contribution.payments.filter(status=Payment.Status.SUCCEEDED).order_by("period")
    rows = [{"number": receipt_number(p), "amount": p.money, "paid_on": p.due_on} for p in paid]
    context = {"contribution": contribution, "gift": _gift_label(contribution), "rows": rows}
    status = 200 if rows else 404
    return private(render(request, "contributions/receipt.html", context, status=status))


def _gift_label(contribution: Contribution) -> str:
    return GIFT_PHRASES[contribution.frequency] % {"amount": contribution.per_period}


@require_GET
def authenticate(request, token):
    """The page a renewal's authentication email links to: the donor confirms the payment
    with their bank (3-D Secure) through Stripe.js."""
    payment = payment_from_token(token)
    if payment is None:
        response = render(request, "contributions/authenticate_invalid.html", status=400)
        return private(response)
    provider = providers.get(payment.contribution.provider)
    part = provider.browser_part()
    needs_action = payment.status == Payment.Status.REQUIRES_ACTION
    context = {
        "payment": payment,
        "pay_url": provider.payment_page(payment) if needs_action else None,
        "amount": payment.money,
        "token": token,
        "needs_action": needs_action,
        "done": payment.status == Payment.Status.SUCCEEDED,
        "authenticate_api": AUTHENTICATE_API,
        "provider_script": part.script if part else "",
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
    if needs_action and part:
        response.csp_extra = part.csp
    return private(response)


@csrf_exempt
@require_POST
def authenticate_payment(request):
    """POST /api/payments/authenticate {token}: what Stripe.js needs to confirm the payment.

    JSON only, no cookies: the signed token in the body is the only authority, and one that
    does not verify is refused with 403."""
    refused = jsonbody.not_json(request)
    if refused:
        return refused
    body = json_object(request)
    invalid = jsonbody.field_errors(body, AUTHENTICATE_REQUEST) if body is not None else None
    if invalid is None or invalid:
        message = _("Send a JSON object with Content-Type: application/json.")
        return private(JsonResponse({"errors": invalid or {"__all__": [message]}}, status=400))
    payment = payment_from_token(body["token"])
    if payment is None:
        message = _("This link has expired or is not valid.")
        return private(JsonResponse({"errors": {"token": [message]}}, status=403))
    if payment.status != Payment.Status.REQUIRES_ACTION:
        message = _("This payment needs nothing more from you.")
        return private(JsonResponse({"errors": {"__all__": [message]}}, status=409))
    provider = providers.get(payment.contribution.provider)
    part = provider.browser_part()
    try:
        secret = provider.fetch_client_secret(payment.provider_reference)
    except ProviderError:
        message = _("Payments are unavailable right now. Please try again in a few minutes.")
        return private(JsonResponse({"errors": {"__all__": [message]}}, status=503))
    body = {"client_secret": secret, "publishable_key": part.key if part else ""}
    return private(JsonResponse(body))
