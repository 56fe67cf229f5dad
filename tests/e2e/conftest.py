"""The real stack for browser stories: `readerfund serve` (granian) on the demo newsroom, in a
throwaway data dir, driven by Debian's Chromium through Playwright.

These tests talk to the server over HTTP only; they never touch the Django test database.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django_otp.oath import totp
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from tests.processes import STARTUP_TIMEOUT, free_port, stop_tree, with_static_files

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
]
READERFUND = Path(sys.executable).parent / "readerfund"
# Screenshots the browser stories take, kept for people to look at (the data dir is ignored).
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "e2e"
# Variables of the test settings (or of the shell) that must not reach the server: it runs on
# its own SQLite database and file cache, in its own data dir, with default settings.
DROPPED_ENV = ("DJANGO_SETTINGS_MODULE", "TEST_DATABASE_URL", "DATABASE_URL", "REDIS_URL", "DEBUG")


def _server_env(data_dir: Path, base_url: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in DROPPED_ENV and not name.startswith("READERFUND_")
    }
    env.update(
        READERFUND_DATA_DIR=str(data_dir),
        READERFUND_SITE_URL=base_url,
        READERFUND_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def _readerfund(*args: str, env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(READERFUND), *args], env=env, capture_output=True, text=True, timeout=300
    )
    if done.returncode:
        pytest.fail(
            f"`readerfund {' '.join(args)}` exited with {done.returncode}:\n"
            f"{done.stdout}\n{done.stderr}",
            pytrace=False,
        )


def _log_tail(log_path: Path, lines: int = 40) -> str:
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    return "\n".join(text.splitlines()[-lines:]) or "(the server wrote nothing)"


def _wait_until_healthy(base_url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"`readerfund serve` exited with {process.returncode} before answering "
                f"/healthz. Its log ends with:\n{_log_tail(log_path)}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                # Ours, not another server that took the port first (granian binds with
                # SO_REUSEPORT; `serve` refuses a busy port before it says this line).
                if response.status == 200 and _serving(log_path, base_url):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"`readerfund serve` did not answer {base_url}/healthz within {STARTUP_TIMEOUT} s. "
        f"Its log ends with:\n{_log_tail(log_path)}",
        pytrace=False,
    )


def _serving(log_path: Path, base_url: str) -> bool:
    port = base_url.rsplit(":", 1)[1]
    said = log_path.read_text(errors="replace") if log_path.exists() else ""
    return f"Readerfund is serving at http://127.0.0.1:{port}/" in said


def _stop(process: subprocess.Popen) -> None:
    # serve starts granian (and its workers) in sessions of their own: stop the whole tree.
    stop_tree(process, grace=15)


DATA_DIRS: dict[str, Path] = {}  # base URL → the data dir of the demo server behind it


def admin_sign_in(page, base_url: str) -> None:
    """Sign in as the demo's editor, as staff do: the password, then the 6-digit code of
    the authenticator app (computed here from the key the demo keeps in its data dir)."""
    data_dir = DATA_DIRS[base_url]
    password = (data_dir / "demo_editor_password").read_text().strip()
    key = bytes.fromhex((data_dir / "demo_editor_totp_key").read_text().strip())
    page.goto("/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    _signed_in_step(page, base_url, lambda url: "/admin/2fa/verify/" in url, "the password")
    _wait_for_an_unused_step(base_url)
    page.fill("input[name=code]", f"{totp(key):06d}")
    page.click("button[type=submit]")
    _signed_in_step(
        page,
        base_url,
        lambda url: "/admin/2fa/" not in url and "/admin/login/" not in url,
        "the authenticator code",
    )


def _signed_in_step(page, base_url: str, arrived, what: str) -> None:
    """Wait for the page after a sign-in step; if it does not come, fail with what the page
    said and the end of the server's log (its data dir is removed after the test)."""
    try:
        page.wait_for_url(arrived)
    except PlaywrightError:
        said = " ".join(page.locator("main").all_inner_texts())[:800] or "(no <main>)"
        pytest.fail(
            f"The admin did not accept {what}: still at {page.url}, saying:\n{said}\n"
            f"The server's log ends with:\n"
            f"{_log_tail(DATA_DIRS[base_url] / 'serve.log')}",
            pytrace=False,
        )


_LAST_STEP: dict[str, int] = {}  # base URL → the 30-second TOTP step last signed in with


def _wait_for_an_unused_step(base_url: str) -> None:
    """django-otp accepts each 30-second step's code once: a second sign-in within the step
    of the first would be refused as a replay, so it waits for the next step."""
    step = int(time.time()) // 30
    if _LAST_STEP.get(base_url) == step:
        time.sleep((step + 1) * 30 - time.time() + 0.5)
    _LAST_STEP[base_url] = int(time.time()) // 30


