"""Reminders at scale: 100,000 due on one day, sent to a local SMTP server.

Run from the repository root (needs a PostgreSQL server; the bench creates its own database
and drops it on exit, Ctrl-C included):

    .venv/bin/python bench/reminders.py [--reminders 100000] [--workers 1] [--batch-size 200]
        [--server postgres://root@127.0.0.1:5432] [--smtp-port 8725] [--json PATH]

The reminders are stored as signups store them (encrypted address, keyed hash, random code,
a choice to prefill), all due on 1 December 2026. An aiosmtpd server runs in its own process
on 127.0.0.1 and counts what it receives, by Message-ID. Then `readerfund send-reminders
--date 2026-12-01` runs in --workers processes at once, exactly as cron would run it, while
this script samples each worker's resident memory (VmRSS) every second. Targets: all sent
within 5 minutes, each exactly once, and memory flat (the last sample within 10 MB of the
sample taken 10 seconds in).
"""

import argparse
import asyncio
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 300.0
FLAT_MB = 10.0
DAY = datetime.date(2026, 12, 1)
DATABASE = f"readerfund_bench_reminders_{os.getpid()}"
CHILDREN: list[subprocess.Popen] = []  # killed on the way out, Ctrl-C included


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--server", default="postgres://root@127.0.0.1:5432")
    parser.add_argument("--smtp-port", type=int, default=8725)
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    parser.add_argument("--smtp-server", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# The SMTP server (its own process) -------------------------------------------------------------


class Counting:
    def __init__(self):
        self.received = 0
        self.ids: set[str] = set()
        self.duplicates = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        for line in envelope.content.splitlines():
            if line[:11].lower() == b"message-id:":
                message_id = line[11:].strip()
                if message_id in self.ids:
                    self.duplicates += 1
                self.ids.add(message_id)
                break
        return "250 Message accepted for delivery"


def serve_smtp(port: int, report: Path) -> None:
    from aiosmtpd.controller import Controller

    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port, server_hostname="bench")
    controller.start()
    stop = asyncio.Event()

    def write_and_stop(*_):
        figures = {
            "received": handler.received,
            "unique_message_ids": len(handler.ids),
            "duplicates": handler.duplicates,
        }
        report.write_text(json.dumps(figures))
        controller.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, write_and_stop)
    while not stop.is_set():
        time.sleep(3600)


# The bench -------------------------------------------------------------------------------------


def setup_django(server: str, smtp_port: int) -> dict:
    env = {
        "DATABASE_URL": f"{server}/{DATABASE}",
        "READERFUND_DATA_DIR": tempfile.mkdtemp(prefix="readerfund-bench-reminders-"),
        "READERFUND_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "READERFUND_SITE_URL": "https://news.example.org",
        "READERFUND_ALLOWED_HOSTS": "news.example.org",
        "DJANGO_SETTINGS_MODULE": "readerfund.settings",
    }
    os.environ.update(env)
    for name in ("REDIS_URL", "DEBUG"):
        os.environ.pop(name, None)
    import django

    django.setup()
    return env


def store_reminders(count: int) -> float:
    """count reminders due on DAY, stored as sign_up stores them and confirmed by their
    readers; returns seconds taken."""
    from django.utils import timezone

    from privacy.crypto import email_index
    from reminders.models import Reminder, new_code

    now = timezone.now()

    started = time.perf_counter()
    chunk = 5000
    for start in range(0, count, chunk):
        rows = []
        for n in range(start, min(start + chunk, count)):
            email = f"reader{n}@example.org"
            rows.append(
                Reminder(
                    email=email,
                    email_index=email_index(email),
                    remind_on=DAY,
                    code=new_code(),
                    confirmed_at=now,
                    frequency="monthly",
                    amount=500 + n % 20 * 100,
                    currency="USD",
                    appeal="end-of-article",
                    variant="a" if n % 2 else "b",
                )
            )
        Reminder.objects.bulk_create(rows)
    return time.perf_counter() - started


def rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a running process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_workers(env: dict, workers: int, batch_size: int | None) -> dict:
    command = [sys.executable, "-m", "readerfund.cli", "send-reminders", "--date", str(DAY)]
    if batch_size:
        command += ["--batch-size", str(batch_size)]
    started = time.perf_counter()
    processes = [
        subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.PIPE, text=True)
        for _ in range(workers)
    ]
    CHILDREN.extend(processes)
    samples = {process.pid: [] for process in processes}  # (seconds, MB)
    cpu = {}
    while any(process.poll() is None for process in processes):
        for process in processes:
            mb = rss_mb(process.pid) if process.poll() is None else None
            if mb is not None:
                samples[process.pid].append((round(time.perf_counter() - started, 1), mb))
                cpu[process.pid] = cpu_seconds(process.pid) or cpu.get(process.pid)
        time.sleep(1)
    elapsed = time.perf_counter() - started
    outputs = [process.communicate()[0].strip() for process in processes]
    codes = [process.returncode for process in processes]
    return {
        "seconds": elapsed,
        "samples": samples,
        "outputs": outputs,
        "codes": codes,
        "cpu": {str(pid): round(seconds, 1) for pid, seconds in cpu.items()},
    }


def memory_summary(samples: list[tuple[float, float]]) -> dict:
    after_warmup = [mb for seconds, mb in samples if seconds >= 10] or [mb for _, mb in samples]
    return {
        "at_10s_mb": round(after_warmup[0], 1),
        "last_mb": round(after_warmup[-1], 1),
        "peak_mb": round(max(mb for _, mb in samples), 1),
        "growth_after_10s_mb": round(after_warmup[-1] - after_warmup[0], 1),
        # One sample in ten, to show the curve.
        "every_10th_sample": [round(mb, 1) for _, mb in samples[::10]],
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.smtp_server:
        serve_smtp(args.smtp_port, args.report)
        return 0
    admin = psycopg.connect(f"{args.server}/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{DATABASE}"')
    report = Path(tempfile.mkdtemp(prefix="readerfund-bench-smtp-")) / "report.json"
    smtp = None
    try:
        env = setup_django(args.server, args.smtp_port)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        stored = store_reminders(args.reminders)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reminders_reminder")  # as autovacuum would have by then
        connection.close()
        print(f"stored {args.reminders} reminders in {stored:.1f} s", flush=True)
        smtp = subprocess.Popen(
            [sys.executable, __file__, "--smtp-server", "--smtp-port", str(args.smtp_port)]
            + ["--report", str(report)]
        )
        time.sleep(1.5)
        run = run_workers(env, args.workers, args.batch_size)
        smtp_cpu = cpu_seconds(smtp.pid)
        smtp.send_signal(signal.SIGTERM)
        smtp.wait(timeout=30)
        received = json.loads(report.read_text())
        from django.db.models import Count

        from reminders.models import Reminder

        left = dict(Reminder.objects.values_list("status").annotate(n=Count("pk")))
        connection.close()
    finally:
        for child in [*CHILDREN, smtp]:
            if child and child.poll() is None:
                child.kill()
                child.wait()
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.close()
    figures = {
        "date": "2026-11-28",
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}",
        "reminders": args.reminders,
        "workers": args.workers,
        "batch_size": args.batch_size,
        "store_seconds": round(stored, 1),
        "send_seconds": round(run["seconds"], 1),
        "per_second": round(args.reminders / run["seconds"]),
        "worker_outputs": run["outputs"],
        "worker_exit_codes": run["codes"],
        "smtp": received,
        "cpu_seconds": {"workers (each, to their last second)": run["cpu"], "smtp": smtp_cpu},
        "statuses_after": left,
        "memory": {str(pid): memory_summary(s) for pid, s in run["samples"].items() if s},
    }
    ok = (
        run["seconds"] < TARGET_SECONDS
        and received["received"] == received["unique_message_ids"] == args.reminders
        and left == {"sent": args.reminders}
        and all(abs(m["growth_after_10s_mb"]) <= FLAT_MB for m in figures["memory"].values())
    )
    figures["targets_met"] = ok
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
