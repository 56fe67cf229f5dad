from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from readerfund import schedule, tasks


def test_each_periodic_slot_is_enqueued_by_one_worker_only(db):
    first = schedule.tick(now=7200.0)
    second = schedule.tick(now=7230.0)  # another worker, same hour
    assert set(first) == {path for path, _, _ in schedule.SCHEDULE}
    assert second == []
    hourly = {path for path, every, _ in schedule.SCHEDULE if every <= 3600}
    assert set(schedule.tick(now=7200.0 + 3600)) == hourly
    assert set(schedule.tick(now=7200.0 + 3600 + 300)) == {"contributions.tasks.sweep_deliveries"}
    assert set(schedule.tick(now=86400.0)) == set(first)  # the next day: the daily ones too


def test_finished_task_rows_are_pruned_after_a_week_failed_ones_after_a_month(db):
    now = timezone.now()

    def row(status, days_ago):
        finished = now - timedelta(days=days_ago) if status != "READY" else None
        return DBTaskResult.objects.create(
            status=status,
            finished_at=finished,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="contributions.tasks.send_receipts",
            backend_name="default",
            run_after=now,
        ).pk

    kept = {
        row("SUCCESSFUL", 6),
        row("FAILED", 29),
        row("READY", 0),
        row("RUNNING", 40),
    }
    row("SUCCESSFUL", 8)
    row("SUCCESSFUL", 400)
    row("FAILED", 31)
    assert tasks.prune_task_results.call() == 3
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == kept
    assert tasks.prune_task_results.call() == 0
