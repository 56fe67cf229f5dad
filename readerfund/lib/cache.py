"""The cache backends: a Redis cache that a Redis outage does not turn into errors on reader
pages, and a file cache that does not list its directory on every write.

Reader pages read the cache along the way (Wagtail's site root paths, kept fragments); when
Redis is down or stops answering, those reads become misses and writes are dropped, so pages
are rendered from the database as if the cache were cold, and everything recovers by itself
when Redis returns. Counting (`incr`, rate limits) is not hidden: a limit that cannot count
must be decided by its caller.
"""

import contextlib
import logging
import os
import pickle
import threading
import time
import zlib

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
_warned = {"at": float("-inf")}


def _down(what: str) -> None:
    now = time.monotonic()
    if now - _warned["at"] >= 60:  # once a minute per process, no request data
        _warned["at"] = now
        log.warning("cache: Redis is unreachable (%s); going on without it", what)


class TolerantRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except DOWN:
            _down("get")
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except DOWN:
            _down("get_many")
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except DOWN:
            _down("has_key")
            return False

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except DOWN:
            _down("set")

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except DOWN:
            _down("set_many")
            return list(data)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except DOWN:
            _down("add")
            return False

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except DOWN:
            _down("touch")
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except DOWN:
            _down("delete")
            return False


def cache_state(alias: str = "default") -> str:
    """ "ok" when the cache's Redis answers a PING, "down" when it does not, "local" for a
    cache on this machine (files, memory), which has no outage of its own."""
    backend = caches[alias]
    if not isinstance(backend, RedisCache):
        return "local"
    try:
        backend._cache.get_client().ping()
    except DOWN:
        _down("ping")
        return "down"
    return "ok"


class FileCache(FileBasedCache):
    """Django's file cache, counting its entries at most once per CULL_INTERVAL per process.

    Django's lists the whole directory on every write to see whether it holds MAX_ENTRIES:
    with the thousands of pages a crawl of the long tail keeps, that listing cost more CPU
    than the render before it, and more with every page kept (bench/RESULTS.md, Pages). Here
    a process lists at most once a second per directory, so the store may run over
    MAX_ENTRIES by what one second writes before it culls a third of its entries, as Django's
    does. The embedded default's stores (the default cache and kept pages) use it."""

    CULL_INTERVAL = 1.0  # seconds

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Django's write, less what it costs on every page kept: a random temporary name
        from `tempfile` (here one of this process and thread, which no other writer uses)
        and zlib at its default level (level 1 here: a third of the time, files a little
        larger; reading is the same)."""
        fname = self._key_to_file(key, version)
        self._cull()
        temporary = f"{fname}.{os.getpid()}-{_MACHINE}-{threading.get_ident()}.tmp"
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except FileNotFoundError:  # the directory was removed: Django's makes it again too
            self._createdir()
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with open(fd, "wb") as file:
                self._write_content(file, timeout, value)
            os.replace(temporary, fname)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(temporary)
            raise

    def _write_content(self, file, timeout, value):
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), 1))

    def _cull(self):
        now = time.monotonic()
        with _cull_lock:
            if now - _culled_at.get(self._dir, float("-inf")) < self.CULL_INTERVAL:
                return
            _culled_at[self._dir] = now
        super()._cull()


# When each directory was last counted, by this process (Django makes a cache object per thread).
_culled_at: dict[str, float] = {}
_cull_lock = threading.Lock()
# Tells this machine's writers from another's when machines share a directory (pids may meet).
_MACHINE = os.urandom(4).hex()
