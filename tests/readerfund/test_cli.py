"""The `readerfund` command as a newsroom's engineer runs it: real processes, real server."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

READERFUND = str(Path(sys.executable).parent / "readerfund")


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
    data_dir = tmp_path_factory.mktemp("demo")
    assert run(["migrate", "-v0"], data_dir).returncode == 0
    return data_dir


def test_demo_loads_a_newsroom_and_running_it_twice_changes_nothing(demo_dir):
    first = run(["demo"], demo_dir)
    assert first.returncode == 0, first.stderr
    assert "28 articles (28 new)" in first.stdout
    assert "user: editor  password: " in first.stdout
    second = run(["demo"], demo_dir)
    assert "28 articles (0 new)" in second.stdout
    script = (
        "from wagtail.models import Page; from wagtail.images.models import Image; "
        "print(Page.objects.count(), Image.objects.count())"
    )
    count = run(["shell", "-v", "0", "-c", script], demo_dir)
    assert count.stdout.split()[-2:] == ["34", "28"]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 — loopback only
        return response.status, response.headers, response.read()


def _wait_for(url, process, deadline=60):
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            return _get(url)
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {deadline}s")


def test_serve_runs_the_site_static_files_and_a_task_worker(demo_dir):
    port = _free_port()
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
        worker = subprocess.run(["pgrep", "-f", "readerfund.cli worker", "-s", str(server.pid)],
                                capture_output=True, text=True)  # fmt: skip
        assert worker.stdout.strip(), "no task worker runs beside the server"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    assert server.returncode == 0, (demo_dir / "serve.log").read_text()[-2000:]


def test_serve_with_the_stripe_emulator_takes_demo_payments_through_it(demo_dir):
    port, emulator_port = _free_port(), _free_port()
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
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
