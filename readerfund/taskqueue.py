"""Which task backend runs background work, and what waits in it.

READERFUND_TASK_BACKEND=db (the default) keeps tasks in the database (django-tasks-db):
nothing more to run, fine for most newsrooms. `rq` keeps them in Redis (django-tasks-rq, RQ
workers): the database queue slows as its table grows (bench/RESULTS.md), Redis does not.
Either way `readerfund worker` runs the tasks and the periodic work (readerfund/schedule.py),
and every task is safe to run twice.
"""

from datetime import datetime

from django.conf import settings


def backend() -> str:
    return settings.TASK_BACKEND


def waiting() -> tuple[int, datetime | None]:
    """How many tasks wait for a worker now, and when the oldest of them was enqueued."""
    if backend() == "rq":
        return _rq_waiting()
    from django.db.models import Count, Min
    from django_tasks_db.models import DBTaskResult

    figures = DBTaskResult.objects.ready().aggregate(count=Count("pk"), oldest=Min("enqueued_at"))
    return figures["count"], figures["oldest"]


def _rq_waiting() -> tuple[int, datetime | None]:
    import django_rq
    from rq.job import Job

    depth, oldest = 0, None
    for name in settings.RQ_QUEUES:
        queue = django_rq.get_queue(name)
        depth += queue.count
        first = queue.get_job_ids(0, 0)
        job = Job.fetch(first[0], connection=queue.connection) if first else None
        if job is not None and job.enqueued_at and (oldest is None or job.enqueued_at < oldest):
            oldest = job.enqueued_at
    if oldest is not None and oldest.tzinfo is None:
        from datetime import UTC

        oldest = oldest.replace(tzinfo=UTC)
    return depth, oldest
