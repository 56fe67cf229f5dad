"""Periodic work: each worker ticks once a minute, and each slot of each periodic task (the
charge_renewals of 14:00) runs once across every worker, whichever the task backend.

The claim is a row in the database (readerfund.models.ScheduledRun), not the cache: it
outlives a Redis restart. A tick claims a slot with a conditional UPDATE (only a slot that is
not finished and whose lease has run out) and a fresh token, and enqueues `run_scheduled`
with that token. The run first takes the slot for itself (token still its own, lease renewed
from its start), runs the task and marks the slot finished. So:
- two workers ticking at once: one UPDATE matches, one task is enqueued;
- a job that waited in the queue past its lease: the next tick claimed the slot again with a
  new token, and the late job finds the token changed and does nothing;
- a worker killed mid-run: the slot stays unfinished; when its lease runs out, the next tick
  claims it again and another worker runs it.
A run that outlives its lease while alive may be joined by a second one; every periodic
task claims its own work row by row, so that changes nothing (docs/SCALING.md).
"""

import logging
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

log = logging.getLogger(__name__)

# (dotted path of a django-tasks task, every N seconds, lease in seconds)
SCHEDULE = [
    ("contributions.tasks.charge_renewals", 3600, 900),
    ("contributions.tasks.reconcile_payments", 3600, 900),
    ("contributions.tasks.notify_annual_renewals", 3600, 900),
    ("contributions.tasks.sweep_deliveries", 300, 240),
    ("reminders.tasks.send_due_reminders", 3600, 900),
    ("readerfund.tasks.prune_task_results", 86400, 1800),
    ("contributions.tasks.erase_abandoned_contributors", 86400, 1800),
    ("contributions.tasks.prune_provider_events", 86400, 1800),
]
LEASES = {path: lease for path, _, lease in SCHEDULE}


def lease_of(path: str) -> timedelta:
    """The slot's lease: the task's own, or READERFUND_SCHEDULE_LEASE_LIMIT when shorter."""
    lease, limit = LEASES.get(path, 900), settings.SCHEDULE_LEASE_LIMIT
    return timedelta(seconds=min(lease, limit) if limit else lease)


def tick(now: float | None = None) -> list[str]:
    """Claim and enqueue every scheduled task whose current slot is neither finished nor
    claimed by a live lease. Returns the paths enqueued."""
    from readerfund.models import ScheduledRun

    now = time.time() if now is None else now
    moment = datetime.fromtimestamp(now, UTC)
    slots = [(path, int(now // every), lease_of(path)) for path, every, _ in SCHEDULE]
    never = datetime(1970, 1, 1, tzinfo=UTC)
    ScheduledRun.objects.bulk_create(
        [ScheduledRun(task=path, slot=slot, claimed_until=never) for path, slot, _ in slots],
        ignore_conflicts=True,
    )
    enqueued = []
    for path, slot, lease in slots:
        token = secrets.token_hex(16)
        claimed = ScheduledRun.objects.filter(
            task=path, slot=slot, finished_at__isnull=True, claimed_until__lt=moment
        ).update(token=token, claimed_until=moment + lease, claims=F("claims") + 1)
        if claimed:
            # Should this fail (Redis away, with the rq backend), the lease runs out and a
            # later tick claims the slot again.
            run_scheduled.enqueue(path, slot, token)
            enqueued.append(path)
    return enqueued


@task()
def run_scheduled(path: str, slot: int, token: str) -> bool:
    """The task a tick enqueues: one slot of a periodic task (see run)."""
    return run(path, slot, token)


def run(path: str, slot: int, token: str) -> bool:
    """Run the slot's task if the claim is still this token's; False when it was not."""
    from readerfund.models import ScheduledRun

    mine = ScheduledRun.objects.filter(task=path, slot=slot, token=token, finished_at__isnull=True)
    if not mine.update(claimed_until=timezone.now() + lease_of(path), runs=F("runs") + 1):
        return False  # finished already, or claimed again after this job's lease ran out
    import_string(path).call()
    mine.update(finished_at=timezone.now())
    return True


def run_forever(interval: float = 60.0, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            tick()
        except Exception:  # keep ticking; the next minute may work
            log.exception("schedule: could not enqueue periodic tasks")
        stop.wait(interval)


def start_in_background(interval: float = 60.0) -> threading.Thread:
    thread = threading.Thread(target=run_forever, args=(interval,), daemon=True, name="schedule")
    thread.start()
    return thread
