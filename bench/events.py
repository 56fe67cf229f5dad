"""Appeal events per second through `readerfund serve`, from thousands of client addresses.

Run from the repository root:

    .venv/bin/python bench/events.py [--duration 15] [--connections 32] [--processes 2]
                                     [--per-connection 50] [--json PATH]

Two configurations, one after the other, each with its own `readerfund serve --no-worker
--workers 2` on a free loopback port in 8200-8299 and a throwaway data dir:

- **embedded**: the default of a bare checkout: SQLite in the data dir, the file cache;
- **postgresql+redis**: DATABASE_URL to a database created here on 127.0.0.1:5432 and dropped
  afterwards, REDIS_URL to Redis db 13 on 127.0.0.1:6379, flushed before and after.

Each gets one appeal with variants a and b, then the load: `POST /api/appeals/events`
(impressions, clicks, dismissals and reminders in turn), then, as the reference under the same
load from the same generator, `GET /healthz` of the same server (Django's whole stack and a
`SELECT 1`). The server is then stopped cleanly (SIGTERM) and the counts in the database are
compared with the 204s the generator received: they must be equal.

The load generator is written here, not wrk: wrk cannot bind a connection's source address,
and the events' rate limit (300 per 5 minutes per address) would refuse a few addresses
sending thousands of events each. It runs `--processes` processes, each with an asyncio loop
and its share of `--connections` keep-alive connections, closed loop (a connection sends its
next request when the answer came, as wrk does). Each connection binds a new source address
in 127.1.0.0/16 … 127.8.0.0/16 and sends `--per-connection` requests before the next
address takes over; 15 s at 5,000 events/s uses about 1,500 addresses, none near the limit.
Latency is from writing the request to reading the whole answer. The generator shares the two
cores with the server: its CPU time is printed beside the server's, so the reader sees where
the time went. Everything started here is stopped and removed on exit, Ctrl-C included.
"""

import argparse
import asyncio
import contextlib
import http.client
import json
import multiprocessing
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ must not shadow the apps (bench/funding.py vs the funding app).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    BenchError,
    command_line,
    free_port,
    machine,
    raise_on_sigterm,
    tree_cpu_seconds,
)

HOST = "127.0.0.1"
PORTS = range(8200, 8300)
READERFUND = [sys.executable, "-m", "readerfund.cli"]
PG = ["-h", "127.0.0.1", "-U", "root"]
REDIS_DB = 13
EVENTS = ("impression", "click", "dismiss", "reminder")
TARGETS = {"embedded": 2000, "postgresql+redis": 5000}  # events/s
TARGET_P99_MS = 20.0
# The bench must never touch a real database or cache named by the caller's environment.
SCRUBBED_ENV = ("DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_SETTINGS_MODULE")
CREATE_APPEAL = """
from appeals.models import Appeal, AppealVariant
appeal = Appeal(name="Bench modal", slug="bench-modal", kind="modal")
appeal.variants = [AppealVariant(key=key, body="<p>Hi</p>") for key in ("a", "b")]
appeal.save()
"""
COUNTED = """
from django.db.models import Sum
from appeals.models import AppealCount
sums = AppealCount.objects.aggregate(*(Sum(name) for name in AppealCount.COUNTERS))
print(sum(value or 0 for value in sums.values()))
"""


