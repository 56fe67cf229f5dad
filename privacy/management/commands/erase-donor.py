"""`readerfund erase-donor EMAIL`: erase what we hold about one donor, for a request by mail."""

from django.core.management.base import BaseCommand

from privacy import erasure


class Command(BaseCommand):
    help = (
        "Erase one person's data: stop their recurring contributions, erase their email and "
        "name, delete their reminders. Contributions, payments and the ledger stay. Prints "
        "counts only. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The address the person gave (as they typed it).")

    def handle(self, *args, email, **options):
        counts = erasure.erase_email(email)
        for name, count in counts.items():
            self.stdout.write(f"{name.replace('_', ' ')}: {count}")
        if not any(counts.values()):
            self.stdout.write("Nothing held for this address (or it was erased already).")
