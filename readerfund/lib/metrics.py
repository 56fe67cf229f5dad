"""What each web process counts for /metrics (readerfund/metrics.py): requests and their
latency by route group, and what the page cache did.

Several web processes serve one machine (granian's workers), so `readerfund serve` gives
them one PROMETHEUS_MULTIPROC_DIR (the data dir's metrics/, emptied at each start) and
prometheus-client's multiprocess mode adds their counts up at scrape time. Without it (tests,
another WSGI server with one process) each process's own registry is read. Labels are route
groups and outcomes from short fixed lists: never a path, an address or anything of a donor.
"""

import time

from prometheus_client import Counter, Histogram

from readerfund.lib.editions import unprefixed

REQUESTS = Counter(
    "readerfund_http_requests",
    "Requests answered, by route group and status class.",
    ["group", "status"],
)
LATENCY = Histogram(
    "readerfund_http_request_duration_seconds",
    "Time to the response's headers, by route group.",
    ["group"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PAGE_CACHE = Counter(
    "readerfund_page_cache",
    "Public pages asked of the page cache: hit (kept and fresh), stale (kept, served while "
    "rendered again), miss (rendered for the reader), busy (503, no slot to render).",
    ["outcome"],
)
RENDERS = Counter(
    "readerfund_page_renders",
    "Pages rendered by the page cache: for a reader waiting, or in the background.",
    ["kind"],
)

# Longest prefix first; everything else is a reader page (articles, sections, home).
ROUTE_GROUPS = (
    ("/api/appeals/events", "appeal_events"),
    ("/api/", "api"),
    ("/webhooks/", "webhooks"),
    ("/admin/", "admin"),
    ("/support/", "support"),
    ("/reminders/", "reminders"),
    ("/lite/", "lite"),
    ("/static/", "static"),
    ("/media/", "media"),
    ("/healthz", "health"),
    ("/metrics", "metrics"),
)
FEEDS = ("/feed/", "/feed.json", "/sitemap.xml")


_GROUP_PREFIXES = tuple(prefix for prefix, _ in ROUTE_GROUPS)


def route_group(path: str) -> str:
    path = unprefixed(path)  # /ru/support/ is support too
    if path.startswith(_GROUP_PREFIXES):  # one test for the most frequent case, a page
        for prefix, group in ROUTE_GROUPS:
            if path.startswith(prefix):
                return group
    if path.endswith(FEEDS):
        return "feeds"
    return "pages"


class Children(dict):
    """A metric's child for each label value (or tuple of them), found once: `labels()`
    takes a lock and checks its arguments on each call, a few microseconds on every request.
    Only for labels from short fixed lists, as all of ours are."""

    def __init__(self, metric):
        super().__init__()
        self.metric = metric

    def __missing__(self, values):
        labels = values if isinstance(values, tuple) else (values,)
        child = self[values] = self.metric.labels(*labels)
        return child


_REQUESTS, _LATENCY = Children(REQUESTS), Children(LATENCY)


class RequestMetrics:
    """WSGI middleware, outermost: counts every request, static files and appeal events too."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        group = route_group(environ.get("PATH_INFO", ""))

        def counting_start_response(status, headers, exc_info=None):
            _REQUESTS[group, f"{status[:1]}xx"].inc()
            _LATENCY[group].observe(time.perf_counter() - started)
            return start_response(status, headers, exc_info)

        return self.app(environ, counting_start_response)
