"""Housekeeping of the task queue itself."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

KEEP_SUCCESSFUL = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)  # long enough to look into a failure
PRUNE_CHUNK = 10_000  # rows per DELETE, so a long-neglected queue never holds a huge lock


@task()
def prune_task_results() -> int:
    """Delete finished rows of the database queue: successful ones after a week, failed ones
    after a month. Left alone, the table grows by several rows per gift and the queue slows
    (bench/RESULTS.md). Returns how many rows went."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    done = DBTaskResult.objects.filter(
        Q(status="SUCCESSFUL", finished_at__lte=now - KEEP_SUCCESSFUL)
        | Q(status="FAILED", finished_at__lte=now - KEEP_FAILED)
    )
    deleted = 0
    while ids := list(done.order_by().values_list("pk", flat=True)[:PRUNE_CHUNK]):
        deleted += DBTaskResult.objects.filter(pk__in=ids).delete()[0]
    return deleted
