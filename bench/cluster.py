"""Pages and checkouts per second: two web nodes behind nginx against one, in the same run.

One nginx has two fronts, one node behind the first and two behind the second; each load runs
against both (docs/SCALING.md, issue 18).

Run from the repository root:

    .venv/bin/python bench/cluster.py [--duration 10] [--rounds 2] [--connections 32]
                                      [--threads 2] [--donors 8] [--nginx-workers 2]
                                      [--json PATH]

A throwaway PostgreSQL database (127.0.0.1:5432, user root) gets the demo newsroom; a private
redis-server holds the shared cache and page store; localstripe plays Stripe. The drill's
starters (tests/cluster/nodes.py) start `readerfund serve --no-worker --workers 1` on
127.0.0.2 and 127.0.0.3 (one data dir for both: the same keys and images) and one nginx with
two fronts: `one` (node A only) and `two` (A and B, round robin). Then, each against `one`
and against `two`, with the same load:

    warm       wrk asks one article again and again (the page cache on)
    cold       the nodes are restarted with the page cache off (READERFUND_PAGE_CACHE=0),
               and wrk walks the demo's articles and sections in turn: every request rendered
    checkouts  --donors threads each start a monthly checkout through the front
               (POST /api/checkout), save the card at localstripe as Stripe.js would, and give
               (POST /api/contributions/<id>/complete: the first charge at localstripe);
               gifts completed per second

The last column is two / one. `cpu ms` is the CPU of the web nodes (both, every process) per
request or per gift, from /proc. No task worker runs: the receipts' tasks wait in the
database. Everything is stopped and the database dropped on exit (Ctrl-C included). Needs
nginx, wrk and redis-server.
"""

import argparse
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ must not shadow the apps (bench/funding.py vs the funding app).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    BenchError,
    command_line,
    machine,
    raise_on_sigterm,
    tree_cpu_seconds,
)
from bench.pages import LIST_LUA, load_demo, run_wrk  # noqa: E402
from bench.webhooks import bench_env, setup_django, throwaway_database  # noqa: E402
from tests.cluster.nodes import NODES, Cluster, get  # noqa: E402
from tests.contributions.stripe_helpers import (  # noqa: E402
    PUBLISHABLE_KEY,
    SECRET_KEY,
    WEBHOOK_SECRET,
    running_emulator,
    save_card,
)
from tests.redis_server import RedisServer  # noqa: E402

FRONTS = {"one": NODES[:1], "two": NODES}
LINK = re.compile(r'href="(/(?:news|economy|opinion|culture)/[\w/-]*)"')


class Run:
    def __init__(self, args, workdir: Path, cluster: Cluster, emulator: int):
        self.args, self.workdir, self.cluster, self.emulator = args, workdir, cluster, emulator
        self.results: list[dict] = []

    def cpu(self) -> tuple[float, float, float]:
        """CPU seconds so far: the web nodes (every process), nginx, the emulator."""
        nodes = sum(tree_cpu_seconds(p.pid) for p in self.cluster.nodes.values())
        return nodes, tree_cpu_seconds(self.cluster.balancer.pid), tree_cpu_seconds(self.emulator)

    def start_nodes(self, **env: str) -> None:
        for host in NODES:
            self.cluster.start_node(host, **env)

    def stop_nodes(self) -> None:
        from tests.processes import stop_tree

        for process in self.cluster.nodes.values():
            stop_tree(process, grace=10)
        self.cluster.nodes.clear()

    def order(self) -> list[str]:
        """The fronts, round after round, the order reversed every other round (one, two,
        two, one): a machine getting busier or quieter favours neither."""
        fronts = list(FRONTS)
        return [f for n in range(self.args.rounds) for f in fronts[:: 1 if n % 2 == 0 else -1]]

    def pages(self, scenario: str, path: str, script: Path | None = None) -> None:
        for front in self.order():
            port = self.cluster.fronts[front][0]
            before = self.cpu()
            figures = run_wrk(f"{scenario}-{front}", port, path, self.args, self.workdir,
                              script=script)  # fmt: skip
            # wrk counts a response slower than 2 s as a socket error (timeout)
            self.add(scenario, front, figures.requests_per_s, figures.requests, before,
                     p99_ms=figures.p99_ms, errors=figures.non_2xx,
                     slow=figures.socket_errors)  # fmt: skip

    def checkouts(self) -> None:
        for front in self.order():
            url = self.cluster.front_url(front)
            before, started = self.cpu(), time.monotonic()
            gifts, errors = give_for(url, self.args.donors, self.args.duration, front)
            seconds = time.monotonic() - started
            self.add("checkouts", front, gifts / seconds, gifts, before, errors=errors)

    def add(self, scenario, front, per_s, count, cpu_before, p99_ms=None, errors=0, slow=0):
        """One figure; CPU ms per request (or gift) of the nodes, nginx and the emulator."""
        nodes, nginx, emulator = (
            (after - before) * 1000 / max(count, 1)
            for after, before in zip(self.cpu(), cpu_before, strict=True)
        )
        print(f"{scenario} through `{front}`: {per_s:,.1f}/s ({count:,}, {errors} failed, "
              f"{slow} over 2 s)", flush=True)  # fmt: skip
        self.results.append({"scenario": scenario, "front": front, "per_s": per_s,
                             "count": count, "node_cpu_ms": nodes, "nginx_cpu_ms": nginx,
                             "emulator_cpu_ms": emulator, "p99_ms": p99_ms,
                             "errors": errors, "slow": slow})  # fmt: skip


