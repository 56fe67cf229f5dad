from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contributions.export import write_csv
from privacy import audit


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: use YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Write ledger entries as CSV to stdout, for accounting."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="YYYY-MM-DD, inclusive")
        parser.add_argument("--until", help="YYYY-MM-DD, inclusive (default: today)")
        parser.add_argument("--with-donors", action="store_true", help="add email and name columns")

    def handle(self, *args, since, until, with_donors, **options):
        start, end = _day(since), _day(until) if until else None
        if end and end < start:
            raise CommandError("--until is before --since")
        self.stdout.ending = ""  # the CSV writer ends its own lines
        with transaction.atomic():
            count = write_csv(self.stdout, start, end, with_donors=with_donors)
            if with_donors:  # personal data left the system: the audit log keeps that it did
                audit.record(
                    audit.Action.EXPORT_DONORS,
                    via=audit.Via.COMMAND,
                    since=start.isoformat(),
                    until=end.isoformat() if end else "",
                    entries=count,
                )
        self.stderr.write(f"{count} entries")
