"""Readers' side: the public config, the reader's country (when a CDN names it) and the
counters. Staff side: each appeal's statistics."""

import hashlib
import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin.auth import permission_required

from appeals import events as appeal_events
from appeals import fastpath, services, stats
from appeals.events import Outcome
from appeals.models import Appeal
from readerfund.lib.http import make_public, private
from readerfund.lib.ratelimit import client_address, too_many

CONFIG_MAX_AGE = 60


@require_GET
def config_json(request):
    """Active appeals, their targeting and copy, and the ticker: the same for every reader."""
    body = json.dumps(services.reader_config(), ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(body.encode(), content_type="application/json")
    response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    return make_public(response, CONFIG_MAX_AGE)


@require_GET
def country(request):
    """The reader's country from the trusted CDN header: never kept, never cached."""
    return private(JsonResponse({"country": services.reader_country(request)}))


def _bad(message: str, status: int = 400) -> JsonResponse:
    return private(JsonResponse({"errors": {"__all__": [message]}}, status=status))


# No cookie is read or set and nothing is done for a reader: a forged event can only add one
# to a public counter, which anyone can do; the rate limit bounds that.
@csrf_exempt
@require_POST
def events(request):
    """POST {appeal, variant, event}: one more impression, click, dismiss or reminder.
    Counted events and refusals over the limit are usually answered before Django
    (fastpath.py), which hands on the rest with what it found."""
    outcome = request.META.get(fastpath.OUTCOME) or appeal_events.take(
        client_address(request), request.body
    )
    if outcome is Outcome.COUNTED:
        return private(HttpResponse(status=204))
    if outcome is Outcome.LIMITED:
        return too_many(appeal_events.EVENTS_WINDOW)
    if outcome is Outcome.TOO_LARGE:
        return _bad(_("The event is too large."), 413)
    if outcome is Outcome.UNKNOWN:
        return _bad(_("Unknown appeal or variant."), 404)
    return _bad(_("Send a JSON object with appeal, variant and event."))


@permission_required("appeals.change_appeal")
def appeal_stats(request, pk):
    appeal = get_object_or_404(Appeal, pk=pk)
    context = {
        "page_title": _("Statistics: %(name)s") % {"name": appeal.name},
        "header_title": _("Statistics: %(name)s") % {"name": appeal.name},
        "appeal": appeal,
        "stats": stats.appeal_stats(appeal),
        "min_impressions": stats.MIN_IMPRESSIONS,
    }
    return TemplateResponse(request, "appeals/admin/stats.html", context)
