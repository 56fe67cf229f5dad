"""/support/manage/: the pages where donors manage their giving (see contributions.manage).

The emailed link opens `manage_open`, which moves its token at once into a cookie scoped to
/support/manage/ and redirects, so no page the donor sees carries the token in its address.
Every other page reads the cookie (`_with_contributor`); every form posts with the CSRF
token derived from it (`_checked`), since the cookie is the authority now. Pages are private,
never stored, and send no Referer. Only the card page loads the provider's script.
"""

from functools import wraps

from django import forms
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contributions import manage as managing
from contributions import notices, providers, receipts
from contributions.emails import newsroom_identity
from contributions.models import Contribution, CurrencyOption
from contributions.money import Money
from contributions.providers.base import ProviderError
from contributions.services import cards, changing, stopping
from privacy import audit, erasure
from readerfund.lib import ratelimit
from readerfund.lib.http import private

MANAGE_ADDRESS_LIMIT, MANAGE_EMAIL_LIMIT, MANAGE_WINDOW = 20, 5, 3600  # per hour
OPENED = "opened"  # the query the link's redirect adds: "a cookie was just set"


class ManageLinkForm(forms.Form):
    email = forms.EmailField(max_length=254)


@csrf_exempt  # no cookie yet: the address asked for gets the same answer whoever asks
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request):
    """GET: the form asking for an address. POST: the same answer whether or not we know
    the address; a link goes to it only when we do."""
    if request.method != "POST":
        return _page(request, "contributions/manage.html", {"form": ManageLinkForm()})
    form = ManageLinkForm(request.POST)
    if _too_many_link_requests(request, request.POST.get("email")):
        form.is_valid()
        form.add_error(None, _("Too many attempts. Please wait an hour and try again."))
        response = _page(request, "contributions/manage.html", {"form": form}, status=429)
        response["Retry-After"] = str(MANAGE_WINDOW)
        return response
    if not form.is_valid():
        return _page(request, "contributions/manage.html", {"form": form}, status=400)
    notices.request_manage_link(form.cleaned_data["email"])
    return _page(request, "contributions/manage_sent.html")


def _too_many_link_requests(request, email) -> bool:
    return ratelimit.address_then_email(
        "manage",
        request,
        email,
        address=(MANAGE_ADDRESS_LIMIT, MANAGE_WINDOW),
        per_email=(MANAGE_EMAIL_LIMIT, MANAGE_WINDOW),
    )


def _page(request, template, context=None, status=200):
    response = render(request, template, context or {}, status=status)
    response["Referrer-Policy"] = "no-referrer"
    return private(response)


def _invalid(request, invalid: managing.InvalidLink):
    context = {"form": ManageLinkForm(), "expired": invalid.expired}
    status = 410 if invalid.expired else 400
    response = _page(request, "contributions/manage_invalid.html", context, status)
    response.delete_cookie(managing.MANAGE_COOKIE, path=managing.cookie_path())
    return response


@require_GET
def manage_open(request, token):
    """The emailed link: set the session cookie and leave this address at once (303)."""
    try:
        contributor = managing.contributor_from_token(token)
    except managing.InvalidLink as invalid:
        return _invalid(request, invalid)
    page = reverse("contributions:manage-contributions")
    response = HttpResponseRedirect(f"{page}?{OPENED}", status=303)
    response.set_cookie(
        managing.MANAGE_COOKIE,
        managing.session_value(contributor),
        max_age=int(managing.SESSION_MAX_AGE.total_seconds()),
        path=managing.cookie_path(),
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )
    response["Referrer-Policy"] = "no-referrer"
    return private(response)


