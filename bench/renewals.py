"""A renewal run over --count due monthly contributions against localstripe: time, memory, and
exactly one charge each, against the bare Stripe SDK making as many PaymentIntents.

Run from the repository root:

    .venv/bin/python bench/renewals.py [--count 10000] [--limit 500] [--sqlite] [--persist]
                                       [--keep-db] [--json PATH]

Setup (timed apart): localstripe on a free loopback port in 8600-8699, a throwaway PostgreSQL
database (or SQLite in a temp data dir with --sqlite), ONE Customer with one card saved
through a SetupIntent, shared by all --count contributors (Readerfund reads the customer from
each contributor and the card from each contribution, so the emulator cannot tell; making
10,000 Customers would time localstripe, not us), and --count active monthly contributions
whose first payment succeeded a month ago and whose next payment is due today.

The run: a child process calls `renewals.charge_due(limit=--limit)` until it claims nothing,
so its peak RSS (ru_maxrss) is the renewal run's own; its first call runs under tracemalloc
(the Python heap one batch needs) and is left out of charges/s. Then: one charge ledger
entry and one PaymentIntent per contribution, and a second run claims 0. The reference: the
same number of PaymentIntents made by a bare SDK loop against a second, fresh emulator.

localstripe pickles its whole store to disk after every write, so each request costs more than
the last (49 → 10 PaymentIntents/s over the first 600): both emulators run with that
persistence turned off. --persist runs the first one as `python -m
contributions.providers.stripe.emulator` does (for small --count only).
"""

import argparse
import datetime
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ must not shadow the apps (bench/funding.py vs the funding app).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench import webhooks as common  # noqa: E402
from bench.common import BenchError  # noqa: E402
from bench.common import free_port as free_port_in  # noqa: E402

HOST = "127.0.0.1"
PORTS = range(8600, 8700)
SECRET_KEY = "sk_test_bench"
VISA = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
CHARGE_EXPAND = ["latest_charge.balance_transaction"]  # as the provider asks
# localstripe as its own process, on loopback, its store in memory only (see the docstring).
IN_MEMORY_EMULATOR = (
    "import sys\n"
    "from aiohttp import web\n"
    "from localstripe import resources, server\n"
    "resources.Store.dump_to_disk = lambda self: None\n"
    "web.run_app(server.app, host='127.0.0.1', port=int(sys.argv[1]), print=None,"
    " access_log=None)\n"
)


# The emulator ----------------------------------------------------------------------------


class Emulator:
    """localstripe in a process of its own; stopped by `stop`."""

    def __init__(self, workdir: Path, name: str, persist: bool, exclude: tuple[int, ...] = ()):
        self.port = free_port(exclude)
        self.base = f"http://{HOST}:{self.port}"
        self.log = workdir / f"{name}.log"
        if persist:
            data = workdir / name
            command = ["-m", "contributions.providers.stripe.emulator", "--port", str(self.port)]
            command += ["--data-dir", str(data), "--from-scratch"]
        else:
            command = ["-c", IN_MEMORY_EMULATOR, str(self.port)]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, *command], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
            )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"localstripe exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.base}/js.stripe.com/v3/", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise BenchError(f"localstripe did not answer on {self.base}")

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
        return int(kb) / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port(exclude: tuple[int, ...] = ()) -> int:
    return free_port_in(HOST, PORTS, exclude)


def sdk(base: str):
    """The SDK as the provider configures it (pooled connections, retries with keys)."""
    import logging

    import stripe

    logging.getLogger("stripe").setLevel(logging.WARNING)  # a line per request otherwise

    http = stripe.RequestsClient(timeout=20)
    return stripe.StripeClient(
        SECRET_KEY, base_addresses={"api": base}, http_client=http, max_network_retries=2
    )


def saved_card(client) -> tuple[str, str]:
    """One Customer with one card saved for off-session use: (customer, payment method)."""
    customer = client.v1.customers.create(params={}).id
    intent = client.v1.setup_intents.create(
        params={"customer": customer, "usage": "off_session", "payment_method_types": ["card"]}
    )
    intent = client.v1.setup_intents.confirm(
        intent.id, params={"payment_method_data": {"type": "card", "card": VISA}}
    )
    if intent.status != "succeeded":
        raise BenchError(f"localstripe did not save the card: {intent.status}")
    return customer, intent.payment_method


# Fixtures --------------------------------------------------------------------------------


def make_due_contributions(count: int, customer: str, method: str) -> None:
    """`count` active monthly contributions, first paid a month ago, next due today."""
    from contributions.models import Contributor, Payment

    today = datetime.date.today()
    month_ago = today - datetime.timedelta(days=30)
    contributions = common.make_contributions(
        count, status="active", payment_method=method, next_charge_on=today
    )
    Contributor.objects.update(provider_customers={"stripe": customer})
    Payment.objects.bulk_create(
        [
            Payment(
                contribution=c,
                period=0,
                due_on=month_ago,
                amount=c.amount,
                currency=c.currency,
                status="succeeded",
                provider_reference=f"pi_first_{n}",
            )
            for n, c in enumerate(contributions)
        ],
        batch_size=1000,
    )


