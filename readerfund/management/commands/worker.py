"""`readerfund worker`: runs background tasks and enqueues the periodic ones (renewals,
reconciliation, …) on schedule (readerfund/schedule.py).

With the database backend (the default) this is django-tasks-db's db_worker. With
READERFUND_TASK_BACKEND=rq it is an RQ worker on the Redis queue (readerfund/taskqueue.py)
that runs each task in its own process, as db_worker does: no fork per task, and database
connections checked before and after each one, as a web request's are.
"""

import argparse
import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker
from django_tasks_rq.backend import Job as RQJob
from rq.worker import SimpleWorker

from readerfund import schedule


def _schedule_arguments(parser) -> None:
    parser.add_argument("--no-schedule", action="store_true", help="Do not enqueue periodic tasks.")
    parser.add_argument(
        "--schedule-interval",
        type=float,
        default=60.0,
        help="Seconds between two looks at the schedule (tests shorten it).",
    )


class DatabaseCommand(DatabaseWorker):
    help = "Run the background task worker. Same options as django-tasks-db's db_worker."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        _schedule_arguments(parser)

    def handle(self, *args, no_schedule=False, schedule_interval=60.0, **options):
        if not no_schedule and not options.get("batch"):
            schedule.start_in_background(schedule_interval)
        return super().handle(*args, **options)

    def configure_logging(self, verbosity: int) -> None:
        # db_worker logs every task at the default verbosity and hides failures at 0.
        # Here failures always show; one line per task only with -v 2.
        super().configure_logging(verbosity)
        if verbosity < 2:
            logging.getLogger("django_tasks").setLevel(logging.WARNING)
            logging.getLogger("django_tasks_db").setLevel(logging.INFO)


class RQCommand(BaseCommand):
    help = "Run the background task worker on the Redis queue (READERFUND_TASK_BACKEND=rq)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument("--worker-id", help="The worker's name in RQ (unique).")
        # db_worker's options that mean nothing here, so that the same command line runs both.
        parser.add_argument("--no-startup-delay", action="store_true", help=argparse.SUPPRESS)
        _schedule_arguments(parser)

    def handle(
        self,
        *args,
        batch=False,
        worker_id=None,
        no_schedule=False,
        schedule_interval=60.0,
        **options,
    ):
        import django_rq

        if not no_schedule and not batch:
            schedule.start_in_background(schedule_interval)
        level = logging.INFO if options["verbosity"] >= 2 else logging.WARNING
        logging.getLogger("rq.worker").setLevel(level)
        worker = django_rq.get_worker(*settings.RQ_QUEUES, worker_class=TaskWorker, job_class=RQJob)
        close_old_connections()
        worker.work(burst=batch, logging_level=logging.getLevelName(level))


Command = RQCommand if settings.TASK_BACKEND == "rq" else DatabaseCommand


class TaskWorker(SimpleWorker):
    """RQ's worker without a fork per task; connections as fresh as a request's."""

    def execute_job(self, job, queue):
        close_old_connections()
        try:
            return super().execute_job(job, queue)
        finally:
            close_old_connections()
