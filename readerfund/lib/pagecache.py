"""Serve published pages from memory, in front of Django.

A reader page is the same for every reader (no cookies, no per-reader content), and it changes
only when staff publish, unpublish, move or delete something. So the first rendering of a URL
is kept and served again until the next such change, without entering Django at all.

Invalidation is by generation: `bump()` increments a counter in the shared cache (files in
the data dir, or Redis) after the publishing transaction commits; every process reads the
counter at most every PAGE_CACHE_GENERATION_TTL seconds (1 s: reading it on every request
cost most of a cached request's time) and ignores entries of older generations. The process
that bumps sees its own change at once. Only responses that say `Cache-Control: public` with
a max-age, set no cookie and do not vary by cookie are kept, and for no longer than their
max-age: figures that change without a publish (the funding ticker) stay as fresh as any
browser cache would keep them.

After a publish, one thread per process renders a page again while the others go on serving
the previous rendering for those few milliseconds, so a publish causes no pile-up.
"""

import hashlib
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "pagecache:generation"
BYPASS_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/api/",
    "/healthz",
    "/webhooks/",
    "/media/",
    "/documents/",
    "/static/",
)
SESSION_COOKIE = "sessionid="
MAX_BODY = 2 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    generation: int
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None
    expires_at: float  # wall-clock time: the response's own max-age, so figures stay fresh

    @property
    def fresh(self) -> bool:
        return time.time() < self.expires_at


_seen = {"generation": 0, "at": float("-inf")}


def generation() -> int:
    """The current generation, read from the shared cache at most once per TTL."""
    ttl = getattr(settings, "PAGE_CACHE_GENERATION_TTL", 1.0)
    now = time.monotonic()
    if now - _seen["at"] < ttl:
        return _seen["generation"]
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    _seen.update(generation=value, at=now)
    return value


def bump() -> None:
    """Forget every kept page, in every process. Call after the change has committed."""
    try:
        value = cache.incr(GENERATION_KEY)
    except ValueError:
        value = 2
        cache.set(GENERATION_KEY, value, timeout=None)
    _seen.update(generation=value, at=time.monotonic())


MAX_AGE = re.compile(r"max-age=(\d+)")


def _max_age(headers: list[tuple[str, str]]) -> int:
    control = next((v for n, v in headers if n.lower() == "cache-control"), "")
    match = MAX_AGE.search(control)
    return int(match.group(1)) if match else 0


def _storable(status: str, headers: list[tuple[str, str]]) -> bool:
    if not status.startswith("200"):
        return False
    names = {name.lower(): value for name, value in headers}
    if "set-cookie" in names:
        return False
    if "cookie" in names.get("vary", "").lower():
        return False
    return "public" in names.get("cache-control", "")


class PageCacheApp:
    """WSGI middleware: a small in-process memo backed by the shared cache."""

    def __init__(self, app, max_entries: int = 2000):
        self.app = app
        self.max_entries = max_entries
        self.memo: OrderedDict[tuple, Entry] = OrderedDict()
        self.lock = threading.Lock()
        self.rendering: set[tuple] = set()

    def __call__(self, environ, start_response):
        if not self._cacheable(environ):
            return self.app(environ, start_response)
        key = (
            environ.get("HTTP_HOST", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
        )
        gen = generation()
        entry = self._lookup(key, gen)
        if entry is not None:
            return self._serve(entry, environ, start_response)
        stale = self.memo.get(key)
        with self.lock:
            busy = key in self.rendering
            if not busy:
                self.rendering.add(key)
        if busy and stale is not None:
            return self._serve(stale, environ, start_response)
        try:
            return self._render_and_keep(environ, start_response, key, gen)
        finally:
            if not busy:
                with self.lock:
                    self.rendering.discard(key)

    @staticmethod
    def _cacheable(environ) -> bool:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return False
        if environ.get("PATH_INFO", "").startswith(BYPASS_PREFIXES):
            return False
        if "HTTP_AUTHORIZATION" in environ:
            return False
        return SESSION_COOKIE not in environ.get("HTTP_COOKIE", "")

    @staticmethod
    def _shared_key(key, gen) -> str:
        digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        return f"pagecache:{gen}:{digest}"

    def _lookup(self, key, gen) -> Entry | None:
        entry = self.memo.get(key)
        if entry is not None and entry.generation == gen and entry.fresh:
            return entry
        entry = cache.get(self._shared_key(key, gen))
        if entry is None or not entry.fresh:
            return None
        self._remember(key, entry)
        return entry

    def _remember(self, key, entry: Entry) -> None:
        with self.lock:
            self.memo[key] = entry
            self.memo.move_to_end(key)
            while len(self.memo) > self.max_entries:
                self.memo.popitem(last=False)

    def _render_and_keep(self, environ, start_response, key, gen):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        if environ.get("REQUEST_METHOD") == "HEAD":
            return self.app(environ, capture)
        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = captured["status"], captured["headers"]
        max_age = _max_age(headers)
        if _storable(status, headers) and max_age and len(body) <= MAX_BODY:
            etag = next((v for n, v in headers if n.lower() == "etag"), None)
            entry = Entry(gen, status, list(headers), body, etag, time.time() + max_age)
            cache.set(self._shared_key(key, gen), entry, timeout=max_age)
            self._remember(key, entry)
        return [body]

    @staticmethod
    def _serve(entry: Entry, environ, start_response):
        if entry.etag and entry.etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            kept = [(n, v) for n, v in entry.headers if n.lower() != "content-length"]
            start_response("304 Not Modified", kept)
            return [b""]
        start_response(entry.status, entry.headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return [b""]
        return [entry.body]