@dataclass
class Figures:
    config: str
    target: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    statuses: dict
    addresses: int
    errors: int
    generator_cpu_s: float
    server_cpu_s: float
    seconds: float


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=15, help="Seconds of load per target.")
    parser.add_argument("--connections", type=int, default=32, help="Open at once, in all.")
    parser.add_argument("--processes", type=int, default=2, help="Load generator processes.")
    parser.add_argument("--per-connection", type=int, default=50, help="Requests per address.")
    parser.add_argument("--only", choices=sorted(TARGETS), help="Run one configuration, not both.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    return parser.parse_args(argv)


# The load generator ---------------------------------------------------------------------------


def request_bytes(port: int, path: str, n: int) -> bytes:
    head = f"Host: {HOST}:{port}\r\nUser-Agent: readerfund-bench\r\n"
    if path != "/api/appeals/events":
        return f"GET {path} HTTP/1.1\r\n{head}\r\n".encode()
    body = json.dumps({"appeal": "bench-modal", "variant": "ab"[n % 2], "event": EVENTS[n % 4]})
    return (
        f"POST {path} HTTP/1.1\r\n{head}Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n{body}"
    ).encode()


def source_addresses(process: int, connections: int, slot: int):
    """Distinct loopback addresses for one connection slot of one generator process."""
    n = slot
    while True:
        yield f"127.{1 + process % 8}.{(n // 250) % 250}.{1 + n % 250}"
        n += connections


async def one_connection(port, path, requests, addresses, per_connection, stop_at, found):
    while time.monotonic() < stop_at:
        address = next(addresses)
        try:
            reader, writer = await asyncio.open_connection(HOST, port, local_addr=(address, 0))
        except OSError:
            found["errors"] += 1
            continue
        found["addresses"].add(address)
        try:
            for i in range(per_connection):
                if time.monotonic() >= stop_at:
                    break
                await one_request(reader, writer, requests[i % len(requests)], found)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            found["errors"] += 1
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def one_request(reader, writer, request: bytes, found) -> None:
    started = time.perf_counter()
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    found["latencies"].append(time.perf_counter() - started)
    found["statuses"][int(head[9:12])] += 1


async def generate(process, port, path, connections, per_connection, seconds) -> dict:
    found = {"latencies": [], "statuses": Counter(), "addresses": set(), "errors": 0}
    requests = [request_bytes(port, path, n) for n in range(4)]
    stop_at = time.monotonic() + seconds
    await asyncio.gather(
        *(
            one_connection(
                port,
                path,
                requests,
                source_addresses(process, connections, slot),
                per_connection,
                stop_at,
                found,
            )
            for slot in range(connections)
        )
    )
    return found


def generator_process(process, port, path, connections, per_connection, seconds, results):
    found = asyncio.run(generate(process, port, path, connections, per_connection, seconds))
    usage = os.times()
    found["cpu"] = usage.user + usage.system
    found["addresses"] = len(found["addresses"])
    results.put(found)


def load(args, config: str, target: str, port: int, path: str, server_pid: int) -> Figures:
    """Run the generator processes against http://HOST:port/path; their combined figures."""
    print(f"{config}: {target} for {args.duration:.0f} s ...", flush=True)
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    share = max(args.connections // args.processes, 1)
    workers = [
        context.Process(
            target=generator_process,
            args=(n, port, path, share, args.per_connection, args.duration, results),
        )
        for n in range(args.processes)
    ]
    server_cpu = tree_cpu_seconds(server_pid)
    started = time.monotonic()
    for worker in workers:
        worker.start()
    parts = [results.get(timeout=args.duration + 120) for _ in workers]
    seconds = time.monotonic() - started
    for worker in workers:
        worker.join()
    server_cpu = tree_cpu_seconds(server_pid) - server_cpu
    return combine(config, target, parts, seconds, server_cpu)


def combine(config, target, parts, seconds, server_cpu) -> Figures:
    latencies = sorted(x for part in parts for x in part["latencies"])
    if not latencies:
        raise BenchError(f"{config} {target}: no request was answered")
    statuses = sum((part["statuses"] for part in parts), Counter())
    return Figures(
        config=config,
        target=target,
        requests_per_s=len(latencies) / seconds,
        p50_ms=1000 * latencies[len(latencies) // 2],
        p99_ms=1000 * latencies[min(int(len(latencies) * 0.99), len(latencies) - 1)],
        requests=len(latencies),
        statuses={str(status): n for status, n in sorted(statuses.items())},
        addresses=sum(part["addresses"] for part in parts),
        errors=sum(part["errors"] for part in parts),
        generator_cpu_s=round(sum(part["cpu"] for part in parts), 2),
        server_cpu_s=round(server_cpu, 2),
        seconds=round(seconds, 2),
    )


# The server -----------------------------------------------------------------------------------


def readerfund_env(data_dir: Path, extra: dict) -> dict:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SCRUBBED_ENV and not name.startswith("READERFUND_")
    }
    return env | {"READERFUND_DATA_DIR": str(data_dir)} | extra


def run(args: list[str], env: dict) -> str:
    done = subprocess.run(READERFUND + args, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BenchError(f"`readerfund {args[0]}` failed:\n{done.stderr[-3000:]}")
    return done.stdout


def start_server(env: dict, workdir: Path, name: str) -> tuple[subprocess.Popen, int]:
    port = free_port(HOST, PORTS)
    command = READERFUND + ["serve", "--host", HOST, "--port", str(port), "--no-worker"]
    with (workdir / f"{name}.log").open("wb") as log:
        server = subprocess.Popen(
            command + ["--workers", "2", "--no-migrate"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"the {name} server exited ({server.returncode}); see {name}.log")
        with contextlib.suppress(OSError):
            if get_status(port, "/healthz") == 200:
                return server, port
        time.sleep(0.25)
    raise BenchError(f"the {name} server did not answer within 90 s")


def get_status(port: int, path: str) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def stop_server(server: subprocess.Popen) -> int:
    """SIGTERM, as a process manager sends it; SIGKILL to the group after 60 s."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
    try:
        return server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        raise BenchError("the server did not stop within 60 s of SIGTERM") from None
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # anything its workers left behind


@contextlib.contextmanager
def postgresql_and_redis():
    """A new PostgreSQL database and an empty Redis db: the environment naming them."""
    name = f"readerfund_bench_{secrets.token_hex(4)}"
    done = subprocess.run(["createdb", *PG, name], capture_output=True, text=True)
    if done.returncode:
        raise BenchError(f"createdb failed: {done.stderr.strip()}")
    redis = ["redis-cli", "-h", "127.0.0.1", "-n", str(REDIS_DB)]
    try:
        if subprocess.run([*redis, "FLUSHDB"], capture_output=True).returncode:
            raise BenchError(f"Redis at 127.0.0.1:6379 db {REDIS_DB} cannot be flushed")
        yield {
            "DATABASE_URL": f"postgres://root@127.0.0.1:5432/{name}",
            "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        }
    finally:
        subprocess.run([*redis, "FLUSHDB"], capture_output=True, check=False)
        subprocess.run(["dropdb", *PG, "--force", "--if-exists", name], check=False)


def bench_config(args, config: str, extra: dict, workdir: Path) -> dict:
    env = readerfund_env(workdir / config, extra)
    print(f"{config}: migrating a throwaway database ...", flush=True)
    run(["migrate", "-v0"], env)
    run(["shell", "-c", CREATE_APPEAL], env)
    server, port = start_server(env, workdir, config)
    try:
        events = load(args, config, "events", port, "/api/appeals/events", server.pid)
        healthz = load(args, config, "healthz", port, "/healthz", server.pid)
    finally:
        stop_server(server)
    counted = int(run(["shell", "-c", COUNTED], env).strip().splitlines()[-1])
    return {
        "config": config,
        "results": [asdict(events), asdict(healthz)],
        "events_accepted": events.statuses.get("204", 0),
        "events_counted": counted,
        "ratio_events_to_healthz": events.requests_per_s / healthz.requests_per_s,
        "target_events_per_s": TARGETS[config],
        "targets_met": events.requests_per_s >= TARGETS[config] and events.p99_ms < TARGET_P99_MS,
    }


# Report ---------------------------------------------------------------------------------------


def print_report(report: dict) -> None:
    box = report["machine"]
    print(
        f"\nmachine: {box['nproc']} CPUs, {box['cpu']}, Python {box['python']}, {box['date']}, "
        f"CPU busy before the load: {box['cpu_busy_before_percent']:.0f}% (shared machine)"
    )
    load = report["load"]
    print(
        f"load: {load['processes']} generator processes, {load['connections']} connections, "
        f"{load['per_connection']} requests per source address, {load['duration_s']:.0f} s "
        f"per target; readerfund serve --no-worker --workers 2\n"
    )
    print(
        f"{'config':<18} {'target':<8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'addresses':>9} {'statuses':<18} {'cpu: server':>11} {'generator':>9}"
    )
    for run_ in report["configs"]:
        for row in run_["results"]:
            statuses = " ".join(f"{k}:{v}" for k, v in row["statuses"].items())
            print(
                f"{row['config']:<18} {row['target']:<8} {row['requests_per_s']:>8,.0f} "
                f"{row['p50_ms']:>7.2f} {row['p99_ms']:>7.2f} {row['addresses']:>9,} "
                f"{statuses:<18} {row['server_cpu_s']:>10.1f}s {row['generator_cpu_s']:>8.1f}s"
            )
    print()
    for run_ in report["configs"]:
        same = "equal" if run_["events_counted"] == run_["events_accepted"] else "NOT EQUAL"
        verdict = "met" if run_["targets_met"] else "NOT met"
        print(
            f"{run_['config']}: events/healthz {run_['ratio_events_to_healthz']:.2f}; "
            f"events accepted {run_['events_accepted']:,}, counted after the stop "
            f"{run_['events_counted']:,} ({same}); targets (>= {run_['target_events_per_s']:,}"
            f"/s, p99 < {TARGET_P99_MS:.0f} ms): {verdict}"
        )


# Main -----------------------------------------------------------------------------------------


def bench(args: argparse.Namespace, workdir: Path) -> dict:
    report = {
        "machine": machine(),
        "command": command_line(),
        "load": {
            "processes": args.processes,
            "connections": args.connections,
            "per_connection": args.per_connection,
            "duration_s": args.duration,
        },
        "configs": [],
    }
    if args.only in (None, "embedded"):
        report["configs"].append(bench_config(args, "embedded", {}, workdir))
    if args.only in (None, "postgresql+redis"):
        with postgresql_and_redis() as extra:
            report["configs"].append(bench_config(args, "postgresql+redis", extra, workdir))
    return report


def main(argv=None) -> int:
    args = parse_args(argv)
    missing = [tool for tool in ("createdb", "dropdb", "redis-cli") if not shutil.which(tool)]
    if missing:
        print(f"bench cannot run: {', '.join(missing)} not found", file=sys.stderr)
        return 2
    raise_on_sigterm()
    workdir = Path(tempfile.mkdtemp(prefix="readerfund-bench-events-"))
    try:
        report = bench(args, workdir)
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        for log in workdir.glob("*.log"):
            print(f"--- {log.name} ---\n{log.read_text(errors='replace')[-2000:]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    mismatched = any(r["events_counted"] != r["events_accepted"] for r in report["configs"])
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
