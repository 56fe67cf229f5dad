"""Appeal events buffered in granian's web workers reach the database when the server stops
cleanly: the real `readerfund serve --no-worker`, real processes, real signals.

The server runs on a throwaway database: a SQLite file in a data dir of its own, or, when
TEST_DATABASE_URL names a PostgreSQL server, a database created and dropped here (the test
database itself holds the test's uncommitted transaction).
"""

import contextlib
import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.processes import STARTUP_TIMEOUT, descendants, free_port, kill_tree, with_static_files

READERFUND = [sys.executable, "-m", "readerfund.cli"]
APPEAL = "shutdown-modal"
CREATE_APPEAL = f"""
from appeals.models import Appeal, AppealVariant
appeal = Appeal(name="Modal", slug="{APPEAL}", kind="modal")
appeal.variants = [AppealVariant(key="a", body="<p>Hi</p>")]
appeal.save()
"""
COUNTED = f"""
from django.db.models import Sum
from appeals.models import AppealCount
rows = AppealCount.objects.filter(appeal__slug="{APPEAL}")
print(rows.aggregate(n=Sum("impressions"))["n"] or 0)
"""


def run(args: list[str], env: dict) -> str:
    done = subprocess.run(READERFUND + args, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def server_env(tmp_path_factory):
    """The environment of a server with one appeal, on its own migrated database."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "TEST_DATABASE_URL", "REDIS_URL")
        and not name.startswith("READERFUND_")
    }
    env["READERFUND_DATA_DIR"] = str(with_static_files(tmp_path_factory.mktemp("events-server")))
    with throwaway_database() as url:
        if url:
            env["DATABASE_URL"] = url
        run(["migrate", "-v0"], env)
        run(["shell", "-c", CREATE_APPEAL], env)
        yield env


class throwaway_database:
    """A PostgreSQL database of its own when TEST_DATABASE_URL is set; else None (SQLite)."""

    def __enter__(self):
        server = os.environ.get("TEST_DATABASE_URL", "")
        if not server.startswith("postgres"):
            self.url = None
            return None
        self.admin = server
        self.name = f"readerfund_events_{os.getpid()}"
        self._execute(f'CREATE DATABASE "{self.name}"')
        self.url = urlunsplit(urlsplit(server)._replace(path=f"/{self.name}"))
        return self.url

    def __exit__(self, *exc):
        if self.url:
            self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as connection:
            connection.execute(sql)


def counted(env: dict) -> int:
    return int(run(["shell", "-c", COUNTED], env).strip().splitlines()[-1])


def start(env: dict, flush_every: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = READERFUND + ["serve", "--port", str(port), "--workers", "2", "--no-worker"]
    # The log goes to a file: a pipe would keep a test waiting on a child that kept it open.
    log = Path(env["READERFUND_DATA_DIR"]) / f"serve-{port}.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            command + ["--no-migrate"],
            env=env | {"READERFUND_APPEAL_EVENTS_FLUSH": str(flush_every)},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=output,
            start_new_session=True,
        )
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()[-3000:]
        try:
            if request(port, "GET", "/healthz") == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    kill_tree(server)  # not left running into the next test
    raise AssertionError(f"the server did not answer within {STARTUP_TIMEOUT} s")


def request(port: int, method: str, path: str, body: bytes | None = None) -> int:
    # A connection per request, so that both web workers take some.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        headers = {"Content-Type": "application/json"} if body else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def send_impressions(port: int, times: int) -> None:
    body = json.dumps({"appeal": APPEAL, "variant": "a", "event": "impression"}).encode()
    for _ in range(times):
        assert request(port, "POST", "/api/appeals/events", body) == 204


def finish(server: subprocess.Popen, tree: list[int]) -> None:
    """Wait for the server to end, then make sure nothing of it is left. Its counts are what
    the tests check, not how it ends: granian can hang on the way out (a web worker now and
    then stays in its Rust runtime after SIGTERM; its main process can deadlock in its signal
    handler when signalled twice at once), after the workers' counts were written."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=30)
    kill_tree(server, tree)


def counted_within(env: dict, expected: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while (found := counted(env)) != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    return found


@pytest.mark.parametrize(
    "stop",
    [
        # What a process manager does (docker stop, systemd's KillMode=mixed): SIGTERM to
        # `readerfund serve`, which passes it on to granian, which passes it on to its workers.
        pytest.param(lambda server: server.send_signal(signal.SIGTERM), id="SIGTERM"),
        # Ctrl-C: SIGINT to the terminal's foreground group, which holds `readerfund serve`
        # only (granian runs in a session of its own); serve sends granian one SIGTERM. Two
        # at once (theirs and ours) used to hang a granian worker now and then, unflushed.
        pytest.param(lambda server: os.killpg(server.pid, signal.SIGINT), id="Ctrl-C"),
    ],
)
def test_events_buffered_in_the_web_workers_are_written_when_the_server_stops(server_env, stop):
    before = counted(server_env)
    server, port = start(server_env, flush_every=3600)  # only the way out can write them
    tree = descendants(server.pid)  # granian runs in a session of its own
    try:
        send_impressions(port, 120)
        stop(server)
        assert counted_within(server_env, before + 120, seconds=60) == before + 120
    finally:
        finish(server, tree)


def test_a_running_server_writes_its_counts_within_the_flush_interval(server_env):
    before = counted(server_env)
    server, port = start(server_env, flush_every=1)
    tree = descendants(server.pid)
    try:
        send_impressions(port, 40)
        # A second, plus a shell's start for each look on a busy machine.
        assert counted_within(server_env, before + 40, seconds=20) == before + 40
    finally:
        server.send_signal(signal.SIGTERM)
        finish(server, tree)