# The run (in a child process) ------------------------------------------------------------


def charge_until_done(limit: int) -> dict:
    """charge_due until it claims nothing; the first call under tracemalloc. The URLconf is
    loaded first, as in a worker once any task has built a URL: that is when Wagtail's admin
    viewsets register models for its reference index (a task per save)."""
    from django.urls import get_resolver

    from contributions.services import renewals

    get_resolver().url_patterns  # noqa: B018

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    batches, totals = [], {}
    began = time.perf_counter()
    tracemalloc.start()
    while True:
        started = time.perf_counter()
        counts = renewals.charge_due(limit=limit)
        batches.append({"seconds": time.perf_counter() - started, **counts})
        if tracemalloc.is_tracing():
            traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if not counts["claimed"]:
            break
    untraced = batches[1:]
    return {
        "wall_s": time.perf_counter() - began,
        "totals": totals,
        "calls": len(batches),
        "first_call": batches[0],
        "untraced_claimed": sum(b["claimed"] for b in untraced),
        "untraced_s": sum(b["seconds"] for b in untraced),
        "tracemalloc_peak_first_call_mb": traced_peak,
        "ru_maxrss_after_setup_mb": rss_before,
        "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(env: dict, limit: int, workdir: Path) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--limit", str(limit)]
    log = workdir / "renewal-run.log"
    with log.open("wb") as err:
        done = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=err)
    if done.returncode:
        raise BenchError(f"the renewal run failed: {log.read_text()[-3000:]}")
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


# Reference -------------------------------------------------------------------------------


def reference(base: str, count: int) -> dict:
    """The same PaymentIntents made by a bare SDK loop, nothing stored anywhere."""
    client = sdk(base)
    customer, method = saved_card(client)
    began = time.perf_counter()
    for n in range(count):
        key = f"bench-{n}-1-1"
        client.v1.payment_intents.create(
            params={
                "amount": 1000,
                "currency": "usd",
                "customer": customer,
                "payment_method": method,
                "payment_method_types": ["card"],
                "confirm": True,
                "off_session": True,
                "metadata": {"contribution": str(n), "payment": str(n), "period": "1"},
                "expand": CHARGE_EXPAND,
            },
            options={"idempotency_key": key},
        )
    seconds = time.perf_counter() - began
    return {"intents": count, "seconds": seconds, "per_s": count / seconds}


# Checks ----------------------------------------------------------------------------------