# What `readerfund demo` builds depends on some of the server's settings (the default
# edition's language, the base currency of the funding figures, ...), not on these, which only
# tell the server where its payment providers, mail server and mirrors are and how long to wait
# for them. Servers whose extra settings differ only in these share one built demo; any other
# variable in `extra_env` gets a demo of its own (slower, never wrong).
NOT_IN_THE_DEMO = ("STRIPE_", "BTCPAY_", "READERFUND_BANK_", "READERFUND_SMTP_URL",
                   "READERFUND_PROVIDER_TIMEOUT", "READERFUND_MIRRORS")  # fmt: skip
# Left out of each server's copy of a built demo: the caches (pages rendered for another
# address), the counters and log of a server, and the secret key (signed cookies and tokens),
# which `readerfund` makes anew in the copy, so that each server has its own as before (the
# browser sends a 127.0.0.1 cookie to every port). The demo stores nothing signed with it.
NOT_COPIED = {"cache", "pages", "metrics", "serve.log", "secret_key"}  # at the data dir's top
_DEMOS: dict[frozenset, Path] = {}  # the demo-relevant extra settings → a built demo's data dir


def _built_demo(extra_env: dict) -> Path:
    """The data dir of a demo newsroom built (migrate, demo) with these extra settings, once
    per session for each set of the settings that can change what it builds."""
    key = frozenset(
        (name, value) for name, value in extra_env.items() if not name.startswith(NOT_IN_THE_DEMO)
    )
    if key not in _DEMOS:
        built = Path(tempfile.mkdtemp(prefix="readerfund-e2e-demo-"))
        # An address no server has: each copy is moved to its own (demo_server).
        env = {**_server_env(built, "http://127.0.0.1:9"), **dict(key)}
        _readerfund("migrate", "-v0", env=env)
        _readerfund("demo", env=env)
        with_static_files(built)  # copied with the rest: no server start collects them again
        _DEMOS[key] = built
    return _DEMOS[key]


@pytest.fixture(scope="session", autouse=True)
def _remove_built_demos():
    yield
    for built in _DEMOS.values():
        shutil.rmtree(built, ignore_errors=True)
    _DEMOS.clear()


@contextlib.contextmanager
def demo_server(
    extra_env: dict | None = None, *setup: tuple[str, ...], name="127.0.0.1", data_dir=None
):
    """`readerfund serve` on a fresh demo newsroom in a throwaway data dir (or `data_dir`);
    yields its base URL. `extra_env` is added to the server's environment, each `setup`
    command is run with `readerfund` after the demo is loaded. `name` is the host name of the
    site's address (it always listens on 127.0.0.1): "localhost" for passkeys, which refuse
    an IP.

    The demo is built once per session (`_built_demo`) and copied into the server's data dir;
    `readerfund demo`, run again there with the server's own settings, changes nothing but
    what depends on them: the site's address (canonical and feed links, the admin's), which
    it sets from READERFUND_SITE_URL."""
    extra_env = extra_env or {}
    data_dir = Path(data_dir or tempfile.mkdtemp(prefix="readerfund-e2e-"))
    base_url = f"http://{name}:{free_port()}"
    DATA_DIRS[base_url] = data_dir
    env = {**_server_env(data_dir, base_url), **extra_env}
    built = _built_demo(extra_env)
    shutil.copytree(
        built,
        data_dir,
        ignore=lambda folder, names: NOT_COPIED & set(names) if Path(folder) == built else (),
        dirs_exist_ok=True,
    )
    _readerfund("demo", env=env)
    for command in setup:
        _readerfund(*command, env=env)
    log_path = data_dir / "serve.log"
    host, port = "127.0.0.1", base_url.rsplit(":", 1)[1]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(READERFUND), "serve", "--host", host, "--port", port, "--no-worker"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_healthy(base_url, process, log_path)
        yield base_url
    finally:
        _stop(process)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    """Base URL of `readerfund serve` on the demo newsroom ("The Northern Ledger")."""
    with demo_server() as base_url:
        yield base_url


# Package scope, not session: while Playwright's sync API is started, the main thread has a
# running event loop, and Django refuses ORM calls there (SynchronousOnlyOperation). The
# browser must be gone before any test outside tests/e2e that touches the database runs,
# whatever order pytest picks.
@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run `apt-get install chromium` "
            "(`make test` installs it).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, server):
    """Make fresh browser contexts (a reader with no history) on the server; all closed after."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=server, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def demo_editor_password(server) -> str:
    return (DATA_DIRS[server] / "demo_editor_password").read_text().strip()


@pytest.fixture
def sign_in_to_admin(server):
    """`sign_in_to_admin(page)`: the demo's editor signs in, second factor included."""
    return lambda page: admin_sign_in(page, server)


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()
