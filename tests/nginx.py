"""A private nginx serving a directory under a path prefix, for the static copy's tests.

Everything nginx writes (pid, logs, temp files) stays in a throwaway directory; the process
runs in the foreground in a session of its own and is stopped with its whole tree."""

import contextlib
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.processes import free_port, stop_tree

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")


def nginx_config(run: Path, servers: str, workers: int = 1) -> str:
    """A whole nginx.conf that keeps everything it writes in `run`, around `servers` (the
    http block's upstreams and servers), with `workers` worker processes."""
    return f"""
daemon off;
# Workers read the test's own files (nginx ignores this when not started as root).
user root;
worker_processes {workers};
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include {MIME_TYPES};
    types {{ application/atom+xml xml; }}
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
{servers}
}}
"""


SERVE_DIRECTORY = """
    server {{
        listen 127.0.0.1:{port};
        location {prefix} {{ alias {root}/; }}
        location / {{ return 404; }}
    }}
"""


def nginx_available() -> bool:
    return Path(NGINX).exists() and MIME_TYPES.exists()


@contextlib.contextmanager
def serve_directory(root: Path, prefix: str = "/copy/"):
    """nginx serving `root` at http://127.0.0.1:<port><prefix>; yields that base URL."""
    run = Path(tempfile.mkdtemp(prefix="readerfund-nginx-"))
    port = free_port()
    config = run / "nginx.conf"
    config.write_text(
        nginx_config(run, SERVE_DIRECTORY.format(port=port, prefix=prefix, root=root))
    )
    with (run / "stderr.log").open("wb") as log:
        process = subprocess.Popen(
            [NGINX, "-c", str(config), "-p", str(run)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}{prefix}"
    try:
        _wait_for(base, process, run)
        yield base
    finally:
        stop_tree(process, grace=10)
        shutil.rmtree(run, ignore_errors=True)


def _wait_for(base: str, process: subprocess.Popen, run: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (run / "stderr.log").read_text(errors="replace")
            pytest.fail(f"nginx exited with {process.returncode}:\n{log}", pytrace=False)
        try:
            with urllib.request.urlopen(base + "index.html", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail("nginx did not answer within 20 s", pytrace=False)
