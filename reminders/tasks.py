"""Background work for reminders. Safe to run twice, and in several workers at once."""

from django_tasks import task

from reminders import services


@task()
def send_due_reminders() -> dict:
    """Erase expired reminders, then send those due (readerfund/schedule.py runs it every
    hour: a reminder goes out in the first run from 08:00 on its day, and a worker that was
    down catches up at its next run)."""
    return services.run_daily()
