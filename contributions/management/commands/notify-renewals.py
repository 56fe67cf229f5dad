import datetime

from django.core.management.base import BaseCommand, CommandError

from contributions.services import renewals


class Command(BaseCommand):
    help = "Email annual donors whose renewal is 7 days away or less, once per renewal."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD: as if today were this day")

    def handle(self, *args, date=None, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"{date!r} is not a date: use YYYY-MM-DD") from None
        self.stdout.write(f"notices queued {renewals.notify_annual_renewals(day)}")
