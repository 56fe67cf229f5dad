"""Bank statement lines per second: read, matched and stored, then applied to the ledger;
and the same statement imported again (every line already there), against reading the file
alone (the floor: parsing, no database).

Run from the repository root:

    .venv/bin/python bench/statements.py [--lines 5000] [--json PATH]

In process, on SQLite in a throwaway data dir (the embedded default): `--lines` monthly
bank-transfer contributions, each with its reference code and a claimed first payment, made
in bulk; a CSV statement with one credit line quoting each code. Then: read the file alone
(`statements.read`), import it (`services.statements.import_statement`: read, match, store
one event per line), apply the stored events (`tasks.apply_pending_events`, as the worker
does), import it again. The ledger must then hold exactly one charge per line; the exit
status is 1 if not.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.common import command_line, machine  # noqa: E402


def setup(data_dir: str) -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG"):
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="readerfund.settings",
        READERFUND_DATA_DIR=data_dir,
        READERFUND_BANK_IBAN="XX00 0000 0000 0000 0000 00",
        READERFUND_BANK_CURRENCIES="EUR",
        READERFUND_LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.conf import settings

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_gifts(count: int) -> list[str]:
    from django.utils import timezone

    from contributions.models import Contribution, Contributor, Payment
    from contributions.providers.bank.provider import new_code
    from privacy.crypto import email_index

    donor = Contributor.objects.create(
        email="bench@example.org", email_index=email_index("bench@example.org")
    )
    codes = [new_code() for _ in range(count)]
    gifts = Contribution.objects.bulk_create(
        Contribution(
            contributor=donor,
            frequency="monthly",
            amount=1500,
            currency="EUR",
            provider="bank",
            payment_method=code,
        )
        for code in codes
    )
    Payment.objects.bulk_create(
        Payment(
            contribution=gift, period=0, due_on=timezone.localdate(), amount=1500, currency="EUR"
        )
        for gift in gifts
    )
    return codes


def statement(codes: list[str]) -> bytes:
    rows = ["Date,Amount,Currency,Reference,Transaction ID"]
    rows += [f"2026-12-03,15.00,EUR,Standing order {code},T{n}" for n, code in enumerate(codes)]
    return ("\n".join(rows) + "\n").encode()


def timed(label: str, lines: int, run) -> dict:
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    figure = {"step": label, "seconds": round(seconds, 3), "lines_per_s": round(lines / seconds)}
    print(f"  {label:<28} {seconds:7.2f} s  {figure['lines_per_s']:>8,} lines/s")
    return {**figure, "result": result}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="readerfund-bench-statements-") as data_dir:
        setup(data_dir)
        from contributions import tasks
        from contributions.models import LedgerEntry
        from contributions.providers.bank import statements as reader
        from contributions.services import statements

        data = statement(make_gifts(options.lines))
        n = options.lines
        print(f"{command_line()}\n{n} lines, SQLite, in process")
        steps = [
            timed("read only (floor)", n, lambda: len(reader.read(data, "s.csv"))),
            timed(
                "import: read, match, store",
                n,
                lambda: statements.import_statement("bank", data, "s.csv").new,
            ),
            timed("apply (the worker's drain)", n, lambda: tasks.apply_pending_events.call()),
            timed(
                "import again (all known)",
                n,
                lambda: statements.import_statement("bank", data, "s.csv").already,
            ),
        ]
        charges = LedgerEntry.objects.filter(kind="charge").count()
        floor = steps[0]["seconds"]
        print(
            f"  import costs {steps[1]['seconds'] / floor:.1f}× reading alone; "
            f"ledger: {charges} charges for {n} lines"
        )
        if options.json:
            options.json.write_text(json.dumps({"machine": machine(), "steps": steps}, indent=1))
        return 0 if charges == n else 1


if __name__ == "__main__":
    sys.exit(main())
