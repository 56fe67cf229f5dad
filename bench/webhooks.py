"""Webhook events per second on PostgreSQL: received through Django's WSGI stack, then applied
by the real task worker, against a bare Django view and a one-INSERT task in the same run.

Run from the repository root:

    .venv/bin/python bench/webhooks.py [--events 5000] [--duplicates N] [--workers 1]
                                       [--keep-db] [--no-reference] [--profile PATH]
                                       [--json PATH]

A throwaway PostgreSQL database (127.0.0.1:5432, user root, trust auth) gets the migrations,
`--events` monthly contributions, each with a claimed first payment, made in bulk. Then:

- receive: every event's `payment_intent.succeeded` webhook, signed with the real secret, is
  called into `readerfund.wsgi.application` in this process (no HTTP server: the figure is
  Django's and ours). Half the `--duplicates` are replays of an event id (answered, not
  stored); the other half report an already reported PaymentIntent under a new event id
  (stored and applied, the ledger must not change). Chunks alternate with the reference: the
  same stack calling a bare view that does one INSERT of the body.
- apply: `readerfund worker --batch` subprocesses (`--workers`) run the stored events' tasks
  (and the receipt tasks that follow, counted apart); then the same workers run as many tasks
  that do one INSERT each: the worker's own floor.

The ledger must then hold exactly one charge per contribution; the exit status is 1 if not.
The database is dropped on exit (Ctrl-C included) unless --keep-db.
"""

import argparse
import contextlib
import datetime
import io
import json
import os
import random
import secrets
import shutil
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

from bench import common  # noqa: E402
from bench.common import BenchError, command_line, raise_on_sigterm  # noqa: E402

PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "root"]
WEBHOOK_SECRET = "whsec_bench"
TARGET_APPLIED_PER_S = 500
CHUNK = 250  # requests per alternation between the webhook and the reference view
CREATED = 1_795_000_000  # 2026-11-18, the events' `created`
WORKER = [sys.executable, "-m", "readerfund.cli", "worker", "--batch", "--no-startup-delay"]
# Never the caller's database, cache or data dir.
SCRUBBED_ENV = ("DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_SETTINGS_MODULE")
REFERENCE_TABLE = "bench_reference_insert"
REFERENCE_TASKS = f'''"""Written by bench/webhooks.py: the worker's floor, one INSERT per task."""
import json

from django.db import connection
from django_tasks import task


@task()
def insert_one(n):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO {REFERENCE_TABLE} (body) VALUES (%s)", [json.dumps({{"n": n}})])
'''


# Environment and database ----------------------------------------------------------------


