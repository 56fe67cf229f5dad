"""`readerfund worker`: runs background tasks (django-tasks, database backend) and enqueues
the periodic ones (renewals, reconciliation) on schedule."""

import logging

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from readerfund.lib import schedule


class Command(DatabaseWorker):
    help = "Run the background task worker. Same options as django-tasks-db's db_worker."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule", action="store_true", help="Do not enqueue periodic tasks."
        )

    def handle(self, *args, no_schedule=False, **options):
        if not no_schedule and not options.get("batch"):
            schedule.start_in_background()
        return super().handle(*args, **options)

    def configure_logging(self, verbosity: int) -> None:
        # db_worker logs every task at the default verbosity and hides failures at 0.
        # Here failures always show; one line per task only with -v 2.
        super().configure_logging(verbosity)
        if verbosity < 2:
            logging.getLogger("django_tasks").setLevel(logging.WARNING)
            logging.getLogger("django_tasks_db").setLevel(logging.INFO)
