"""The `readerfund` command as a newsroom's engineer runs it: real processes, real server."""

import os
import re
import signal
import socket
import subprocess

import pytest

from newsroom.demo_files import CONTENT_DIR
from tests.processes import (
    READERFUND,
    descendants,
    free_port,
    kill_tree,
    stop_tree,
    with_static_files,
)
from tests.processes import http_get as _get
from tests.processes import wait_for_url as _wait_for

# `readerfund` in subprocesses on data dirs of their own (SQLite), without the test settings or
# TEST_DATABASE_URL: the PostgreSQL pass has nothing to add.
pytestmark = pytest.mark.database_independent


def run(args, data_dir, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "TEST_DATABASE_URL")
    }
    environment.update(READERFUND_DATA_DIR=str(data_dir), **env)
    return subprocess.run(
        [READERFUND, *args], env=environment, capture_output=True, text=True, timeout=300
    )


def test_a_bad_setting_stops_the_command_with_a_clear_message(tmp_path):
    result = run(["check"], tmp_path, DEBUG="maybe")
    assert result.returncode == 2
    assert "configuration error: DEBUG='maybe' is not a boolean" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_database_url_is_refused(tmp_path):
    result = run(["check"], tmp_path, DATABASE_URL="nosuchdb://x")
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr


def test_secrets_are_generated_into_the_data_dir_on_first_run(tmp_path):
    assert run(["check"], tmp_path).returncode == 0
    assert (tmp_path / "secret_key").exists()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    data_dir = with_static_files(tmp_path_factory.mktemp("demo"))
    assert run(["migrate", "-v0"], data_dir).returncode == 0
    return data_dir


def test_demo_loads_a_newsroom_and_running_it_twice_changes_nothing(demo_dir):
    """Both editions: the 28 English articles and the Russian ones (a translation each)."""
    russian = len(list((CONTENT_DIR / "ru" / "articles").glob("*.md")))
    total = 28 + russian
    first = run(["demo"], demo_dir)
    assert first.returncode == 0, first.stderr
    assert f"{total} articles ({total} new)" in first.stdout
    assert "user: editor  password: " in first.stdout
    key = re.search(r"oathtool --totp -b ([A-Z2-7]+)", first.stdout).group(1)
    assert (demo_dir / "demo_editor_totp_key").read_text().strip()  # kept, for a second run
    assert len((demo_dir / "demo_editor_recovery_codes").read_text().split()) == 10
    second = run(["demo"], demo_dir)
    assert f"{total} articles (0 new)" in second.stdout
    assert f"oathtool --totp -b {key}" in second.stdout  # the same authenticator
    script = (
        "from wagtail.models import Page; from wagtail.images.models import Image; "
        "print(Page.objects.count(), Image.objects.count())"
    )
    count = run(["shell", "-v", "0", "-c", script], demo_dir)
    # Root, two home pages, 4 sections in each, the articles; a translation shows the
    # original's picture.
    assert count.stdout.split()[-2:] == [str(1 + 2 + 8 + total), "28"]


def test_serve_runs_the_site_static_files_and_a_task_worker(demo_dir):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(READERFUND_DATA_DIR=str(demo_dir))
    env.pop("TEST_DATABASE_URL", None)
    log = open(demo_dir / "serve.log", "w")  # noqa: SIM115 — closed in finally
    server = subprocess.Popen(
        [READERFUND, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status, _, body = _wait_for(f"http://127.0.0.1:{port}/healthz", server)
        assert status == 200 and b'"database": "ok"' in body
        status, headers, html = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and b"The Northern Ledger" in html
        css = html.decode().split('rel="stylesheet" href="')[1].split('"')[0]
        status, headers, _ = _get(f"http://127.0.0.1:{port}{css}")
        assert status == 200 and "immutable" in headers["Cache-Control"]
        worker = subprocess.run(["pgrep", "-f", "readerfund.cli worker", "-P", str(server.pid)],
                                capture_output=True, text=True)  # fmt: skip
        assert worker.stdout.strip(), "no task worker runs beside the server"
    finally:
        stop_tree(server)
        log.close()
    assert server.returncode == 0, (demo_dir / "serve.log").read_text()[-2000:]


def test_serve_with_the_stripe_emulator_takes_demo_payments_through_it(demo_dir):
    port, emulator_port = free_port(), free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("STRIPE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("TEST_DATABASE_URL", None)
    env.update(READERFUND_DATA_DIR=str(demo_dir), READERFUND_SITE_URL=f"http://127.0.0.1:{port}")
    log = open(demo_dir / "serve-emulator.log", "w")  # noqa: SIM115 — closed in finally
    server = subprocess.Popen(
        [READERFUND, "serve", "--port", str(port), "--workers", "1", "--no-worker",
         "--stripe-emulator", str(emulator_port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", server)
        query = "frequency=monthly&amount=10&currency=USD"
        _, headers, html = _get(f"http://127.0.0.1:{port}/support/checkout/?{query}")
        emulator = f"http://127.0.0.1:{emulator_port}"
        assert f'src="{emulator}/js.stripe.com/v3/"'.encode() in html
        assert emulator in headers["Content-Security-Policy"]
        assert _get(f"{emulator}/js.stripe.com/v3/")[0] == 200
    finally:
        stop_tree(server)
        log.close()


def test_ctrl_c_stops_every_process_serve_started_and_frees_the_port(demo_dir):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(READERFUND_DATA_DIR=str(demo_dir))
    env.pop("TEST_DATABASE_URL", None)
    log = open(demo_dir / "serve-ctrl-c.log", "w")  # noqa: SIM115 — closed in finally
    server = subprocess.Popen(
        [READERFUND, "serve", "--port", str(port), "--workers", "2", "--no-migrate"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    tree = []
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", server)
        tree = descendants(server.pid)  # granian and the worker, each in a session of its own
        second = run(["serve", "--port", str(port), "--no-migrate"], demo_dir)
        assert second.returncode != 0
        assert f"127.0.0.1:{port} is already in use" in second.stderr
        os.killpg(server.pid, signal.SIGINT)  # what a terminal sends to its foreground group
        server.wait(timeout=30)
        left = subprocess.run(["pgrep", "-f", f"--port {port}"], capture_output=True, text=True)
        assert left.stdout.strip() == "", f"still running: {left.stdout}"
    finally:
        kill_tree(server, tree)  # a failed test leaves nothing running either
        log.close()
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))  # nothing listens any more