def bench_env(database_url: str, data_dir: Path, extra: dict | None = None) -> dict:
    """The environment for Django here and in the workers: only the bench's own settings."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SCRUBBED_ENV and not name.startswith(("READERFUND_", "STRIPE_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "readerfund.settings",
        "DATABASE_URL": database_url,
        "READERFUND_DATA_DIR": str(data_dir),
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "PYTHONPATH": str(ROOT),
    }
    return env | (extra or {})


@contextlib.contextmanager
def throwaway_database(keep: bool = False):
    """A new, empty PostgreSQL database; its URL. Dropped afterwards unless `keep`."""
    name = f"readerfund_bench_{secrets.token_hex(4)}"
    done = subprocess.run(["createdb", *PG, name], capture_output=True, text=True)
    if done.returncode:
        raise BenchError(f"createdb failed: {done.stderr.strip()}")
    try:
        yield f"postgres://root@127.0.0.1:5432/{name}"
    finally:
        if keep:
            print(f"kept database {name} (dropdb -h 127.0.0.1 -U root {name})", file=sys.stderr)
        else:
            _close_django_connections()
            subprocess.run(["dropdb", *PG, "--force", "--if-exists", name], check=False)


def _close_django_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def setup_django(env: dict, *, migrate: bool = True) -> None:
    """Configure Django in this process from `env` (set before settings are read) and
    migrate the database."""
    os.environ.clear()
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
        call_command("migrate", verbosity=0, interactive=False)


# Fixtures --------------------------------------------------------------------------------


def make_contributions(count: int, *, prefix="reader", status="pending", **fields) -> list:
    """`count` monthly contributions, one contributor each, made in bulk."""
    from contributions.models import Contribution, Contributor
    from privacy.crypto import email_index

    emails = [f"{prefix}{i}@bench.example" for i in range(count)]
    contributors = Contributor.objects.bulk_create(
        [Contributor(email=e, email_index=email_index(e)) for e in emails],
        batch_size=1000,
    )
    return Contribution.objects.bulk_create(
        [
            Contribution(
                contributor=contributor,
                frequency="monthly",
                amount=1000,
                currency="USD",
                provider="stripe",
                status=status,
                **fields,
            )
            for contributor in contributors
        ],
        batch_size=1000,
    )


def make_first_payments(contributions: list) -> list:
    from contributions.models import Payment

    today = datetime.date(2026, 11, 18)
    return Payment.objects.bulk_create(
        [
            Payment(contribution=c, period=0, due_on=today, amount=c.amount, currency=c.currency)
            for c in contributions
        ],
        batch_size=1000,
    )


def intent_succeeded(event_id: str, intent_id: str, payment) -> dict:
    """A `payment_intent.succeeded` event with the fields Stripe sends (API 2024-06-20)."""
    amount, contribution = payment.amount, payment.contribution_id
    intent = {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": amount,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic",
        "client_secret": f"{intent_id}_secret_{'x' * 24}",
        "confirmation_method": "automatic",
        "created": CREATED,
        "currency": "usd",
        "customer": "cus_bench",
        "description": None,
        "invoice": None,
        "last_payment_error": None,
        "latest_charge": f"ch_{intent_id[3:]}",
        "livemode": False,
        "metadata": {
            "contribution": str(contribution),
            "payment": str(payment.pk),
            "period": str(payment.period),
            "idempotency_key": f"readerfund-{contribution}-{payment.period}-1",
        },
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": "pm_bench",
        "payment_method_configuration_details": None,
        "payment_method_options": {
            "card": {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        },
        "payment_method_types": ["card"],
        "processing": None,
        "receipt_email": None,
        "review": None,
        "setup_future_usage": None,
        "shipping": None,
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "succeeded",
        "transfer_data": None,
        "transfer_group": None,
    }
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2024-06-20",
        "created": CREATED,
        "data": {"object": intent},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": intent["metadata"]["idempotency_key"]},
        "type": "payment_intent.succeeded",
    }


def plan_deliveries(payments: list, duplicates: int, seed: int = 1) -> list[dict]:
    """Every payment's event once, plus `duplicates`: replays of an event id, and the same
    PaymentIntent reported again under a new event id; in a fixed shuffled order."""
    events = [intent_succeeded(f"evt_bench_{p.pk}", f"pi_bench_{p.pk}", p) for p in payments]
    rng = random.Random(seed)
    replays = [dict(e) for e in rng.sample(events, duplicates // 2)]
    again = [
        intent_succeeded(f"evt_bench_again_{p.pk}", f"pi_bench_{p.pk}", p)
        for p in rng.sample(payments, duplicates - duplicates // 2)
    ]
    deliveries = events + again
    rng.shuffle(deliveries)
    for replay in replays:  # each after its original
        first = next(i for i, e in enumerate(deliveries) if e["id"] == replay["id"])
        deliveries.insert(rng.randint(first + 1, len(deliveries)), replay)
    return deliveries


# Receive ---------------------------------------------------------------------------------


def signature(body: bytes, secret: str = WEBHOOK_SECRET) -> str:
    import hashlib
    import hmac

    timestamp = int(time.time())
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def wsgi_post(app, path: str, body: bytes, headers: dict) -> tuple[str, bytes]:
    """One POST through a WSGI app, as a server would call it: (status line, body)."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    } | {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = status

    chunks = app(environ, start_response)
    try:
        content = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return answer["status"], content


