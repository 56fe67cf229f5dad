"""Serve published pages from memory, in front of Django, whatever readers and crawlers send.

A reader page is the same for every reader (no cookies, no per-reader content), so the first
rendering of a page is kept and served again without entering Django at all:

- **Keyed by the page, not the URL** (`pagekey`): tracking parameters and unknown query
  strings are dropped, so a flood of `?utm_source=<random>` is served from memory.
- **Kept until what it shows changes** (`pagegen`): publishing an article forgets only the
  pages that show it; staff changes that reach every page forget everything. A kept page also
  lives no longer than its own max-age, so figures that change without a publish (the funding
  ticker) stay as fresh as any browser cache would keep them. After its max-age a page is
  served stale for up to PAGE_STALE seconds while one background thread per process renders
  it again (stale-while-revalidate).
- **Cold renders never starve warm hits**: at most PAGE_RENDER_SLOTS renders run at once per
  process, and PAGE_RENDER_QUEUE more misses may wait for one, up to PAGE_RENDER_WAIT
  seconds, first come first served (`slots.FairSlots`); any other miss gets the previous
  rendering when there is one, or 503 with Retry-After at once.
  The rest of the process's threads (`serve --threads`, 10) serve kept pages. Concurrent
  misses for one page wait for one render (single-flight), and a process takes a page another
  process has just rendered from the shared store before rendering it itself.
- **Bounded**: in memory per process (PAGE_CACHE_MEMORY, by bytes and entries), and in the
  shared store (`caches["pages"]`, apart from the cache that holds rate-limit counters and the
  breaker's state, so nothing a reader sends can evict those).

Only responses that say `Cache-Control: public` with a max-age, set no cookie and do not vary
by cookie are kept. Staff (a session cookie), non-GET requests and the paths in
BYPASS_PREFIXES always reach Django.
"""

import hashlib
import io
import logging
import queue
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from readerfund.lib import pagegen
from readerfund.lib.editions import language_of_path, unprefixed
from readerfund.lib.metrics import PAGE_CACHE, RENDERS, Children
from readerfund.lib.middleware import RENDERING_FOR_CACHE
from readerfund.lib.pagegen import bump, generation, outage
from readerfund.lib.pagekey import page_key
from readerfund.lib.slots import FairSlots

__all__ = ["PageCacheApp", "bump", "generation"]
log = logging.getLogger(__name__)

BYPASS_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/api/",
    "/healthz",
    "/metrics",
    "/webhooks/",
    "/media/",
    "/documents/",
    "/static/",
)
SESSION_COOKIE = "sessionid="
MAX_BODY = 2 * 1024 * 1024
TAGS_HEADER = "x-cache-tags"  # set by the page (readerfund.lib.http.tag), never sent out
RETRY_AFTER = 5
_OUTCOMES = Children(PAGE_CACHE)


@dataclass(frozen=True)
class Entry:
    generation: int
    tags: tuple[str, ...]
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None
    expires_at: float  # wall-clock time: the response's own max-age

    @property
    def fresh(self) -> bool:
        return time.time() < self.expires_at

    @property
    def current(self) -> bool:
        return pagegen.current(self.generation, self.tags)

    @property
    def servable_stale(self) -> bool:
        return time.time() < self.expires_at + settings.PAGE_STALE


