"""Site-wide plumbing views: health, robots, media."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.static import serve

from readerfund.lib.http import make_public, private, public


def healthz(request):
    """200 with {"database": "ok"} when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        healthy = True
    except Exception:  # noqa: BLE001 — any failure means unhealthy; the reason is logged
        import logging

        logging.getLogger(__name__).exception("health check: the database did not answer")
        healthy = False
    body = {"status": "ok" if healthy else "error", "database": "ok" if healthy else "error"}
    return private(JsonResponse(body, status=200 if healthy else 503))


@public
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def media(request, path):
    """Uploaded images and their renditions. Rendition names change when the image does."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    return make_public(response, max_age=30 * 24 * 3600)
