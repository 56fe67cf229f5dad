"""WSGI entry point: request metrics, static files (WhiteNoise), appeal events, the page cache,
then Django."""

import os
import re

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readerfund.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from whitenoise import WhiteNoise  # noqa: E402

from readerfund.lib.metrics import RequestMetrics  # noqa: E402
from readerfund.lib.pagecache import PageCacheApp  # noqa: E402

application = get_wsgi_application()  # sets Django up: models may be imported from here on

from appeals.fastpath import EventsFastPath  # noqa: E402

if settings.PAGE_CACHE:
    application = PageCacheApp(application)
application = EventsFastPath(application)  # appeal events, before Django's routing


def _hashed(path: str, url: str) -> bool:
    # ManifestStaticFilesStorage names files name.<12 hex>.ext: those never change.
    return bool(HASHED.search(url))


HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")
application = WhiteNoise(
    application,
    root=settings.STATIC_ROOT,
    prefix=settings.STATIC_URL,
    max_age=3600,
    immutable_file_test=_hashed,
)
application = RequestMetrics(application)  # outermost: every request is counted