def check_run(count: int, base: str) -> tuple[list[str], dict]:
    """What is wrong after the run (nothing, if empty), and what the queue now holds."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from contributions.models import Contribution, LedgerEntry, Payment
    from contributions.services import renewals as renewing

    renewals = LedgerEntry.objects.filter(kind="charge", payment__period=1)
    charged_twice = renewals.values("payment").annotate(n=Count("pk")).filter(n__gt=1).count()
    next_due = datetime.date.today() + datetime.timedelta(days=28)
    again = renewing.charge_due()
    ours = {str(pk) for pk in Contribution.objects.values_list("pk", flat=True)}
    intents = intents_at_emulator(base, ours)
    found = {
        "renewal charge entries": (renewals.count(), count),
        "payments charged twice": (charged_twice, 0),
        "renewal payments succeeded": (
            Payment.objects.filter(period=1, status="succeeded").count(),
            count,
        ),
        "contributions not moved a month on": (
            Contribution.objects.filter(next_charge_on__lt=next_due).count(),
            0,
        ),
        "PaymentIntents at the emulator": (len(intents), count),
        "contributions with 2+ PaymentIntents": (len(intents) - len(set(intents)), 0),
        "claimed by a second run": (again["claimed"], 0),
    }
    problems = [
        f"{what}: {got}, expected {want}" for what, (got, want) in found.items() if got != want
    ]
    queued = dict(DBTaskResult.objects.values_list("task_path").annotate(n=Count("pk")).order_by())
    return problems, queued


def intents_at_emulator(base: str, ours: set[str]) -> list[str]:
    """The contribution of every period-1 PaymentIntent the emulator holds for us."""
    client = sdk(base)
    listed = client.v1.payment_intents.list(params={"limit": 100}).auto_paging_iter()
    found = []
    for intent in listed:
        metadata = intent.to_dict().get("metadata") or {}
        if metadata.get("contribution") in ours and metadata.get("period") == "1":
            found.append(metadata["contribution"])
    return found


# Report ----------------------------------------------------------------------------------


def print_report(report: dict) -> None:
    box, run, ref = report["machine"], report["run"], report["reference"]
    print(
        f"\nmachine: {box['nproc']} CPUs, {box['cpu']}, Python {box['python']}, "
        f"{report['database']}, {box['date']}\n"
        f"CPU busy before: {box['cpu_busy_before_percent']:.0f}%, load average "
        f"{'/'.join(f'{x:.1f}' for x in box['load_average'])} (others share the machine)"
    )
    print(f"command: {report['command']}")
    print(
        f"emulator: localstripe, {report['emulator']}; ONE Customer and card shared by "
        f"all {report['count']:,} contributors\n"
    )
    print(f"setup: {report['setup']}")
    totals = run["totals"]
    print(
        f"renewal run: {totals['claimed']:,} claimed, {totals['succeeded']:,} succeeded, "
        f"{totals['failed']:,} failed, {totals['requires_action']:,} need action, in "
        f"{run['calls']} charge_due(limit={report['limit']}) calls"
    )
    print(f"{'':<36} {'charges':>8} {'seconds':>8} {'per s':>7}")
    rows = [
        ("readerfund charge_due, whole run", totals["claimed"], run["wall_s"]),
        ("readerfund, first call (traced)", run["first_call"]["claimed"],
         run["first_call"]["seconds"]),
        ("readerfund, other calls", run["untraced_claimed"], run["untraced_s"]),
        ("reference: bare SDK loop", ref["intents"], ref["seconds"]),
    ]  # fmt: skip
    for name, n, seconds in rows:
        print(f"{name:<36} {n:>8,} {seconds:>8.1f} {n / seconds if seconds else 0:>7.1f}")
    print(f"ratio readerfund/reference charges/s: {report['ratio']:.2f}")
    print(
        f"memory: renewal process peak RSS {run['ru_maxrss_mb']:.0f} MB "
        f"({run['ru_maxrss_after_setup_mb']:.0f} MB after Django setup); tracemalloc peak "
        f"during the first call {run['tracemalloc_peak_first_call_mb']:.1f} MB; "
        f"emulator peak RSS {report['emulator_rss_mb']:.0f} MB"
    )
    print(f"tasks left queued (no worker ran): {report['queued']}")
    problems = report["problems"]
    print("checks: " + ("; ".join(problems) if problems else "all passed (see --help)"))


# Main ------------------------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=500, help="charge_due's limit per call.")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL.")
    parser.add_argument("--persist", action="store_true", help="localstripe saving its store.")
    parser.add_argument("--keep-db", action="store_true", help="Do not drop the database.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def bench(args, workdir: Path, database_url: str, emulators: list) -> dict:
    box = common.machine()
    began = time.perf_counter()
    emulators.append(Emulator(workdir, "localstripe", args.persist))
    base = emulators[0].base
    env = common.bench_env(
        database_url,
        workdir / "data",
        {"STRIPE_SECRET_KEY": SECRET_KEY, "STRIPE_API_BASE": base},
    )
    common.setup_django(env)
    migrated = time.perf_counter()
    customer, method = saved_card(sdk(base))
    make_due_contributions(args.count, customer, method)
    done = time.perf_counter()
    setup = (
        f"emulator + migrate {migrated - began:.1f} s, card + {args.count:,} contributions "
        f"{done - migrated:.1f} s"
    )
    print(f"setup: {setup}; charging ...", flush=True)
    common._close_django_connections()
    run = run_child(env, args.limit, workdir)
    print("checking, then the reference ...", flush=True)
    problems, queued = check_run(args.count, base)
    emulators.append(Emulator(workdir, "localstripe-reference", False, (emulators[0].port,)))
    ref = reference(emulators[1].base, args.count)
    from django.db import connection

    return {
        "machine": box,
        "command": common.command_line(),
        "database": f"{connection.vendor} {connection.Database.__name__}"
        + ("" if args.sqlite else f" {box['postgresql']}"),
        "emulator": "saving its store after every write" if args.persist else "store in memory",
        "count": args.count,
        "limit": args.limit,
        "setup": setup,
        "run": run,
        "reference": ref,
        "ratio": (run["totals"]["claimed"] / run["wall_s"]) / ref["per_s"],
        "emulator_rss_mb": emulators[0].peak_rss_mb(),
        "queued": queued,
        "problems": problems,
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.child:
        common.setup_django(dict(os.environ), migrate=False)
        print(json.dumps(charge_until_done(args.limit)))
        return 0
    common.raise_on_sigterm()
    workdir = Path(tempfile.mkdtemp(prefix="readerfund-bench-renewals-"))
    emulators: list[Emulator] = []
    try:
        if args.sqlite:
            report = bench(args, workdir, "", emulators)
        else:
            with common.throwaway_database(args.keep_db) as database_url:
                report = bench(args, workdir, database_url, emulators)
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        for emulator in emulators:
            emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
