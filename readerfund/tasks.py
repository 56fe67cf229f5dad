"""Housekeeping of the task queue itself, and the static copy's refresh after a publish."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from readerfund.models import ScheduledRun

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
    # Slots of periodic work: finished ones, and abandoned ones (claimed, never finished).
    old = now - KEEP_SUCCESSFUL
    ScheduledRun.objects.filter(
        Q(finished_at__lte=old) | Q(claims__gt=0, claimed_until__lte=old)
    ).delete()
    return deleted


@task()
def export_static_copy() -> int:
    """Bring the static copy in READERFUND_STATIC_EXPORT_DIR up to date (readerfund/export.py):
    what was published since the last export. Safe to run twice, or at once (every file is
    replaced whole). Returns how many files changed."""
    from readerfund.export import export_site

    if not settings.STATIC_EXPORT_DIR:
        return 0
    # In this process only: a worker runs threads, and a forked copy of a threaded process
    # may inherit a lock another thread held. After a publish there are a few pages.
    return export_site(Path(settings.STATIC_EXPORT_DIR), jobs=1).written