class Memo:
    """This process's kept pages, least recently used first out, bounded by count and bytes."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key) -> Entry | None:
        return self.entries.get(key)

    def put(self, key, entry: Entry) -> None:
        with self.lock:
            self._drop(key)
            self.entries[key] = entry
            self.size += len(entry.body)
            while self.entries and (
                len(self.entries) > self.max_entries or self.size > self.max_bytes
            ):
                self._drop(next(iter(self.entries)))

    def pop(self, key) -> None:
        with self.lock:
            self._drop(key)

    def _drop(self, key) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)


class PageCacheApp:
    """WSGI middleware: kept pages in process memory, backed by the shared page store."""

    def __init__(self, app, max_entries: int = 5000, max_bytes: int | None = None):
        self.app = app
        self.memo = Memo(max_entries, max_bytes or settings.PAGE_CACHE_MEMORY)
        self.slots = FairSlots(settings.PAGE_RENDER_SLOTS)  # the longest waiting renders next
        waiting = settings.PAGE_RENDER_QUEUE
        self.admission = threading.BoundedSemaphore(settings.PAGE_RENDER_SLOTS + waiting)
        self.flights: dict[tuple, threading.Event] = {}
        self.lock = threading.Lock()
        self.refresher = Refresher(self)

    def __call__(self, environ, start_response):
        key = self._key(environ)
        if key is None:
            return self.app(environ, start_response)
        environ["QUERY_STRING"] = key[2]  # Django renders exactly what is keyed
        generation()
        entry = self._lookup(key)
        if entry is not None and entry.current:
            if entry.fresh:
                return self._serve(entry, environ, start_response)
            if entry.servable_stale:
                self.refresher.ask(key, environ)
                return self._serve(entry, environ, start_response, "stale")
        return self._miss(key, entry, environ, start_response)

    @staticmethod
    def _key(environ) -> tuple | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        path = environ.get("PATH_INFO", "")
        private = unprefixed(path).startswith(settings.PAGE_CACHE_PRIVATE)  # in any edition
        if path.startswith(BYPASS_PREFIXES) or private:
            return None
        if "HTTP_AUTHORIZATION" in environ or SESSION_COOKIE in environ.get("HTTP_COOKIE", ""):
            return None
        return page_key(environ)

    # Finding a kept page ---------------------------------------------------------------

    def _lookup(self, key) -> Entry | None:
        """The best kept rendering of `key`: this process's, or a newer one from the shared
        store. It may be stale or invalid: the caller decides."""
        entry = self.memo.get(key)
        if entry is not None and entry.current and entry.fresh:
            return entry
        shared = _shared().get(_shared_key(key))
        if shared is not None and shared.current and (entry is None or _newer(shared, entry)):
            self.memo.put(key, shared)
            return shared
        return entry

    # Rendering -------------------------------------------------------------------------

    def _miss(self, key, stale: Entry | None, environ, start_response):
        """No current kept page: render it once (single-flight, within a render slot)."""
        with self.lock:
            flight = self.flights.get(key)
            leader = flight is None
            if leader:
                flight = self.flights[key] = threading.Event()
        if not leader:
            if stale is not None and stale.servable_stale:
                return self._serve(stale, environ, start_response, "stale")
            flight.wait(settings.PAGE_RENDER_WAIT)
            done = self.memo.get(key)
            if done is not None and done.current and done.fresh:
                return self._serve(done, environ, start_response)
            return self._render_in_slot(key, stale, environ, start_response)
        try:
            return self._render_in_slot(key, stale, environ, start_response)
        finally:
            with self.lock:
                self.flights.pop(key, None)
            flight.set()

    def _render_in_slot(self, key, stale, environ, start_response):
        # Misses hold at most SLOTS + QUEUE threads (rendering or waiting); the process's
        # other threads stay free for kept pages.
        admitted = self.admission.acquire(blocking=False)
        free = admitted and self.slots.acquire(blocking=False)
        if admitted and not free and self.slots.acquire(timeout=settings.PAGE_RENDER_WAIT):
            # It waited: another process may have rendered the page meanwhile.
            ready = self._lookup(key)
            if ready is not None and ready.current and ready.fresh:
                self.slots.release()
                self.admission.release()
                return self._serve(ready, environ, start_response)
            free = True
        if not free:
            if admitted:
                self.admission.release()
            if stale is not None and stale.servable_stale:
                return self._serve(stale, environ, start_response, "stale")
            _OUTCOMES["busy"].inc()
            return _busy(start_response, language_of_path(environ.get("PATH_INFO", "")))
        try:
            return self._render(key, environ, start_response)
        finally:
            self.slots.release()
            self.admission.release()

    def _render(self, key, environ, start_response):
        """Render through Django, keep the page when it may be kept, send it on."""
        _OUTCOMES["miss"].inc()
        RENDERS.labels("request").inc()
        rendered_at = generation()
        head = environ["REQUEST_METHOD"] == "HEAD"
        status, headers, body = _call(self.app, {**environ, "REQUEST_METHOD": "GET"})
        tags = _pop_tags(headers)
        entry = _entry(rendered_at, tags, status, headers, body)
        if entry is not None:
            self.memo.put(key, entry)
            _shared().set(_shared_key(key), entry, timeout=_store_seconds(entry))
        elif status.startswith(("404", "410", "301", "302")):
            self._forget(key)  # unpublished, moved or deleted: no old copy may outlive it
        start_response(status, headers)
        return [b"" if head else body]

    def refresh(self, key, environ) -> None:
        """Render `key` again in the background (its kept copy is past its max-age)."""
        with self.slots:
            ready = self._lookup(key)
            if ready is not None and ready.current and ready.fresh:
                return
            RENDERS.labels("background").inc()
            status, headers, body = _call(self.app, environ)
            tags = _pop_tags(headers)
            entry = _entry(generation(), tags, status, headers, body)
            if entry is not None:
                self.memo.put(key, entry)
                _shared().set(_shared_key(key), entry, timeout=_store_seconds(entry))
            else:
                self._forget(key)

    def _forget(self, key) -> None:
        self.memo.pop(key)
        _shared().delete(_shared_key(key))

    @staticmethod
    def _serve(entry: Entry, environ, start_response, outcome: str = "hit"):
        _OUTCOMES[outcome].inc()
        if entry.etag and entry.etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            kept = [(n, v) for n, v in entry.headers if n.lower() != "content-length"]
            start_response("304 Not Modified", kept)
            return [b""]
        start_response(entry.status, entry.headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return [b""]
        return [entry.body]


class Refresher:
    """One background thread per process that renders pages past their max-age again, each
    once however many readers asked, while readers are served the previous rendering."""

    def __init__(self, app: PageCacheApp):
        self.app = app
        self.queue: queue.Queue = queue.Queue(maxsize=1000)
        self.asked: set[tuple] = set()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def ask(self, key, environ) -> None:
        with self.lock:
            if key in self.asked:
                return
            self.asked.add(key)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="page-refresher", daemon=True)
                self.thread.start()
        try:
            self.queue.put_nowait((key, _background_environ(environ)))
        except queue.Full:
            with self.lock:
                self.asked.discard(key)

    def wait_idle(self, timeout: float = 5) -> None:
        """Until every asked refresh is done (tests)."""
        deadline = time.monotonic() + timeout
        while self.asked and time.monotonic() < deadline:
            time.sleep(0.005)

    def _run(self) -> None:
        while True:
            key, environ = self.queue.get()
            try:
                self.app.refresh(key, environ)
            except Exception:
                log.exception("page refresh failed")
            finally:
                with self.lock:
                    self.asked.discard(key)


# Helpers -------------------------------------------------------------------------------


class _SharedStore:
    """The shared page store; when it is unreachable, a miss (reads) and a no-op (writes):
    pages are then rendered and kept by each process alone."""

    def get(self, key):
        try:
            return caches["pages"].get(key)
        except Exception:
            return _store_down()

    def set(self, key, entry, timeout):
        try:
            caches["pages"].set(key, entry, timeout=timeout)
        except Exception:
            _store_down()

    def delete(self, key):
        try:
            caches["pages"].delete(key)
        except Exception:
            _store_down()


def _store_down() -> None:
    outage("use the shared page store")


_store = _SharedStore()


def _shared() -> _SharedStore:
    return _store


def _shared_key(key) -> str:
    return "page:" + hashlib.sha256(repr(key).encode()).hexdigest()[:40]


def _newer(a: Entry, b: Entry) -> bool:
    return (a.generation, a.expires_at) > (b.generation, b.expires_at)


def _store_seconds(entry: Entry) -> int:
    return max(1, int(entry.expires_at - time.time()) + settings.PAGE_STALE)


def _call(app, environ) -> tuple[str, list, bytes]:
    captured = {}

    def capture(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, list(headers)
        return lambda data: None

    environ[RENDERING_FOR_CACHE] = True  # the page's tags reach us (lib/middleware.py)
    result = app(environ, capture)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return captured["status"], captured["headers"], body


def _pop_tags(headers: list) -> tuple[str, ...]:
    found = [value for name, value in headers if name.lower() == TAGS_HEADER]
    headers[:] = [(name, value) for name, value in headers if name.lower() != TAGS_HEADER]
    return tuple(sorted({tag for value in found for tag in value.split()}))


def _entry(rendered_at, tags, status, headers, body) -> Entry | None:
    max_age = _max_age(headers)
    if not (_storable(status, headers) and max_age and len(body) <= MAX_BODY):
        return None
    etag = next((v for n, v in headers if n.lower() == "etag"), None)
    return Entry(rendered_at, tags, status, list(headers), body, etag, time.time() + max_age)


def _max_age(headers: list[tuple[str, str]]) -> int:
    control = next((v for n, v in headers if n.lower() == "cache-control"), "")
    for part in control.split(","):
        name, _, value = part.strip().partition("=")
        if name == "max-age" and value.isdigit():
            return int(value)
    return 0


def _storable(status: str, headers: list[tuple[str, str]]) -> bool:
    if not status.startswith("200"):
        return False
    names = {name.lower(): value for name, value in headers}
    if "set-cookie" in names:
        return False
    if "cookie" in names.get("vary", "").lower():
        return False
    return "public" in names.get("cache-control", "")


def _background_environ(environ) -> dict:
    """A copy of a reader's request fit to render again later: no cookie, no body."""
    copy = {k: v for k, v in environ.items() if isinstance(v, str) and k != "HTTP_COOKIE"}
    copy.update(
        {
            "REQUEST_METHOD": "GET",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": environ.get("wsgi.url_scheme", "http"),
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
    )
    return copy


_busy_pages: dict[str, bytes] = {}


def _busy(start_response, language: str):
    """503: every render slot stayed taken, in the edition's language (translated once)."""
    if language not in _busy_pages:
        with translation.override(language):
            text = translation.gettext("This page is busy. Please try again in a few seconds.")
        _busy_pages[language] = (
            f'<!doctype html><html lang="{language}"><meta charset="utf-8">'
            f"<title>503</title><p>{text}</p></html>"
        ).encode()
    body = _busy_pages[language]
    start_response(
        "503 Service Unavailable",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Retry-After", str(RETRY_AFTER)),
            ("Cache-Control", "no-store"),
        ],
    )
    return [body]