def _with_contributor(view):
    """Resolve the cookie to its contributor (else the page asking for a new link); a POST
    must carry the form's CSRF token too (else 403, nothing changed)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        session = request.COOKIES.get(managing.MANAGE_COOKIE)
        try:
            contributor = managing.contributor_from_session(session)
        except managing.InvalidLink as invalid:
            if OPENED in request.GET and not session:
                return _continue(request)
            return _invalid(request, invalid)
        if request.method == "POST" and not managing.csrf_valid(session, request.POST.get("csrf")):
            return _page(request, "contributions/manage_forbidden.html", status=403)
        request.manage_csrf = managing.csrf_token(session)
        return view(request, contributor, *args, **kwargs)

    # Django's CSRF check reads a csrftoken cookie set for the whole site: reader pages set
    # none. This one, bound to the manage session, is checked above instead.
    return csrf_exempt(wrapper)


def _continue(request):
    """Straight after the link's redirect, a browser that came from another site (the
    webmail) holds back the SameSite=Strict cookie it was just given. A page of ours that
    reloads itself sends it: a same-site navigation. (A "Continue" link without refresh.)"""
    page = reverse("contributions:manage-contributions")
    return _page(request, "contributions/manage_continue.html", {"page": page})


def _context(request, **extra) -> dict:
    return {"csrf": request.manage_csrf, **extra}


OUTCOMES = {  # ?<key> after a POST → what the page says
    "stopped": ("stopped", True),
    "not_stopped": ("stopped", False),
    "changed": ("changed", True),
    "resumed": ("resumed", True),
    "not_resumed": ("resumed", False),
    "card": ("card", True),
}


@require_GET
@_with_contributor
def manage_contributions(request, contributor):
    """The donor's contributions and recent payments, with what they can do about them."""
    outcome = next((OUTCOMES[key] for key in OUTCOMES if key in request.GET), None)
    extra = {"outcome": outcome[0], "done": outcome[1]} if outcome else {}
    return _contributions_page(request, contributor, **extra)


def _contributions_page(request, contributor, status=200, **extra):
    context = _context(
        request,
        contributions=managing.overview(contributor),
        erased=contributor.is_erased,
        **extra,
    )
    return _page(request, "contributions/manage_contributions.html", context, status)


def _back(outcome: str, pk) -> HttpResponseRedirect:
    """303 to the contributions page, which says what happened: a reload posts nothing."""
    page = reverse("contributions:manage-contributions")
    return HttpResponseRedirect(f"{page}?{outcome}={pk}", status=303)


@require_http_methods(["GET", "HEAD", "POST"])
@_with_contributor
def manage_stop(request, contributor, pk):
    """GET: ask whether to stop this contribution. POST: stop it."""
    if request.method == "POST":
        return _back("stopped" if stopping.stop(contributor, pk) else "not_stopped", pk)
    contribution = get_object_or_404(contributor.contributions, pk=pk)
    context = _context(request, contribution=contribution)
    return _page(request, "contributions/manage_stop.html", context)


@require_POST
@_with_contributor
def manage_resume(request, contributor, pk):
    """Resume a stopped contribution, or restart a lapsed one."""
    return _back("resumed" if stopping.resume(contributor, pk) else "not_resumed", pk)


@require_http_methods(["GET", "HEAD", "POST"])
@_with_contributor
def manage_change(request, contributor, pk):
    """GET: the form to change the amount and frequency. POST: change them from the next
    period (400 with the form's messages when not valid: nothing changed)."""
    contribution = get_object_or_404(contributor.contributions, pk=pk)
    if request.method == "POST":
        asked = changing.change(contributor, pk, request.POST)
        if not asked.errors:
            return _back("changed", pk)
        return _change_page(request, contribution, request.POST, asked.errors, status=400)
    amount = Money(contribution.amount, contribution.currency).major
    data = {"amount": str(amount), "frequency": contribution.frequency}
    return _change_page(request, contribution, data, {})


def _change_page(request, contribution, data, errors, status=200):
    option = CurrencyOption.objects.filter(code=contribution.currency).first()
    context = _context(
        request,
        contribution=contribution,
        data=data,
        errors=errors,
        option=option,
        can_change=contribution.status == Contribution.Status.ACTIVE,
    )
    return _page(request, "contributions/manage_change.html", context, status)


@require_POST
@_with_contributor
def manage_erase(request, contributor):
    """Erase the donor's data once they ticked "I understand"; what was erased and kept."""
    if request.POST.get("confirm") != "yes":
        message = _("Tick the box to confirm that you want your data erased.")
        return _contributions_page(request, contributor, erase_error=message)
    counts = erasure.erase(contributor.email_index, via=audit.Via.DONOR)
    return _page(request, "contributions/manage_erased.html", {"counts": counts})


