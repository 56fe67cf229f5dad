import datetime

from django.core.management.base import BaseCommand, CommandError

from reminders import services


class Command(BaseCommand):
    help = (
        "Send the reminders due (each once; safe to run in several processes at once) and "
        "erase those finished more than 30 days ago."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD: send what is due on or before this day")
        parser.add_argument("--batch-size", type=int, default=services.BATCH_SIZE)

    def handle(self, *args, date=None, batch_size=services.BATCH_SIZE, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"{date!r} is not a date: use YYYY-MM-DD") from None
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        erased = services.erase_expired()
        try:
            counts = services.send_due(day, batch_size=batch_size)
        except services.MailServerUnavailable as error:
            raise CommandError(
                f"the mail server failed ({error}); what was not sent is sent by a later run"
            ) from None
        counts["erased"] = erased
        self.stdout.write(", ".join(f"{key} {value}" for key, value in counts.items()))
