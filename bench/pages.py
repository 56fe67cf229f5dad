"""Reader pages through `readerfund serve`, beside nginx serving the same bytes, in scenarios:

    warm      one popular article, kept by the page cache
    cold      the same article with the page cache off: every request rendered
    flood     50 connections asking the article with random `?utm_source=…&fbclid=…`, while a
              warm page (the home page) is asked by as many connections at the same time
    longtail  --articles more articles (10,000 by default), requested in random order, each
              once: the page cache cannot help, the render slots keep the server answering
    publish   the warm article under load while an editor publishes an article of its
              section every 5 s (each publish forgets the article's page)

Run from the repository root:

    .venv/bin/python bench/pages.py [--scenarios warm,cold,flood,longtail,publish]
        [--duration 15] [--connections 50] [--threads 2] [--articles 10000]
        [--serve-args "--workers 2 --threads 8"] [--json PATH]

A throwaway data dir gets the demo newsroom; `readerfund serve --no-worker` (twice: page cache
on and off) and nginx (the ceiling: a static file with the same Content-Type) listen on free
loopback ports in 8100-8199; wrk loads them. Everything started here is stopped and removed on
exit, Ctrl-C included. Needs Debian's `nginx-light` and `wrk`. The `cpu ms` column is the
server's CPU time per request (all its processes, read from /proc): on a shared machine it
moves much less than requests/s do.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
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
    tree_cpu_seconds,
)

HOST = "127.0.0.1"
PORTS = range(8100, 8200)
NGINX = "/usr/sbin/nginx"
READERFUND = [sys.executable, "-m", "readerfund.cli"]
SCENARIOS = ("warm", "cold", "flood", "longtail", "publish")
# The targets, per scenario: (requests/s at least, p99 ms under).
TARGETS = {
    "warm": (3000, 50.0),
    "cold": (250, None),
    "flood": (10_000, 50.0),
    "flood-warm-page": (10_000, 50.0),
    "longtail": (250, 200.0),
    "publish": (None, 50.0),
}
NEWSROOM_LOAD = [sys.executable, str(Path(__file__).resolve().parent / "newsroom_load.py")]
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
    # The server's CPU (every process of it) per request: a figure that other work on the
    # machine moves much less than requests/s. None where two loads shared one server.
    server_cpu_ms: float | None = None


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="Seconds of load per target.")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help=f"Comma-separated: {SCENARIOS}."
    )
    parser.add_argument(
        "--articles", type=int, default=10_000, help="Articles added for the long tail."
    )
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
    # `renditions` makes the images' renditions, as the worker does after each image is saved
    # (the servers here run without one); the long tail's articles reuse the demo's images.
    for step in (["migrate", "-v0"], ["demo"], ["renditions"]):
        log = workdir / f"{step[0]}.log"
        with log.open("wb") as out:
            done = subprocess.run(READERFUND + step, env=env, stdout=out, stderr=out)
        if done.returncode:
            print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
            raise BenchError(f"`readerfund {' '.join(step)}` failed ({done.returncode})")


def add_articles(env: dict, workdir: Path, count: int) -> list[str]:
    """`count` more articles (bench/newsroom_load.py); their paths, in the order made."""
    print(f"adding {count:,} articles ...", flush=True)
    listed, log = workdir / "articles.txt", workdir / "articles.log"
    with log.open("wb") as out:
        done = subprocess.run(
            NEWSROOM_LOAD + ["articles", str(count), str(listed)],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    if done.returncode:
        raise BenchError(f"adding articles failed: {log.read_text()[-2000:]}")
    return listed.read_text().split()


def demo_in_process(data_dir: Path, articles: int = 0) -> None:
    """The demo newsroom in a throwaway data dir (and `articles` more articles), then Django
    set up on it in this process, its static files collected (bench/render.py,
    bench/export.py)."""
    load_demo(readerfund_env(data_dir), data_dir)
    if articles:
        add_articles(readerfund_env(data_dir), data_dir, articles)
    for name in list(os.environ):
        if name in SCRUBBED_ENV or name.startswith("READERFUND_"):
            del os.environ[name]
    os.environ |= {
        "READERFUND_DATA_DIR": str(data_dir),
        "READERFUND_PAGE_CACHE": "0",
        "DJANGO_SETTINGS_MODULE": "readerfund.settings",
    }
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)


def start_readerfund(procs: Processes, env: dict, serve_args: list[str]) -> int:
    """Start `readerfund serve`; its port (procs.started[-1] is its process)."""
    port = free_port(HOST, PORTS)
    command = READERFUND + ["serve", "--host", HOST, "--port", str(port), "--no-worker"]
    proc = procs.start("readerfund-serve", command + serve_args, env)
    wait_until_answers(proc, port, "/healthz")
    return port


def pick_articles(port: int) -> list[str]:
    """The demo's articles on /news/, newest first (not the long tail's)."""
    listing = get(port, "/news/")
    links = [
        link for link in ARTICLE_LINK.findall(listing.body.decode()) if "long-tail" not in link
    ]
    if listing.status != 200 or len(links) < 2:
        raise BenchError(f"fewer than two demo articles on /news/ (status {listing.status})")
    return list(dict.fromkeys(links))


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


BARE_APP = """
BODY = open({body!r}, "rb").read()
HEADERS = [("Content-Type", {content_type!r}), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
"""


def start_bare_granian(
    procs: Processes, workdir: Path, page: Page, path: str, rf_port: int, *exclude: int
) -> int:
    """granian with the very arguments `readerfund serve` on `rf_port` gave it (read from
    /proc), serving `page`'s bytes from a WSGI app of three lines instead of Readerfund."""
    port = free_port(HOST, PORTS, (rf_port, *exclude))
    (workdir / "bare.html").write_bytes(page.body)
    (workdir / "bare_wsgi.py").write_text(
        BARE_APP.format(body=str(workdir / "bare.html"), content_type=page.content_type)
    )
    command = [
        {str(rf_port): str(port), READERFUND_APP: "bare_wsgi:application"}.get(arg, arg)
        for arg in granian_command(rf_port)
    ]
    proc = procs.start("granian-bare", command[:-1] + ["--working-dir", str(workdir), command[-1]])
    wait_until_answers(proc, port, path)
    if get(port, path).body != page.body:
        raise BenchError("the bare granian app does not serve the article's bytes")
    return port


READERFUND_APP = "readerfund.wsgi:application"


def granian_command(port: int) -> list[str]:
    """The command line of the granian that `readerfund serve` started on `port`."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            args = [arg.decode() for arg in cmdline.read_bytes().split(b"\0") if arg]
            ours = READERFUND_APP in args and "granian" in args and "--port" in args
            if ours and args[args.index("--port") + 1] == str(port):
                return args
    raise BenchError(f"no granian of readerfund serve found on port {port}")


# wrk -------------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk_command(port: int, path: str, args, *, connections=None, duration=None, script=None):
    url = f"http://{HOST}:{port}{path}"
    command = ["wrk", f"-t{args.threads}", f"-c{connections or args.connections}"]
    command += [f"-d{duration or args.duration}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    return command + [url], url


def run_wrk(target: str, port: int, path: str, args, workdir: Path, **options) -> Figures:
    return finish_wrk(start_wrk(target, port, path, args, workdir, **options))


def start_wrk(target: str, port: int, path: str, args, workdir: Path, server=None, **options):
    """Start wrk; with `server` (the server's process), count its CPU over the run."""
    command, url = wrk_command(port, path, args, **options)
    print(f"wrk {target}: {' '.join(command)}", flush=True)
    cpu = (server.pid, tree_cpu_seconds(server.pid)) if server is not None else None
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return target, url, proc, workdir / f"wrk-{target}.txt", cpu


def finish_wrk(started) -> Figures:
    target, url, proc, output_file, cpu = started
    out, err = proc.communicate()
    output_file.write_text(out + err)
    if proc.returncode:
        raise BenchError(f"wrk failed ({proc.returncode}): {err.strip()}")
    figures = parse_wrk(target, url, out)
    if cpu is not None and figures.requests:
        pid, before = cpu
        figures.server_cpu_ms = (tree_cpu_seconds(pid) - before) * 1000 / figures.requests
    return figures


# Lua for wrk: a fresh random query string per request, or a list of paths walked from a
# different offset in each wrk thread (each path asked once while the list lasts).
FLOOD_LUA = """\
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "{path}?utm_source=" .. math.random(1, 1000000000) ..
    "&fbclid=" .. n .. "x" .. math.random(1, 1000000000))
end
"""
LIST_LUA = """\
local threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
function init(args)
  paths = {{}}
  for line in io.lines("{list}") do paths[#paths + 1] = line end
  i = {start} + id * {offset}
end
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""


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


# Report ----------------------------------------------------------------------------------


def verdict(scenario: str, figures: Figures) -> str:
    """Met or missed; the rate that counts is of pages served (2xx): a 503 is answered
    quickly, and a closed-loop client that gets one asks again at once."""
    rps, p99 = TARGETS.get(scenario, (None, None))
    missed = []
    served = figures.requests_per_s * (1 - figures.non_2xx / max(figures.requests, 1))
    if rps is not None and served < rps:
        missed.append(f"< {rps:,} pages/s served" if figures.non_2xx else f"< {rps:,} req/s")
    if p99 is not None and figures.p99_ms >= p99:
        missed.append(f"p99 >= {p99:.0f} ms")
    if rps is None and p99 is None:
        return ""
    return "met" if not missed else "MISSED: " + ", ".join(missed)


def row(scenario: str, figures: Figures, nginx: Figures | None, note: str = "") -> dict:
    ratio = figures.requests_per_s / nginx.requests_per_s if nginx else None
    return {"scenario": scenario, **asdict(figures), "ratio_to_nginx": ratio,
            "target": verdict(scenario, figures), "note": note}  # fmt: skip


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
    head = f"{'scenario':<16} {'target':<11} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
    print(f"{head} {'non-2xx':>8} {'/nginx':>7} {'cpu ms':>7}  verdict")
    for r in report["results"]:
        ratio = f"{r['ratio_to_nginx']:.2f}" if r["ratio_to_nginx"] else ""
        cpu = f"{r['server_cpu_ms']:.2f}" if r["server_cpu_ms"] is not None else ""
        print(
            f"{r['scenario']:<16} {r['target_name']:<11} {r['requests_per_s']:>9,.0f} "
            f"{r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['non_2xx']:>8} {ratio:>7} {cpu:>7}  "
            f"{r['target']} {r['note']}"
        )


# Scenarios -------------------------------------------------------------------------------


class Bench:
    def __init__(self, args, workdir: Path, procs: Processes):
        self.args, self.workdir, self.procs = args, workdir, procs
        self.env = readerfund_env(workdir / "data")
        self.results: list[dict] = []
        self.nginx: Figures | None = None

    def add(self, scenario: str, figures: Figures, note: str = "", reference=True) -> None:
        result = row(scenario, figures, self.nginx if reference else None, note)
        result["target_name"] = figures.target
        self.results.append(result)

    def setup(self, scenarios: list[str]) -> None:
        print(f"loading the demo newsroom into {self.workdir / 'data'} ...", flush=True)
        load_demo(self.env, self.workdir)
        serve_args = shlex.split(self.args.serve_args)
        self.rf_port = start_readerfund(self.procs, self.env, serve_args)
        self.rf = self.procs.started[-1][0]
        self.path, self.other_path = pick_articles(self.rf_port)[:2]
        if "longtail" in scenarios:
            self.long_tail_list = self.add_articles(self.args.articles)
        self.page = warm(self.rf_port, self.path)
        self.ng_port = start_nginx(
            self.procs, self.workdir, self.page, self.path, exclude=(self.rf_port,)
        )
        self.ng = self.procs.started[-1][0]
        self.nginx = run_wrk("nginx", self.ng_port, self.path, self.args, self.workdir,
                             server=self.ng)  # fmt: skip
        self.add("warm", self.nginx, "the ceiling", reference=False)

    def add_articles(self, count: int) -> Path:
        paths = add_articles(self.env, self.workdir, count)
        random.Random(7).shuffle(paths)
        shuffled = self.workdir / "long-tail-shuffled.txt"
        shuffled.write_text("\n".join(paths) + "\n")
        return shuffled

    def warm(self) -> None:
        figures = run_wrk("readerfund", self.rf_port, self.path, self.args, self.workdir,
                          server=self.rf)  # fmt: skip
        self.add("warm", figures)
        # The server's own floor: granian as serve runs it, with an app that only returns the
        # same bytes. What readerfund costs above it is ours (the page cache, the metrics).
        port = start_bare_granian(self.procs, self.workdir, self.page, self.path,
                                  self.rf_port, self.ng_port)  # fmt: skip
        bare = self.procs.started[-1][0]
        figures = run_wrk("granian-bare", port, self.path, self.args, self.workdir, server=bare)
        self.add("warm", figures, "granian's floor: an app returning the same bytes")
        _stop_group(self.procs.started.pop()[0])

    def cold(self) -> None:
        env = self.env | {"READERFUND_PAGE_CACHE": "0"}
        port = start_readerfund(
            self.procs, env, ["--no-migrate", *shlex.split(self.args.serve_args)]
        )
        server = self.procs.started[-1][0]
        figures = run_wrk("rf-no-cache", port, self.path, self.args, self.workdir, server=server)
        self.add("cold", figures, "every request rendered")
        _stop_group(self.procs.started.pop()[0])

    def flood(self) -> None:
        # The warm page is warm when the flood starts, as the article is: otherwise its first
        # render in each process (170 ms of CPU after the long tail's publishes) is measured
        # inside the flood, holding the interpreter from both sides.
        warm(self.rf_port, "/")
        script = self.workdir / "flood.lua"
        script.write_text(FLOOD_LUA.format(path=self.path))
        flooded = start_wrk("rf-flooded", self.rf_port, self.path, self.args, self.workdir,
                            script=script)  # fmt: skip
        # Readers of a warm page, as many as the flood's connections: each side should get
        # its share (a flood must not starve them), and the target is for both.
        home = start_wrk("rf-home", self.rf_port, "/", self.args, self.workdir)
        self.add("flood", finish_wrk(flooded), "random ?utm_source&fbclid")
        self.add("flood-warm-page", finish_wrk(home),
                 f"/ at the same time, {self.args.connections} connections")  # fmt: skip
        nginx = run_wrk("nginx-flood", self.ng_port, self.path, self.args, self.workdir,
                        script=script, server=self.ng)  # fmt: skip
        self.add("flood", nginx, "the same flood at nginx", reference=False)

    def longtail(self) -> None:
        paths = self.long_tail_list.read_text().split()
        script, first = self.workdir / "longtail.lua", self.workdir / "longtail-first.lua"
        offset = len(paths) // self.args.threads
        script.write_text(LIST_LUA.format(list=self.long_tail_list, start=0, offset=offset))
        # The 10,000 publishes that made the long tail left each process to build again what
        # it keeps per generation (Read more's lists of each edition and section, the menu):
        # its first renders cost 25-250 ms, not 6-10. Those first seconds are a row of their
        # own, on other articles than the measured runs reach, so the target's row is the
        # steady state of a crawl.
        first.write_text(LIST_LUA.format(list=self.long_tail_list, start=offset // 2,
                                         offset=offset))  # fmt: skip
        figures = run_wrk("rf-tail-first", self.rf_port, paths[0], self.args, self.workdir,
                          script=first, connections=8, duration=3, server=self.rf)  # fmt: skip
        self.add("longtail-first", figures, "the first 3 s after the articles were added")
        for connections in (8, self.args.connections):
            figures = run_wrk(f"rf-tail-c{connections}", self.rf_port, paths[0], self.args,
                              self.workdir, script=script, connections=connections,
                              server=self.rf)  # fmt: skip
            note = f"{figures.non_2xx} answered 503 (render slots full)" if figures.non_2xx else ""
            self.add("longtail", figures, note)

    def publish(self) -> None:
        section_article = self.other_path  # in the warm article's section: it lists both
        log = self.workdir / "publisher.log"
        with log.open("wb") as out:
            publisher = subprocess.Popen(
                NEWSROOM_LOAD + ["publish", "5", section_article],
                env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        try:
            figures = run_wrk("rf-publishing", self.rf_port, self.path, self.args, self.workdir,
                              duration=max(self.args.duration, 30), server=self.rf)  # fmt: skip
        finally:
            _stop_group(publisher)
        count = log.read_text().count("published ")
        if not count:
            raise BenchError(f"the publisher published nothing: {log.read_text()[-2000:]}")
        self.add("publish", figures, f"{count} publishes of {section_article}")


def bench(args: argparse.Namespace, workdir: Path, procs: Processes) -> dict:
    scenarios = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        raise BenchError(f"unknown scenarios: {', '.join(sorted(unknown))}")
    run = Bench(args, workdir, procs)
    run.setup(scenarios)
    box = machine()
    for name in scenarios:
        getattr(run, name)()
    return {
        "machine": box,
        "article": {"path": run.path, "bytes": len(run.page.body)},
        "command": shlex.join([os.path.relpath(sys.executable), *sys.argv]),
        "wrk": {"duration_s": args.duration, "connections": args.connections,
                "threads": args.threads},
        "serve_args": args.serve_args,
        "results": run.results,
    }  # fmt: skip


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
