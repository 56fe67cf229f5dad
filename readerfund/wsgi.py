"""WSGI entry point: request metrics, static files (WhiteNoise), appeal events, the page cache,
then Django."""

import gc
import os
import re

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readerfund.settings")

# Python's cycle collector, for a process that renders pages: by default it looks at the
# youngest objects every 700 allocations and every tenth time at older ones, so a crawl of the
# long tail ran a collection of the oldest (which stops every thread of the process for 50 to
# 150 ms) every few hundred renders: most of the long tail's p99 (bench/RESULTS.md, Pages).
# Less often, on more objects at once: no measurable memory.
GC_THRESHOLDS = (10_000, 20, 20)
gc.set_threshold(*GC_THRESHOLDS)

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from whitenoise import WhiteNoise  # noqa: E402

from readerfund.lib.metrics import RequestMetrics  # noqa: E402
from readerfund.lib.pagecache import PageCacheApp  # noqa: E402

application = get_wsgi_application()  # sets Django up: models may be imported from here on

from appeals.fastpath import EventsFastPath  # noqa: E402
from newsroom.warmup import warm  # noqa: E402

warm(application)  # before the server hands this process its first request

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

# What the process holds now (Django, Wagtail, compiled templates, the warm-up's caches: about
# 250,000 objects) lives as long as it does. Frozen, the collector never looks at it again: a
# collection of the oldest generation took 150 ms with it (every thread of the process stopped)
# and well under a millisecond without (bench/RESULTS.md, Pages).
gc.collect()
gc.freeze()
