"""Article pages per second through `readerfund serve`, against nginx serving the same bytes.

Run from the repository root:

    .venv/bin/python bench/pages.py [--duration 15] [--connections 64] [--threads 2]
                                    [--serve-args "--workers 2 --threads 4"] [--json PATH]

A throwaway data dir gets the demo newsroom; `readerfund serve --no-worker` and nginx (the
ceiling: a static file with the same Content-Type) listen on free loopback ports in 8100-8199;
wrk loads each in turn. Everything started here is stopped and removed on exit, Ctrl-C included.
Needs Debian's `nginx-light` and `wrk`.
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ must not shadow the apps (bench/funding.py vs the funding app).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    BenchError,
    free_port,
    machine,
    raise_on_sigterm,
)

HOST = "127.0.0.1"
PORTS = range(8100, 8200)
NGINX = "/usr/sbin/nginx"
READERFUND = [sys.executable, "-m", "readerfund.cli"]
TARGET_RPS = 3000
TARGET_P99_MS = 50.0
ARTICLE_LINK = re.compile(r'href="(/(?:news|economy|opinion|culture)/(?!feed/)[\w-]+/)"')
# The bench must never touch a real database or cache named by the caller's environment, and
# runs the defaults a bare checkout gets (page cache on, file cache in the throwaway data dir).
SCRUBBED_ENV = ("DATABASE_URL", "REDIS_URL", "DEBUG")


@dataclass
class Page:
    status: int
    content_type: str
    body: bytes


@dataclass
class Figures:
    target: str
    url: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="Seconds of load per target.")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
    parser.add_argument(
        "--serve-args", default="", help='Extra `readerfund serve` options, e.g. "--workers 3".'
    )
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    return parser.parse_args(argv)


def require_tools() -> None:
    found = {"nginx": Path(NGINX).exists(), "wrk": shutil.which("wrk") is not None}
    missing = [name for name, ok in found.items() if not ok]
    if missing:
        raise BenchError(f"{' and '.join(missing)} not found: apt-get install nginx-light wrk")


# Processes -------------------------------------------------------------------------------


class Processes:
    """Servers started by the bench, each in its own process group, stopped on exit."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def start(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        log = self.workdir / f"{name}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.started.append((proc, log))
        return proc

    def stop_all(self) -> None:
        for proc, _ in reversed(self.started):
            _stop_group(proc)

    def print_log_tails(self, lines: int = 30) -> None:
        for _, log in self.started:
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            print(f"--- last {len(tail)} lines of {log.name} ---", file=sys.stderr)
            print("\n".join(tail), file=sys.stderr)


def _stop_group(proc: subprocess.Popen, grace: float = 10) -> None:
    # The group holds the server and every process it forked (granian's workers).
    _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while _signal_group(proc, 0) and time.monotonic() < deadline:
        proc.poll()  # reap the leader, or it keeps the group alive as a zombie
        time.sleep(0.1)
    _signal_group(proc, signal.SIGKILL)
    proc.wait()


def _signal_group(proc: subprocess.Popen, sig: int) -> bool:
    """Send sig to the process group that proc leads; False when the group is gone."""
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return False
    return True


