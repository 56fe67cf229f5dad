"""A web process renders a few reader pages for itself before it answers anyone.

A new process pays for a great deal on its first renders: Python imports the template tag
libraries and what they use, Django compiles the templates, the translations are loaded, the
menu and the other kept fragments are built. Measured on 2 cores, the first home page took
600 ms, the first article 240 ms and the first of the other edition 190 ms, against 6 to 10 ms
once warm. A process started (or restarted by a deploy) under load made its first readers
wait behind that, a second or more (bench/RESULTS.md, Pages).

`warm(app)` renders, for each edition, its home page, the section of its newest article and
that article, through Django only: nothing is kept in the page cache, no metric counts it.
It is called once per web process as the WSGI application is built (readerfund/wsgi.py), so
the server answers its first request only after it. It cannot stop a process from starting:
a database not yet migrated, a page that fails, anything at all, is logged and skipped.
READERFUND_WARM_UP=0 turns it off.
"""

import io
import logging
import sys
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections
from django.http.request import validate_host
from django.utils import translation

from readerfund.lib.editions import languages

log = logging.getLogger(__name__)


def paths() -> list[str]:
    """For each edition with an article: its home page, the section of its newest article,
    and that article (the ancestors below the tree's root, then the article)."""
    from newsroom.models import ArticlePage

    found = []
    for language in languages():
        with translation.override(language):
            newest = (
                ArticlePage.objects.live()
                .public()
                .filter(locale__language_code=language)
                .order_by("-first_published_at", "-pk")
                .first()
            )
            if newest is None:
                continue
            for page in [*newest.get_ancestors().filter(depth__gte=2), newest]:
                parts = page.get_url_parts()
                if parts is not None:
                    found.append(parts[2])
    return found


def warm(app) -> int:
    """Render the pages of `paths()` through the Django WSGI application `app`; the number
    that answered 200. Never raises."""
    if not settings.WARM_UP:
        return 0
    site = urlsplit(settings.SITE_URL)
    if not validate_host(site.hostname, settings.ALLOWED_HOSTS):
        log.info("warm-up skipped: READERFUND_SITE_URL's host is not an allowed host")
        return 0
    started = time.monotonic()
    rendered = 0
    try:
        for path in paths():
            if _get(app, site, path) == "200":
                rendered += 1
    except Exception as exc:  # anything: a process that could not warm up still serves
        log.warning("warm-up stopped: %s", exc.__class__.__name__)
    finally:
        connections.close_all()  # this thread serves no request: leave nothing open
    log.info("warm-up: %d pages rendered in %.2f s", rendered, time.monotonic() - started)
    return rendered


def _get(app, site, path: str) -> str:
    secure = site.scheme == "https"
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": site.hostname,
        "SERVER_PORT": str(site.port or (443 if secure else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": site.netloc,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": site.scheme,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    proxy_header = settings.SECURE_PROXY_SSL_HEADER  # Django's default: None
    if secure and proxy_header:
        environ[proxy_header[0]] = proxy_header[1]
    status = {}

    def start_response(line, headers, exc_info=None):
        status["line"] = line
        return lambda data: None

    result = app(environ, start_response)
    try:
        for _ in result:
            pass
    finally:
        if hasattr(result, "close"):
            result.close()
    return status.get("line", "")[:3]
