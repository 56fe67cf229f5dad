"""Processes a test starts, and stopping every one of them.

`readerfund serve` starts granian and the task worker each in a session of its own, so
killing serve's process group leaves them running; a child left running with the test's pipe
open makes `communicate()` wait for ever (a CI run once hung so). `stop_tree` finds the whole
tree through /proc before signalling it, and makes sure none of it is left.
"""

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# The console script of this checkout's environment.
READERFUND = str(Path(sys.executable).parent / "readerfund")


# Collected once per session (`readerfund serve` collects static files only when their sources
# changed: readerfund/lib/staticfiles.py), then copied into each server's data dir, so that
# no server start spends 10-15 s hashing and compressing the same 1,300 files again.
_COLLECTED: list[Path] = []
COLLECT = "from readerfund.lib.staticfiles import collect; collect()"


def with_static_files(data_dir: Path) -> Path:
    """Put into `data_dir` static files collected as `readerfund serve` collects them (with
    the default settings), and the record of their sources that lets serve skip collecting."""
    if not _COLLECTED:
        built = Path(tempfile.mkdtemp(prefix="readerfund-static-"))
        env = {
            name: value
            for name, value in os.environ.items()
            if name not in ("DJANGO_SETTINGS_MODULE", "TEST_DATABASE_URL", "DATABASE_URL")
            and not name.startswith("READERFUND_")
        }
        done = subprocess.run(
            [READERFUND, "shell", "-c", COLLECT],
            env=env | {"READERFUND_DATA_DIR": str(built)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        atexit.register(shutil.rmtree, built, ignore_errors=True)
        _COLLECTED.append(built)
    built = _COLLECTED[0]
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(built / "static", data_dir / "static", dirs_exist_ok=True)
    shutil.copy2(built / "static.sources", data_dir / "static.sources")
    return data_dir


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, whatever session or group it moved to."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The command name, in parentheses, may hold spaces: read after its last ')'.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def stop_tree(process: subprocess.Popen, signum: int = signal.SIGTERM, grace: float = 30) -> None:
    """Send `signum` to `process`'s group, wait up to `grace` seconds for it to end, then
    SIGKILL whatever is left of the process and everything it started."""
    tree = descendants(process.pid)
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    kill_tree(process, tree)


def kill_tree(process: subprocess.Popen, known: list[int] = ()) -> None:
    """SIGKILL the process, everything below it now, and the `known` pids found before."""
    tree = set(known) | set(descendants(process.pid))
    for pid in [process.pid, *tree]:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)  # a group it leads, if it leads one
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in tree) and time.monotonic() < deadline:
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


# How long a server started by a test may take to answer: a few seconds on a quiet machine,
# over 60 s on a loaded one (CI beside other runs). A server that dies fails at once.
STARTUP_TIMEOUT = 180


def http_get(url):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 — loopback only
        return response.status, response.headers, response.read()


def wait_for_url(url, process, deadline=STARTUP_TIMEOUT):
    """GET `url` until it answers (its status, headers, body); fails when `process` exits
    first or nothing answers within `deadline` seconds."""
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            return http_get(url)
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {deadline}s")
