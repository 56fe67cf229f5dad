"""What a publish invalidates: a generation counter, and the tags each bump of it names.

Every kept page carries the generation it was rendered at and its tags ("page:12",
"list:4", "tag:7", "sitemap": what it shows). Publishing an article bumps the generation
once, naming the tags of what changed — the article, its section's and the home page's
lists, its tags' lists, the sitemap — so only pages that show it are rendered again. Staff
changes that reach every page (settings, authors, images, appeals, presets, moves,
unpublishing) bump with no tags: everything is rendered again.

The counter lives in the shared cache (files in the data dir, or Redis), beside a short log
of bumps (`pagecache:bump:<generation>` → tags). Each process reads the counter at most once
per PAGE_CACHE_GENERATION_TTL (1 s: reading it on every request cost most of a cached
request's time) and catches up on the log in one `get_many`. A missing log entry — expired,
evicted, or read in the instant between the counter's increment and the log's write — counts
as "everything changed": the safe side. The counter starts at a random value, so a flushed
cache (Redis restarted, the cache dir wiped) can never make an old page look current.

When the shared cache is unreachable (Redis down), every process goes on with what it knows:
kept pages are served until their max-age, new ones are rendered, and a publish is seen at
once by the process that made it and by the others when their copies expire. Everything
recovers by itself when the cache returns.

On the file cache, `incr` is not atomic across processes: two processes publishing in the
same instant may get the same number. Each log entry is written with `add`, and the second
writer, finding it taken, marks that generation "everything changed".
"""

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)
GENERATION_KEY = "pagecache:generation"
BUMP_KEY = "pagecache:bump:{}"
EVERYTHING = "*"
LOG_TTL = 24 * 3600
MAX_CATCH_UP = 1000  # further behind than this, a process forgets everything


@dataclass
class Seen:
    """What this process knows: the generation, when it last read it, and since when each
    tag (and everything) has been invalid."""

    generation: int = 0
    at: float = float("-inf")
    everything: int = 0
    tags: dict[str, int] = field(default_factory=dict)


_seen = Seen()
_lock = threading.Lock()


def generation() -> int:
    """The current generation, read from the shared cache at most once per TTL."""
    now = time.monotonic()
    if now - _seen.at < settings.PAGE_CACHE_GENERATION_TTL:
        return _seen.generation
    with _lock:
        if now - _seen.at >= settings.PAGE_CACHE_GENERATION_TTL:
            try:
                _catch_up(_read_counter())
            except Exception:  # the shared cache is down: go on with what we know
                outage("read the publish generation")
            _seen.at = now
    return _seen.generation


def current(rendered_at: int, tags: tuple[str, ...]) -> bool:
    """Whether a page rendered at `rendered_at` showing `tags` is still what readers should
    get: nothing it shows has been bumped since."""
    if rendered_at < _seen.everything or rendered_at > _seen.generation:
        return False  # a later generation from a flushed cache's past is not trusted either
    return all(_seen.tags.get(tag, 0) <= rendered_at for tag in tags)


def bump(tags=None) -> None:
    """Invalidate the pages showing any of `tags` (every page when None or empty), in every
    process. Call after the change has committed."""
    names = sorted(set(tags or ())) or [EVERYTHING]
    try:
        value = _count_bump(names)
    except Exception:
        # The shared cache is down: other processes learn nothing (their pages expire with
        # their max-age); this one forgets everything it kept, and trusts nothing it renders
        # now once the cache is back (a later generation than the counter's).
        outage("count a publish")
        with _lock:
            _seen.generation += 1
            _seen.everything = _seen.generation
        return
    with _lock:
        _catch_up(value)
        _seen.at = time.monotonic()


def _count_bump(names: list[str]) -> int:
    try:
        value = cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet (a fresh or flushed cache)
        _read_counter()
        value = cache.incr(GENERATION_KEY)
    if not cache.add(BUMP_KEY.format(value), names, timeout=LOG_TTL):
        cache.set(BUMP_KEY.format(value), [EVERYTHING], timeout=LOG_TTL)
    return value


_warned = {"at": float("-inf")}


def outage(what: str) -> None:
    """Log a shared-cache outage at most once a minute per process (no request data)."""
    now = time.monotonic()
    if now - _warned["at"] >= 60:
        _warned["at"] = now
        log.warning("page cache: the shared cache is unreachable, could not %s", what)


def forget() -> None:
    """Forget what this process knows (tests: the shared cache was cleared)."""
    global _seen
    with _lock:
        _seen = Seen()


def _read_counter() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, secrets.randbelow(2**48) + 1, timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def _catch_up(value: int) -> None:
    """Learn what the bumps between our generation and `value` invalidated."""
    if value is None or value == _seen.generation:
        return
    old = _seen.generation
    if old and old < value <= old + MAX_CATCH_UP:
        _read_log(range(old + 1, value + 1))
    else:  # first read, far behind, or the counter went back (flushed): trust nothing older
        _seen.everything = value
        _seen.tags.clear()
    _seen.generation = value


def _read_log(generations: range) -> None:
    keys = [BUMP_KEY.format(g) for g in generations]
    log = cache.get_many(keys)
    for number, key in zip(generations, keys, strict=True):
        names = log.get(key)
        if not names or EVERYTHING in names:
            _seen.everything = number
        else:
            _seen.tags.update(dict.fromkeys(names, number))
    if len(_seen.tags) > 10_000:  # tags older than the last full bump say nothing more
        _seen.tags = {t: g for t, g in _seen.tags.items() if g > _seen.everything}
