"""Reader-facing reminder pages and the JSON API.

None of them sets a cookie or reads a session, so none acts on ambient authority: a forged
cross-site POST can do nothing that its sender could not do by posting directly. That is why
these forms carry no CSRF token (a token would need a cookie, and the signup page would stop
being the same for every reader). What a forged or scripted POST could do, sign up an address
that is not the sender's, is bounded by rate limits per client address and per email, by one
reminder per address and day, and by the reminder itself: one email, with a one-click
unsubscribe that erases the address.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from contributions.api import errors
from contributions.choice import GIFT_PHRASES, TRACKING_ID
from contributions.forms import currency_options
from contributions.models import Frequency
from contributions.money import Money, MoneyError, parse_major
from readerfund.lib import jsonbody, ratelimit
from readerfund.lib.http import json_object, make_public, private
from reminders import dates, openapi, services
from reminders.forms import ReminderForm
from reminders.models import Reminder

ADDRESS_LIMIT, ADDRESS_WINDOW = 20, 600  # signups per client address per 10 minutes
EMAIL_LIMIT, EMAIL_WINDOW = 5, 86400  # signups per email per day


def too_many_signups(request, email) -> bool:
    """Count this signup; True when its client address or its email is over the limit."""
    return ratelimit.address_then_email(
        "reminder",
        request,
        email,
        address=(ADDRESS_LIMIT, ADDRESS_WINDOW),
        per_email=(EMAIL_LIMIT, EMAIL_WINDOW),
    )


@csrf_exempt  # no cookie, no session: see the module's docstring
@require_POST
def api_create(request):
    """POST /api/reminders: 201, or 400 with a message per field and nothing stored (415
    when the body is not JSON)."""
    refused = jsonbody.not_json(request)
    if refused:
        return refused
    body = json_object(request)
    if body is None:
        return errors({"__all__": [_("Send a JSON object with Content-Type: application/json.")]})
    if too_many_signups(request, body.get("email")):
        return ratelimit.too_many(EMAIL_WINDOW)
    form, invalid = jsonbody.check(body, openapi.reminder_request(), ReminderForm)
    if invalid:
        return errors(invalid)
    reminder = services.sign_up(form.cleaned_data, language=get_language())
    answer = {"remind_on": reminder.remind_on.isoformat(), "status": "unconfirmed"}
    return private(JsonResponse(answer, status=201))


@csrf_exempt  # no cookie, no session: see the module's docstring
@require_http_methods(["GET", "HEAD", "POST"])
def new(request):
    """The "Remind me later" page: GET shows the form prefilled from the query string
    (invalid values are dropped), POST schedules the reminder and confirms it."""
    if request.method != "POST":
        form = ReminderForm(initial=choice_from_query(request.GET))
        return make_public(_form_page(request, form))
    if too_many_signups(request, request.POST.get("email")):
        form = ReminderForm(request.POST)
        form.is_valid()
        form.add_error(None, _("Too many attempts. Please wait a few minutes and try again."))
        return private(_form_page(request, form, status=429))
    form = ReminderForm(request.POST)
    if not form.is_valid():
        return private(_form_page(request, form, status=400))
    services.sign_up(form.cleaned_data, language=get_language())
    context = {"day": form.cleaned_data["remind_on"]}
    return private(render(request, "reminders/scheduled.html", context))


def _form_page(request, form, status=200):
    data = form.cleaned_data if form.is_bound else form.initial
    context = {
        "form": form,
        "options": dates.options(timezone.localdate()),
        # The choice travels on in hidden fields; what was not valid is dropped.
        "choice": {key: data[key] for key in ReminderForm.CHOICE_FIELDS if data.get(key)},
        "gift": _gift_label(data),
        "chosen_day": form.data.get("remind_on", "") if form.is_bound else "",
    }
    return render(request, "reminders/new.html", context, status=status)


def _gift_label(data) -> str:
    amount, code, frequency = data.get("amount"), data.get("currency"), data.get("frequency")
    if amount and code and frequency in Frequency.values:
        return GIFT_PHRASES[frequency] % {"amount": Money(amount, code)}
    return ""


def choice_from_query(query) -> dict:
    """What the link asked for, as ReminderForm's fields (amount in minor units); anything
    that is not valid is left out. The link's amount is in major units, as for /support/."""
    found = {}
    frequency = str(query.get("frequency", "")).strip().lower()
    if frequency in Frequency.values:
        found["frequency"] = frequency
    for key in ("appeal", "variant"):
        value = str(query.get(key, "")).strip()
        if TRACKING_ID.fullmatch(value):
            found[key] = value
    code = str(query.get("currency", "")).strip().upper()
    option = currency_options().get(code)
    if option is None:
        return found
    found["currency"] = code
    try:
        amount = parse_major(str(query.get("amount", "")).strip()[:32], code)
    except MoneyError:
        return found
    if option.minimum <= amount.amount <= option.maximum:
        found["amount"] = amount.amount
    return found


@csrf_exempt  # mail clients' one-click POST (RFC 8058) carries no token; no cookie either
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, code):
    """GET asks (mail scanners follow links: a GET changes nothing); POST, and the one-click
    POST of mail clients (body `List-Unsubscribe=One-Click`), cancels every reminder of the
    address and erases it. Answers 200 even when there is nothing (left) to erase."""
    if request.method == "POST":
        services.unsubscribe(code)
        response = render(request, "reminders/unsubscribed.html")
    else:
        known = Reminder.objects.filter(code=code).exists()
        response = render(request, "reminders/unsubscribe.html", {"known": known, "code": code})
    response["Referrer-Policy"] = "no-referrer"  # the address bar holds the code
    return private(response)


@csrf_exempt  # no cookie, no session: see the module's docstring
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, code):
    """GET asks (mail scanners follow links: a GET changes nothing); POST confirms the
    reminders of the address the link was sent to."""
    confirmed = bool(services.confirm(code)) if request.method == "POST" else None
    response = render(request, "reminders/confirm.html", {"code": code, "confirmed": confirmed})
    response["Referrer-Policy"] = "no-referrer"  # the address bar holds the code
    return private(response)
