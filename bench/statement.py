"""What a donor's yearly statement costs: the totals read from the ledger, the page, and the
PDF WeasyPrint draws, in process.

Run from the repository root:

    .venv/bin/python bench/statement.py [--payments 12] [--runs 20] [--json PATH]

A throwaway data dir (SQLite, migrated) gets one donor with a monthly gift and `--payments`
payments in one year, each with its ledger entry; then the statement is made `--runs` times
as data, as HTML and as PDF. Prints milliseconds per statement (median and worst). No
reference: the figure says whether a donor waits for their PDF, and what a flood of PDF
requests (each limited to a live manage session) would cost a web process.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.common import command_line, machine  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=12, help="Payments in the year.")
    parser.add_argument("--runs", type=int, default=20, help="Statements made of each kind.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    return parser.parse_args(argv)


def set_up(data_dir: Path, payments: int):
    for name in list(os.environ):
        if name.startswith("READERFUND_") or name in ("DATABASE_URL", "REDIS_URL"):
            del os.environ[name]
    os.environ |= {
        "READERFUND_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "readerfund.settings",
    }
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from contributions.models import Contribution, Contributor, LedgerEntry, Payment
    from privacy.crypto import email_index

    donor = Contributor.objects.create(
        email="bench@example.org", email_index=email_index("bench@example.org")
    )
    gift = Contribution.objects.create(
        contributor=donor, frequency="monthly", amount=1000, currency="USD", status="active",
        provider="stripe",
    )  # fmt: skip
    for period in range(payments):
        day = date(2026, 1 + period % 12, 1 + period // 12)
        payment = Payment.objects.create(
            contribution=gift, period=period, due_on=day, amount=1000, currency="USD",
            status="succeeded",
        )  # fmt: skip
        LedgerEntry.objects.create(
            kind="charge", contribution=gift, payment=payment, amount=1000, currency="USD",
            occurred_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
            source="stripe", reference=f"ch_{period}",
        )  # fmt: skip
    return donor


def timed(runs: int, make) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        make()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main(argv=None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="readerfund-bench-statement-") as folder:
        donor = set_up(Path(folder), args.payments)
        from django.template.loader import render_to_string

        from contributions import receipts
        from contributions.emails import newsroom_identity
        from contributions.pdf import html_to_pdf

        def data():
            return {"newsroom": newsroom_identity(), **receipts.statement(donor, 2026)}

        def html():
            return render_to_string("contributions/manage_statement.pdf.html", data())

        html_to_pdf(html())  # the first PDF loads Pango and the fonts: not counted
        figures = {
            "data_ms": timed(args.runs, data),
            "html_ms": timed(args.runs, html),
            "pdf_ms": timed(args.runs, lambda: html_to_pdf(html())),
        }
    summary = {
        name: {"median": round(statistics.median(t), 1), "max": round(max(t), 1)}
        for name, t in figures.items()
    }
    for name, values in summary.items():
        print(f"{name:8} median {values['median']:7.1f} ms   worst {values['max']:7.1f} ms")
    result = {"command": command_line(), "machine": machine(), "payments": args.payments,
              "runs": args.runs, **summary}  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
