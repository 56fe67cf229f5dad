import datetime

from django.core.management.base import BaseCommand, CommandError

from contributions.services import renewals


class Command(BaseCommand):
    help = "Charge recurring contributions due, and failed renewals due a retry. Safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD: charge what is due by this day")

    def handle(self, *args, date=None, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"{date!r} is not a date: use YYYY-MM-DD") from None
        counts = renewals.charge_due(day)
        self.stdout.write(", ".join(f"{key} {value}" for key, value in counts.items()))
