"""`readerfund worker`: runs background tasks (django-tasks, database backend)."""

import logging

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker


class Command(DatabaseWorker):
    help = "Run the background task worker. Same options as django-tasks-db's db_worker."

    def configure_logging(self, verbosity: int) -> None:
        # db_worker logs every task at the default verbosity and hides failures at 0.
        # Here failures always show; one line per task only with -v 2.
        super().configure_logging(verbosity)
        if verbosity < 2:
            logging.getLogger("django_tasks").setLevel(logging.WARNING)
            logging.getLogger("django_tasks_db").setLevel(logging.INFO)