def reference_view(request):
    """The reference: a bare view, one INSERT of the body, a small JSON answer."""
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {REFERENCE_TABLE} (body) VALUES (%s)", [request.body.decode()])
    return JsonResponse({"received": True})


def use_reference_urls() -> None:
    """Serve the reference view at /bench/insert beside Readerfund's own URLs, in this process
    only (the handler reads ROOT_URLCONF on every request)."""
    from django.conf import settings
    from django.db import connection
    from django.urls import include, path
    from django.views.decorators.csrf import csrf_exempt

    class ReferenceURLs:
        urlpatterns = [
            path("bench/insert", csrf_exempt(reference_view)),
            path("", include(settings.ROOT_URLCONF)),
        ]

    settings.ROOT_URLCONF = ReferenceURLs
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {REFERENCE_TABLE} (id bigserial PRIMARY KEY, body jsonb)"
        )


@dataclass
class Received:
    requests: int = 0
    seconds: float = 0.0
    duplicates: int = 0
    errors: int = 0

    @property
    def per_s(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def receive(deliveries: list[dict]) -> tuple[Received, Received]:
    """POST every delivery to /webhooks/stripe, alternating chunks with as many POSTs of the
    same bodies to the reference view. (webhook figures, reference figures)"""
    from readerfund.wsgi import application

    use_reference_urls()
    bodies = [json.dumps(d).encode() for d in deliveries]
    hook, ref = Received(), Received()
    for start in range(0, len(bodies), CHUNK):
        chunk = bodies[start : start + CHUNK]
        _post_all(application, "/webhooks/stripe", chunk, hook)
        _post_all(application, "/bench/insert", chunk, ref)
    return hook, ref


def _post_all(app, path: str, bodies: list[bytes], figures: Received) -> None:
    began = time.perf_counter()
    for body in bodies:
        status, content = wsgi_post(app, path, body, {"Stripe-Signature": signature(body)})
        figures.requests += 1
        if not status.startswith("200"):
            figures.errors += 1
            if figures.errors == 1:
                print(f"{path}: {status} {content[:300]!r}", file=sys.stderr)
        elif b'"duplicate": true' in content:
            figures.duplicates += 1
    figures.seconds += time.perf_counter() - began


# Apply -----------------------------------------------------------------------------------


@dataclass
class Applied:
    target: str
    tasks: int
    window_s: float  # first task started → last task finished
    wall_s: float  # worker processes started → all exited
    failed: int

    @property
    def per_s(self) -> float:
        return self.tasks / self.window_s if self.window_s else 0.0


def run_workers(env: dict, count: int, workdir: Path, profile: Path | None = None) -> float:
    """`count` workers in batch mode until the queue is empty; wall seconds."""
    began = time.perf_counter()
    procs = []
    for n in range(count):
        command = WORKER + ["--worker-id", f"bench-{n}", "-v0"]
        if profile and n == 0:
            command = [sys.executable, "-m", "cProfile", "-o", str(profile)] + command[1:]
        log = (workdir / f"worker-{n}.log").open("ab")
        procs.append((subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log), log))
    try:
        for proc, log in procs:
            proc.wait()
            log.close()
    finally:
        for proc, _ in procs:
            if proc.poll() is None:
                proc.terminate()
                proc.wait()
    bad = [proc.returncode for proc, _ in procs if proc.returncode]
    if bad:
        raise BenchError(f"a worker exited with {bad}; see {workdir}/worker-*.log")
    return time.perf_counter() - began


def task_figures(target: str, task_path: str | None, wall_s: float) -> Applied:
    from django.db.models import Max, Min
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.all()
    if task_path:
        rows = rows.filter(task_path=task_path)
    span = rows.aggregate(first=Min("started_at"), last=Max("finished_at"))
    window = (span["last"] - span["first"]).total_seconds() if span["first"] else 0.0
    return Applied(
        target=target,
        tasks=rows.filter(status="SUCCESSFUL").count(),
        window_s=window,
        wall_s=wall_s,
        failed=rows.exclude(status="SUCCESSFUL").count(),
    )


