"""A task for tests/readerfund/test_task_backends.py: it leaves one row per number, and a
second run of the same number fails on the unique constraint, so a double run shows."""

from datetime import UTC, datetime

from django_tasks import task

from readerfund.models import ScheduledRun


@task()
def note(number: int) -> int:
    ScheduledRun.objects.create(
        task="tests.note", slot=number, claimed_until=datetime(1970, 1, 1, tzinfo=UTC)
    )
    return number