@require_POST
@_with_contributor
def manage_leave(request, contributor):
    """Forget the session on this browser."""
    response = HttpResponseRedirect(reverse("contributions:manage"), status=303)
    response.delete_cookie(managing.MANAGE_COOKIE, path=managing.cookie_path())
    return private(response)


# The card: the one manage page that loads the provider's script ------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@_with_contributor
def manage_card(request, contributor, pk):
    """GET: the card form (the provider's script saves the card in the browser). POST: the
    saved card's reference (`reference`): make it the contribution's, retry a renewal in
    dunning at once, and back to the page (400 with a message when nothing was saved)."""
    try:
        contribution = cards.updatable(contributor, pk)
    except cards.NotUpdatable:
        raise Http404 from None
    if request.method != "POST":
        return _card_page(request, contribution)
    try:
        cards.finish_card_update(contributor, pk, request.POST.get("reference", "")[:100])
    except (cards.NotUpdatable, ProviderError):
        message = _("Your card was not saved. Nothing has changed; please try again.")
        return _card_page(request, contribution, error=message, status=400)
    return _back("card", pk)


def _card_page(request, contribution, error="", status=200):
    part = providers.get(contribution.provider).browser_part()
    context = _context(
        request,
        contribution=contribution,
        error=error,
        card_ready=part is not None,
        publishable_key=part.key if part else "",
        card_options=part.card_options if part else {},
        provider_script=part.script if part else "",
        text={
            "card_missing": _("Enter your card's number, expiry date and security code."),
            "card_failed": _("The card could not be saved. Check its details or try another."),
            "network": _("We could not reach the newsroom. Check your connection and try again."),
            "stripe_missing": _(
                "The card form could not load: the payment service may be blocked where you are."
            ),
        },
    )
    response = _page(request, "contributions/manage_card.html", context, status)
    if part:
        response.csp_extra = part.csp
    return response


@require_POST
@_with_contributor
def manage_card_begin(request, contributor, pk):
    """POST (the page's script, with the form's CSRF token): what the provider's script
    needs to save a card, as JSON."""
    try:
        session = cards.begin_card_update(contributor, pk)
    except cards.NotUpdatable:
        return private(JsonResponse({"errors": {"__all__": [_("Not found.")]}}, status=404))
    except ProviderError:
        message = _("Payments are unavailable right now. Please try again in a few minutes.")
        return private(JsonResponse({"errors": {"__all__": [message]}}, status=503))
    body = {"client_secret": session.client_secret, "reference": session.reference}
    return private(JsonResponse(body))


# Receipts and statements ---------------------------------------------------------------------


@require_GET
@_with_contributor
def manage_receipts(request, contributor):
    """Every payment with its receipt, and the years with a statement."""
    context = _context(
        request, receipts=receipts.receipts(contributor), years=receipts.years(contributor)
    )
    return _page(request, "contributions/manage_receipts.html", context)


@require_GET
@_with_contributor
def manage_receipt(request, contributor, pk):
    """One payment's receipt, to print (or save as PDF from the browser's print dialog)."""
    found = receipts.receipt(contributor, pk)
    if found is None:
        raise Http404
    context = _context(request, receipt=found, newsroom=newsroom_identity())
    return _page(request, "contributions/manage_receipt.html", context)


@require_GET
@_with_contributor
def manage_statement(request, contributor, year):
    """The donor's statement for one year, as a page to print."""
    context = _context(request, newsroom=newsroom_identity(), **_statement(contributor, year))
    return _page(request, "contributions/manage_statement.html", context)


@require_GET
@_with_contributor
def manage_statement_pdf(request, contributor, year):
    """The same statement as a PDF, drawn by WeasyPrint from the same template."""
    from contributions.pdf import html_to_pdf  # WeasyPrint loads Pango: only when asked

    context = {"newsroom": newsroom_identity(), "pdf": True, **_statement(contributor, year)}
    html = render_to_string("contributions/manage_statement.pdf.html", context, request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    name = f"statement-{year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Referrer-Policy"] = "no-referrer"
    return private(response)


def _statement(contributor, year: int) -> dict:
    if year not in receipts.years(contributor):
        raise Http404
    return receipts.statement(contributor, year)
