"""Periodic work: each worker ticks once a minute; a slot is enqueued by one worker only.

The slot is claimed with `cache.add` (atomic in Redis and, per machine, in the file cache),
and every periodic task is safe to run twice, so an occasional double run changes nothing.
"""

import logging
import threading
import time

from django.core.cache import cache
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

# (dotted path of a django-tasks task, every N seconds)
SCHEDULE = [
    ("contributions.tasks.charge_renewals", 3600),
    ("contributions.tasks.reconcile_payments", 3600),
    ("reminders.tasks.send_due_reminders", 3600),
    ("readerfund.tasks.prune_task_results", 86400),
]


def tick(now: float | None = None) -> list[str]:
    """Enqueue every scheduled task whose slot has started and not been claimed yet."""
    now = time.time() if now is None else now
    enqueued = []
    for path, every in SCHEDULE:
        slot = int(now // every)
        if cache.add(f"schedule:{path}:{slot}", 1, timeout=every * 2):
            import_string(path).enqueue()
            enqueued.append(path)
    return enqueued


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
