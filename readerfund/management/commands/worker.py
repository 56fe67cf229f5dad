from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker (django-tasks, database backend)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Exit when no task is left.")

    def handle(self, *args, interval, batch, **options):
        extra = ["--batch"] if batch else []
        call_command("db_worker", "--interval", str(interval), *extra)
