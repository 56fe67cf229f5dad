"""A private `redis-server` the tests start, stop and restart (never the machine's own)."""

import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from readerfund.lib import pagegen
from tests.processes import free_port

REDIS_SERVER = shutil.which("redis-server")
needs_redis_server = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server is not installed (apt-get install redis-server)"
)


class RedisServer:
    """One redis-server on a free loopback port, keeping nothing on disk."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="readerfund-redis-")
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", self.dir]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def redis_caches(settings):
    """A private redis-server behind the shared cache and the page store, as in production
    with REDIS_URL (short timeouts); the test stops and starts it."""
    server = RedisServer()
    server.start()
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
    tolerant = "readerfund.lib.cache.TolerantRedisCache"
    settings.CACHES = {
        "default": {"BACKEND": tolerant, "LOCATION": server.url, "OPTIONS": options},
        "pages": {"BACKEND": tolerant, "LOCATION": server.url, "KEY_PREFIX": "pages",
                  "OPTIONS": options},
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }  # fmt: skip
    pagegen.forget()
    yield server
    server.close()
    pagegen.forget()
