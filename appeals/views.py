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

from appeals import services, stats
from appeals.models import Appeal
from readerfund.lib.http import make_public, private
from readerfund.lib.ratelimit import client_address, hit, too_many

CONFIG_MAX_AGE = 60
EVENTS_LIMIT = 300  # events …
EVENTS_WINDOW = 300  # … per 5 minutes per address (a page view sends one to three)
MAX_EVENT_BODY = 1024


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


def _bad(message: str) -> JsonResponse:
    return private(JsonResponse({"errors": {"__all__": [message]}}, status=400))


# No cookie is read or set and nothing is done for a reader: a forged event can only add one
# to a public counter, which anyone can do; the rate limit bounds that.
@csrf_exempt
@require_POST
def events(request):
    """POST {appeal, variant, event}: one more impression, click, dismiss or reminder."""
    if hit("appeal-events", client_address(request), limit=EVENTS_LIMIT, window=EVENTS_WINDOW):
        return too_many(EVENTS_WINDOW)
    if len(request.body) > MAX_EVENT_BODY:
        return _bad(_("The event is too large."))
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _bad(_("Send a JSON object with appeal, variant and event."))
    if not isinstance(data, dict):
        return _bad(_("Send a JSON object with appeal, variant and event."))
    try:
        services.record_event(data.get("appeal"), data.get("variant"), data.get("event"))
    except services.BadEvent:
        return _bad(_("Unknown appeal, variant or event."))
    return private(HttpResponse(status=204))


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