def apply(env: dict, workers: int, workdir: Path, profile: Path | None) -> list[Applied]:
    """Run the workers over the queue: the stored events' tasks first (the queue is in
    enqueue order), then the tasks those enqueued. Figures per task, then for all."""
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    wall = run_workers(env, workers, workdir, profile)
    if settings.TASK_BACKEND == "rq":  # RQ keeps no table of results: the events' own times
        return [events_figures(wall), rq_failures(wall)]
    paths = DBTaskResult.objects.values_list("task_path", flat=True).distinct()
    rows = [events_figures(wall)]
    rows += [task_figures(path, path, wall) for path in sorted(set(paths))]
    return rows + [task_figures("all tasks", None, wall)]


def rq_failures(wall: float) -> Applied:
    """The tasks RQ failed (its failed registry), as the db run's "all tasks" row."""
    import django_rq
    from rq.registry import FailedJobRegistry

    failed = len(FailedJobRegistry(queue=django_rq.get_queue("default")))
    return Applied(target="all tasks", tasks=0, window_s=0.0, wall_s=wall, failed=failed)


def events_figures(wall: float) -> Applied:
    """Events applied, from the events' own applied_at: the drains apply many per task."""
    from django.db.models import Max, Min

    from contributions.models import ProviderEvent

    applied = ProviderEvent.objects.filter(applied_at__isnull=False)
    span = applied.aggregate(first=Min("applied_at"), last=Max("applied_at"))
    window = (span["last"] - span["first"]).total_seconds() if span["first"] else 0.0
    return Applied(
        target="events applied",
        tasks=applied.count(),
        window_s=window,
        wall_s=wall,
        failed=ProviderEvent.objects.exclude(error="").count(),
    )


def reference_apply(env: dict, workers: int, workdir: Path, count: int) -> Applied:
    """The same workers running `count` tasks that do one INSERT each."""
    from django.db import transaction

    (workdir / "bench_reference_tasks.py").write_text(REFERENCE_TASKS)
    sys.path.insert(0, str(workdir))
    from bench_reference_tasks import insert_one

    with transaction.atomic():
        for n in range(count):
            insert_one.enqueue(n)
    env = env | {"PYTHONPATH": f"{ROOT}{os.pathsep}{workdir}"}
    wall = run_workers(env, workers, workdir)
    return task_figures("one INSERT", "bench_reference_tasks.insert_one", wall)


# Checks ----------------------------------------------------------------------------------


def check_ledger(count: int, stored: int) -> list[str]:
    """What is wrong with the ledger and the events after the run (nothing, if empty)."""
    from django.db.models import Count, Sum

    from contributions.models import LedgerEntry, Payment, ProviderEvent

    charges = LedgerEntry.objects.filter(kind="charge")
    per_payment = charges.values("payment").annotate(n=Count("pk")).filter(n__gt=1).count()
    found = {
        "charge entries": (charges.count(), count),
        "charged total": (charges.aggregate(t=Sum("amount"))["t"], 1000 * count),
        "payments charged twice": (per_payment, 0),
        "payments succeeded": (Payment.objects.filter(status="succeeded").count(), count),
        "events stored": (ProviderEvent.objects.count(), stored),
        "events not applied": (ProviderEvent.objects.filter(applied_at=None).count(), 0),
    }
    return [f"{what}: {got}, expected {want}" for what, (got, want) in found.items() if got != want]