def get(port: int, path: str) -> Page:
    """One GET, redirects not followed: a benchmarked URL must answer 200 itself."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return Page(response.status, response.getheader("Content-Type", ""), response.read())
    finally:
        conn.close()


def wait_until_answers(proc: subprocess.Popen, port: int, path: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"server on port {port} exited with status {proc.returncode}")
        with contextlib.suppress(OSError):
            if get(port, path).status == 200:
                return
        time.sleep(0.25)
    raise BenchError(f"http://{HOST}:{port}{path} did not answer 200 within {timeout:.0f} s")


# Readerfund ------------------------------------------------------------------------------


def readerfund_env(data_dir: Path) -> dict:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SCRUBBED_ENV and not name.startswith("READERFUND_")
    }
    return env | {"READERFUND_DATA_DIR": str(data_dir)}


def load_demo(env: dict, workdir: Path) -> None:
    for step in (["migrate", "-v0"], ["demo"]):
        log = workdir / f"{step[0]}.log"
        with log.open("wb") as out:
            done = subprocess.run(READERFUND + step, env=env, stdout=out, stderr=out)
        if done.returncode:
            print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
            raise BenchError(f"`readerfund {' '.join(step)}` failed ({done.returncode})")


def start_readerfund(procs: Processes, env: dict, serve_args: list[str]) -> int:
    port = free_port(HOST, PORTS)
    command = READERFUND + ["serve", "--host", HOST, "--port", str(port), "--no-worker"]
    proc = procs.start("readerfund-serve", command + serve_args, env)
    wait_until_answers(proc, port, "/healthz")
    return port


def pick_article(port: int) -> str:
    listing = get(port, "/news/")
    match = ARTICLE_LINK.search(listing.body.decode())
    if listing.status != 200 or not match:
        raise BenchError(f"no article link on /news/ (status {listing.status})")
    return match.group(1)


def warm(port: int, path: str, times: int = 5) -> Page:
    """A few requests so the page cache holds the article; return the last response."""
    for _ in range(times):
        page = get(port, path)
        if page.status != 200:
            raise BenchError(f"{path} answered {page.status}, not 200")
    return page


# nginx -----------------------------------------------------------------------------------

NGINX_CONF = """\
daemon off;
worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    # A ceiling: keep wrk's connections open as granian does, read the file once.
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    open_file_cache max=16;
    client_body_temp_path {work}/nginx-tmp/body;
    proxy_temp_path {work}/nginx-tmp/proxy;
    fastcgi_temp_path {work}/nginx-tmp/fastcgi;
    uwsgi_temp_path {work}/nginx-tmp/uwsgi;
    scgi_temp_path {work}/nginx-tmp/scgi;
    types {{ }}
    default_type "{content_type}";
    server {{
        listen {host}:{port};
        root {work}/www;
        location / {{ try_files /article.html =404; }}
    }}
}}
"""


def write_nginx_site(workdir: Path, body: bytes, content_type: str, port: int) -> Path:
    www = workdir / "www"
    www.mkdir()
    (workdir / "nginx-tmp").mkdir()
    (www / "article.html").write_bytes(body)
    # nginx workers run as an unprivileged user when started by root: let them reach the file.
    workdir.chmod(0o711)
    www.chmod(0o755)
    (www / "article.html").chmod(0o644)
    conf = workdir / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(work=workdir, content_type=content_type, host=HOST, port=port)
    )
    return conf


def start_nginx(
    procs: Processes, workdir: Path, page: Page, path: str, exclude: tuple[int, ...]
) -> int:
    port = free_port(HOST, PORTS, exclude)
    conf = write_nginx_site(workdir, page.body, page.content_type, port)
    command = [NGINX, "-p", str(workdir), "-c", str(conf), "-e", str(workdir / "nginx-error.log")]
    proc = procs.start("nginx", command)
    wait_until_answers(proc, port, path)
    served = get(port, path)
    if (served.body, served.content_type) != (page.body, page.content_type):
        raise BenchError("nginx does not serve the article's exact bytes and Content-Type")
    return port


# wrk -------------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def run_wrk(target: str, port: int, path: str, args: argparse.Namespace, workdir: Path) -> Figures:
    url = f"http://{HOST}:{port}{path}"
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s"]
    print(f"wrk {target}: {' '.join(command)} --latency {url}", flush=True)
    done = subprocess.run(command + ["--latency", url], capture_output=True, text=True)
    (workdir / f"wrk-{target}.txt").write_text(done.stdout + done.stderr)
    if done.returncode:
        raise BenchError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse_wrk(target, url, done.stdout)


def parse_wrk(target: str, url: str, output: str) -> Figures:
    def found(pattern: str) -> str:
        match = re.search(pattern, output, re.MULTILINE)
        if not match:
            raise BenchError(f"cannot find {pattern!r} in wrk's output:\n{output}")
        return match.group(1)

    # wrk prints these two lines only when there is something to count.
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Figures(
        target=target,
        url=url,
        requests_per_s=float(found(r"^Requests/sec:\s+([\d.]+)")),
        p50_ms=latency_ms(found(r"^\s+50%\s+(\S+)\s*$")),
        p99_ms=latency_ms(found(r"^\s+99%\s+(\S+)\s*$")),
        requests=int(found(r"^\s+(\d+) requests in")),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(map(int, errors.groups())) if errors else 0,
    )


def latency_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise BenchError(f"unknown latency format in wrk's output: {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def check_responses(figures: Figures, output_file: Path) -> None:
    if figures.non_2xx or figures.socket_errors:
        raise BenchError(
            f"{figures.target}: {figures.non_2xx} non-2xx responses and "
            f"{figures.socket_errors} socket errors (see {output_file.name}):\n"
            f"{output_file.read_text()}"
        )


# Report ----------------------------------------------------------------------------------


def summary(
    box: dict, page: dict, readerfund: Figures, nginx: Figures, args: argparse.Namespace
) -> dict:
    return {
        "machine": box,
        "article": page,
        "command": shlex.join([os.path.relpath(sys.executable), *sys.argv]),
        "wrk": {"duration_s": args.duration, "connections": args.connections,
                "threads": args.threads},
        "serve_args": args.serve_args,
        "results": [asdict(readerfund), asdict(nginx)],
        "ratio_requests_per_s": readerfund.requests_per_s / nginx.requests_per_s,
        "targets": {"requests_per_s": TARGET_RPS, "p99_ms": TARGET_P99_MS},
        "targets_met": readerfund.requests_per_s >= TARGET_RPS
        and readerfund.p99_ms < TARGET_P99_MS,
    }  # fmt: skip


def print_report(report: dict) -> None:
    box = report["machine"]
    print(
        f"\nmachine: {box['nproc']} CPUs, {box['cpu']}, Python {box['python']}, {box['date']}, "
        f"CPU busy before the load: {box['cpu_busy_before_percent']:.0f}%"
    )
    wrk, page = report["wrk"], report["article"]
    print(
        f"wrk: {wrk['threads']} threads, {wrk['connections']} connections, "
        f"{wrk['duration_s']} s per target; serve args: {report['serve_args'] or '(defaults)'}"
    )
    print(f"article: {page['path']} ({page['bytes']:,} bytes)\n")
    print(f"{'target':<12} {'requests/s':>12} {'p50 ms':>8} {'p99 ms':>8}")
    for row in report["results"]:
        print(
            f"{row['target']:<12} {row['requests_per_s']:>12,.0f} "
            f"{row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}"
        )
    print(f"\nreaderfund/nginx requests/s: {report['ratio_requests_per_s']:.2f}")
    verdict = "met" if report["targets_met"] else "NOT met"
    print(f"targets (>= {TARGET_RPS:,} pages/s and p99 < {TARGET_P99_MS:.0f} ms): {verdict}")


# Main ------------------------------------------------------------------------------------


def bench(args: argparse.Namespace, workdir: Path, procs: Processes) -> dict:
    env = readerfund_env(workdir / "data")
    print(f"loading the demo newsroom into {workdir / 'data'} ...", flush=True)
    load_demo(env, workdir)
    rf_port = start_readerfund(procs, env, shlex.split(args.serve_args))
    path = pick_article(rf_port)
    response = warm(rf_port, path)
    ng_port = start_nginx(procs, workdir, response, path, exclude=(rf_port,))
    box = machine()
    results = []
    for target, port in (("readerfund", rf_port), ("nginx", ng_port)):
        figures = run_wrk(target, port, path, args, workdir)
        check_responses(figures, workdir / f"wrk-{target}.txt")
        results.append(figures)
    page = {"path": path, "bytes": len(response.body)}
    return summary(box, page, *results, args)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        require_tools()
    except BenchError as exc:
        print(f"bench cannot run: {exc}", file=sys.stderr)
        return 2
    raise_on_sigterm()
    workdir = Path(tempfile.mkdtemp(prefix="readerfund-bench-"))
    procs = Processes(workdir)
    try:
        report = bench(args, workdir, procs)
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        procs.print_log_tails()
        return 1
    except Exception:
        procs.print_log_tails()
        raise
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        procs.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
