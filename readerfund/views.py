"""Site-wide plumbing views: health, robots, media."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.static import serve

from readerfund.lib.cache import cache_state
from readerfund.lib.editions import languages, prefix
from readerfund.lib.http import make_public, private, public


def healthz(request):
    """The database and the shared cache, for a load balancer: 200 {"status": "ok"} when
    both answer; 503 "degraded" when only the cache (Redis) does not (pages are served, but
    checkout waits for it); 503 "error" when the database does not."""
    database = _database_state()
    cache = cache_state()
    status = "error" if database != "ok" else "degraded" if cache == "down" else "ok"
    body = {"status": status, "database": database, "cache": cache}
    return private(JsonResponse(body, status=200 if status == "ok" else 503))


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 — any failure means unhealthy; the reason is logged
        logging.getLogger(__name__).exception("health check: the database did not answer")
        return "error"
    return "ok"


@public
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /api/",
        # One sitemap per edition: /sitemap.xml, /ru/sitemap.xml.
        *(
            f"Sitemap: {request.build_absolute_uri(prefix(language) + '/sitemap.xml')}"
            for language in languages()
        ),
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def media(request, path):
    """Uploaded images and their renditions. Rendition names change when the image does."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    return make_public(response, max_age=30 * 24 * 3600)
