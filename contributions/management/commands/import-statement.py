from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contributions import tasks
from contributions.services import statements
from privacy import audit


class Command(BaseCommand):
    help = (
        "Import a bank statement (CSV with the columns of READERFUND_BANK_CSV_COLUMNS, or "
        "CAMT.053 XML): lines quoting a contribution's reference code become charges, once; "
        "importing the same statement again changes nothing. Unmatched lines are listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        names = statements.statement_providers()
        parser.add_argument("--provider", choices=names, default=names[0] if names else None)

    def handle(self, *args, file: Path, provider: str, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            result = statements.import_statement(provider, file.read_bytes(), file.name)
        except ValueError as error:
            raise CommandError(f"{file}: {error}") from None
        applied = tasks.apply_pending_events.call()
        audit.record(
            audit.Action.STATEMENT_IMPORT,
            via=audit.Via.COMMAND,
            lines=result.lines,
            new=result.new,
            already=result.already,
            unmatched=len(result.unmatched),
        )
        self.stdout.write(
            f"{result.lines} credit lines: {result.new} recorded now, {result.already} "
            f"recorded by an earlier import, {len(result.unmatched)} not matched "
            f"({applied} events applied)"
        )
        for line in result.unmatched:
            self.stdout.write(f"  not matched: {line.booked_on} {line.amount} {line.text!r}")