def give_for(url: str, donors: int, seconds: float, tag: str) -> tuple[int, int]:
    """`donors` threads giving through `url` for `seconds`: (gifts completed, failures)."""
    counts = {"gifts": 0, "errors": 0, "n": 0}
    lock, stop = threading.Lock(), time.monotonic() + seconds

    def donor() -> None:
        from django.db import connection

        try:
            while time.monotonic() < stop:
                with lock:
                    counts["n"] += 1
                    n = counts["n"]
                ok = give_once(url, n, tag)
                with lock:
                    counts["gifts" if ok else "errors"] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=donor) for _ in range(donors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts["gifts"], counts["errors"]


def give_once(url: str, n: int, tag: str) -> bool:
    # Each donor from an address of its own (nginx on loopback is a trusted proxy): the
    # checkout's rate limits are per address and per email.
    address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
    headers = {"Content-Type": "application/json", "X-Forwarded-For": address}
    body = {"frequency": "monthly", "amount": 1000, "currency": "USD",
            "email": f"donor-{tag}-{n}@example.org"}  # fmt: skip
    status, content = get(f"{url}/api/checkout", json.dumps(body).encode(), headers, 30)
    if status != 201:
        return False
    started = json.loads(content)
    save_card(started["reference"])
    body = json.dumps({"reference": started["reference"]}).encode()
    status, _ = get(f"{url}/api/contributions/{started['contribution']}/complete", body,
                    headers, 30)  # fmt: skip
    return status == 200


def demo_paths(url: str) -> list[str]:
    """The demo's sections and articles, as linked from the home page and the sections."""
    status, home = get(f"{url}/")
    if status != 200:
        raise BenchError(f"the home page answered {status}")
    paths = set(LINK.findall(home.decode()))
    for section in [p for p in paths if p.count("/") == 2]:
        paths |= set(LINK.findall(get(f"{url}{section}")[1].decode()))
    paths = sorted(p for p in paths if "/feed/" not in p)
    if len(paths) < 5:
        raise BenchError(f"too few pages linked from the demo's home page: {paths}")
    return paths


def mean_of(rounds: list[dict]) -> dict:
    """One front's rounds of one scenario: the mean rate and CPU, the worst p99, all errors."""
    mean = {key: sum(r[key] for r in rounds) / len(rounds)
            for key in ("per_s", "node_cpu_ms", "nginx_cpu_ms", "emulator_cpu_ms")}  # fmt: skip
    p99 = [r["p99_ms"] for r in rounds if r["p99_ms"] is not None]
    return mean | {"p99_ms": max(p99) if p99 else None,
                   "errors": sum(r["errors"] for r in rounds),
                   "slow": sum(r["slow"] for r in rounds)}  # fmt: skip


def print_report(report: dict) -> None:
    box = report["machine"]
    print(
        f"\nmachine: {box['nproc']} CPUs, {box['cpu']}, Python {box['python']}, "
        f"{box['date']}, CPU busy before the load: {box['cpu_busy_before_percent']:.0f}%"
    )
    print(f"load: {report['load']}\n")
    print(
        "cpu: ms of CPU per request (per gift) of the web nodes / nginx / localstripe; "
        "failed: non-2xx answers or failed gifts; >2 s: wrk's timeouts\n"
    )
    print(f"{'scenario':<10} {'one node/s':>11} {'two nodes/s':>12} {'two/one':>8} "
          f"{'cpu one':>17} {'cpu two':>17} {'p99 1':>7} {'p99 2':>7} {'failed':>7} "
          f"{'>2 s':>6}")  # fmt: skip
    for scenario in dict.fromkeys(r["scenario"] for r in report["results"]):
        one, two = (mean_of([r for r in report["results"]
                             if r["scenario"] == scenario and r["front"] == f])
                    for f in ("one", "two"))  # fmt: skip
        p99 = [f"{r['p99_ms']:.0f}" if r["p99_ms"] is not None else "" for r in (one, two)]
        cpu = [f"{r['node_cpu_ms']:.1f}/{r['nginx_cpu_ms']:.2f}/{r['emulator_cpu_ms']:.1f}"
               for r in (one, two)]  # fmt: skip
        print(f"{scenario:<10} {one['per_s']:>11,.1f} {two['per_s']:>12,.1f} "
              f"{two['per_s'] / max(one['per_s'], 1e-9):>8.2f} {cpu[0]:>17} {cpu[1]:>17} "
              f"{p99[0]:>7} {p99[1]:>7} {one['errors'] + two['errors']:>7} "
              f"{one['slow'] + two['slow']:>6}")  # fmt: skip


def bench(args, workdir: Path) -> dict:
    with (
        throwaway_database() as database_url,
        running_emulator() as (stripe_base, emulator),
    ):
        redis = RedisServer()
        redis.start()
        try:
            env = bench_env(database_url, workdir / "data", {
                "REDIS_URL": redis.url,
                "READERFUND_ALLOWED_HOSTS": "127.0.0.1,127.0.0.2,127.0.0.3",
                "STRIPE_SECRET_KEY": SECRET_KEY,
                "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
                "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
                "STRIPE_API_BASE": stripe_base,
            })  # fmt: skip
            print("loading the demo newsroom ...", flush=True)
            load_demo(env, workdir)
            setup_django(env, migrate=False)  # this process: save_card reads STRIPE_* here
            logging.getLogger("stripe").setLevel(logging.WARNING)  # save_card's requests
            cluster = Cluster(workdir, env, FRONTS, keepalive=True,
                              nginx_workers=args.nginx_workers,
                              shared_data_dir=workdir / "data")  # fmt: skip
            try:
                return measure(args, workdir, cluster, emulator.pid)
            finally:
                cluster.stop()
        finally:
            redis.close()


def measure(args, workdir: Path, cluster: Cluster, emulator: int) -> dict:
    run = Run(args, workdir, cluster, emulator)
    run.start_nodes()
    cluster.start_balancer()
    paths = demo_paths(cluster.front_url("two"))
    article = next(p for p in paths if p.count("/") > 2)
    for _ in range(5):
        get(f"{cluster.front_url('two')}{article}")
    box = machine()
    run.pages("warm", article)
    run.checkouts()
    run.stop_nodes()
    run.start_nodes(READERFUND_PAGE_CACHE="0")
    listed = workdir / "paths.txt"
    listed.write_text("\n".join(paths) + "\n")
    script = workdir / "cold.lua"
    script.write_text(
        LIST_LUA.format(list=listed, start=0, offset=max(len(paths) // args.threads, 1))
    )
    for host in NODES:  # each node's first renders (imports, templates) are not measured
        for path in paths:
            get(f"http://{host}:{cluster.port}{path}")
    run.pages("cold", paths[0], script)
    return {
        "machine": box,
        "command": command_line(),
        "load": f"wrk {args.threads} threads, {args.connections} connections, "
        f"{args.duration} s a front and round ({args.rounds} rounds, the mean); "
        f"{args.donors} donors; {len(paths)} pages in the cold mix; "
        f"each node `serve --no-worker --workers 1`; nginx {args.nginx_workers} workers",
        "results": run.results,
    }


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds per front.")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections.")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
    parser.add_argument("--donors", type=int, default=8, help="Threads giving at once.")
    parser.add_argument("--nginx-workers", type=int, default=2, help="nginx's processes.")
    parser.add_argument("--rounds", type=int, default=2, help="Each front this many times.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    missing = [tool for tool in ("wrk", "redis-server") if not shutil.which(tool)]
    if missing or not Path("/usr/sbin/nginx").exists() and not shutil.which("nginx"):
        print(f"bench cannot run: missing {', '.join(missing) or 'nginx'}", file=sys.stderr)
        return 2
    raise_on_sigterm()
    workdir = Path(tempfile.mkdtemp(prefix="readerfund-bench-cluster-"))
    try:
        report = bench(args, workdir)
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if os.environ.get("KEEP_BENCH_DIR"):
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