def queries_per_event() -> dict:
    """SQL statements for one more webhook: received, then applied in this process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from contributions import tasks
    from contributions.models import ProviderEvent
    from readerfund.wsgi import application

    (payment,) = make_first_payments(make_contributions(1, prefix="sample"))
    body = json.dumps(intent_succeeded("evt_bench_sample", "pi_bench_sample", payment)).encode()
    with CaptureQueriesContext(connection) as received:
        wsgi_post(application, "/webhooks/stripe", body, {"Stripe-Signature": signature(body)})
    with CaptureQueriesContext(connection) as alone:
        tasks.apply_pending_events.call()
    # A drain's full batch, as a burst gives it.
    payments = make_first_payments(make_contributions(tasks.DRAIN_BATCH, prefix="batch"))
    ProviderEvent.objects.bulk_create(
        ProviderEvent(
            provider="stripe",
            event_id=f"evt_bench_batch_{n}",
            type="payment_intent.succeeded",
            payload=intent_succeeded(f"evt_bench_batch_{n}", f"pi_bench_batch_{n}", payment),
        )
        for n, payment in enumerate(payments)
    )
    with CaptureQueriesContext(connection) as batch:
        tasks.apply_pending_events.call()
    return {
        "receive": len(received),
        "apply alone": len(alone),
        "apply in a full batch": round(len(batch) / tasks.DRAIN_BATCH, 2),
    }


# Report ----------------------------------------------------------------------------------


def machine() -> dict:
    version = subprocess.run(
        ["psql", *PG, "-XAtc", "SHOW server_version", "postgres"], capture_output=True, text=True
    ).stdout.strip()
    return common.machine(postgresql=version) | {"load_average": os.getloadavg()}


def print_report(report: dict) -> None:
    box = report["machine"]
    print(
        f"\nmachine: {box['nproc']} CPUs, {box['cpu']}, Python {box['python']}, "
        f"PostgreSQL {box['postgresql']}, {box['date']}\n"
        f"CPU busy before: {box['cpu_busy_before_percent']:.0f}%, load average "
        f"{'/'.join(f'{x:.1f}' for x in box['load_average'])} (others share the machine)"
    )
    print(f"command: {report['command']}")
    print(
        f"{report['events']:,} events + {report['duplicates']:,} duplicates; "
        f"{report['workers']} {report['task_backend']} worker process(es)\n"
    )
    rows = report["receive"]
    print(f"{'receive (in-process WSGI)':<34} {'requests':>9} {'seconds':>8} {'per s':>8}")
    for name, row in rows.items():
        print(f"{name:<34} {row['requests']:>9,} {row['seconds']:>8.2f} {row['per_s']:>8,.0f}")
    print(f"ratio webhook/reference: {report['receive_ratio']:.2f}\n")
    header = f"{'apply (readerfund worker --batch)':<44} {'tasks':>7} {'failed':>6}"
    print(f"{header} {'seconds':>8} {'per s':>8}")
    for row in report["apply"]:
        print(
            f"{row['target']:<44} {row['tasks']:>7,} {row['failed']:>6,} "
            f"{row['window_s']:>8.2f} {row['per_s']:>8,.0f}"
        )
    everything = next(row for row in report["apply"] if row["target"] == "all tasks")
    if report["apply_ratio"]:
        print(f"ratio events applied/one-INSERT task: {report['apply_ratio']:.2f}")
    if everything["window_s"]:  # RQ keeps no task table to time every task by
        print(
            f"events applied with every task they cause: "
            f"{report['stored'] / everything['window_s']:,.0f}/s; worker wall time (start-up "
            f"included): {everything['wall_s']:.1f} s"
        )
    print(f"SQL statements per event: {report['queries_per_event']}")
    problems = report["ledger_problems"]
    print("ledger: " + ("; ".join(problems) if problems else "exactly one charge per payment"))
    applied = report["apply"][0]["per_s"]
    verdict = "met" if applied >= TARGET_APPLIED_PER_S else "NOT met"
    print(f"target (>= {TARGET_APPLIED_PER_S} events applied/s): {verdict}")


# Main ------------------------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument(
        "--duplicates", type=int, help="Extra deliveries (default: a tenth of --events)."
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="Worker processes (`readerfund serve` runs one)."
    )
    parser.add_argument("--keep-db", action="store_true", help="Do not drop the database.")
    parser.add_argument(
        "--no-reference", action="store_true", help="Skip the one-INSERT tasks (quicker)."
    )
    parser.add_argument("--profile", type=Path, help="cProfile the first worker into PATH.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    parser.add_argument(
        "--task-backend",
        choices=["db", "rq"],
        default="db",
        help="rq: the tasks wait in a private redis-server (READERFUND_TASK_BACKEND=rq); "
        "no reference run then.",
    )
    args = parser.parse_args(argv)
    if args.task_backend == "rq":
        args.no_reference = True
    if args.duplicates is None:
        args.duplicates = args.events // 10
    return args


def bench(args: argparse.Namespace, workdir: Path, database_url: str) -> dict:
    with task_queue(args.task_backend, workdir) as extra:
        return _bench(args, workdir, bench_env(database_url, workdir / "data", extra))


@contextlib.contextmanager
def task_queue(backend: str, workdir: Path):
    """The environment of the task backend: nothing more for db; for rq, a private
    redis-server for the queue only (caches stay files, as in the db run)."""
    if backend == "db":
        yield {}
        return
    port = _free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(workdir)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        yield {
            "READERFUND_TASK_BACKEND": "rq",
            "READERFUND_TASKS_REDIS_URL": f"redis://127.0.0.1:{port}/0",
        }
    finally:
        server.terminate()
        server.wait(10)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _bench(args: argparse.Namespace, workdir: Path, env: dict) -> dict:
    box = machine()
    began = time.perf_counter()
    print("migrating a throwaway database ...", flush=True)
    setup_django(env)
    print(f"  {time.perf_counter() - began:.1f} s; {args.events:,} contributions ...", flush=True)
    payments = make_first_payments(make_contributions(args.events))
    deliveries = plan_deliveries(payments, args.duplicates)
    print(f"receiving {len(deliveries):,} webhooks ...", flush=True)
    hook, ref = receive(deliveries)
    if hook.errors or ref.errors:
        raise BenchError(f"non-200 answers: webhook {hook.errors}, reference {ref.errors}")
    if hook.duplicates != args.duplicates // 2:
        raise BenchError(f"{hook.duplicates} duplicates answered, {args.duplicates // 2} sent")
    print(f"applying with {args.workers} {args.task_backend} worker(s) ...", flush=True)
    _close_django_connections()
    applied = apply(env, args.workers, workdir, args.profile)
    stored = args.events + args.duplicates - args.duplicates // 2
    problems = check_ledger(args.events, stored)
    failed = sum(row.failed for row in applied if row.target == "all tasks")
    problems += [f"{failed} tasks failed (see DBTaskResult.traceback)"] if failed else []
    floor = (
        None if args.no_reference else reference_apply(env, args.workers, workdir, applied[0].tasks)
    )
    return {
        "machine": box,
        "command": command_line(),
        "events": args.events,
        "duplicates": args.duplicates,
        "stored": stored,
        "workers": args.workers,
        "task_backend": args.task_backend,
        "receive": {
            "webhook /webhooks/stripe": asdict(hook) | {"per_s": hook.per_s},
            "reference: one INSERT view": asdict(ref) | {"per_s": ref.per_s},
        },
        "receive_ratio": hook.per_s / ref.per_s,
        "apply": [asdict(a) | {"per_s": a.per_s} for a in (*applied, floor) if a],
        "apply_ratio": applied[0].per_s / floor.per_s if floor else None,
        "queries_per_event": queries_per_event(),
        "ledger_problems": problems,
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    raise_on_sigterm()
    workdir = Path(tempfile.mkdtemp(prefix="readerfund-bench-webhooks-"))
    try:
        with throwaway_database(args.keep_db) as database_url:
            report = bench(args, workdir, database_url)
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return 1 if report["ledger_problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
