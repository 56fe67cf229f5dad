"""Background work on both task backends (database, RQ on Redis): real `readerfund worker`
processes, two at once; each task runs once, and each slot of the periodic work runs once
across the workers, also when a worker dies holding it."""

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test import override_settings

from readerfund import schedule
from readerfund.models import ScheduledRun
from tests.concurrency import needs_server_database
from tests.processes import stop_tree
from tests.redis_server import RedisServer, needs_redis_server

ROOT = Path(__file__).resolve().parents[2]
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
PERIODIC = {path for path, _, _ in schedule.SCHEDULE}


def _run_row(path, now):
    every = next(every for p, every, _ in schedule.SCHEDULE if p == path)
    return ScheduledRun.objects.get(task=path, slot=int(now // every))


@override_settings(TASKS=DUMMY)  # enqueued, never run: a worker that died holding the slot
def test_a_slot_held_by_a_dead_worker_is_claimed_again_after_its_lease(db):
    start = 7210.0  # ten seconds into an hour (of 1970: slots only count seconds)
    assert set(schedule.tick(now=start)) == PERIODIC
    assert schedule.tick(now=start + 30) == []  # another worker, leases alive: nothing
    renewals = _run_row("contributions.tasks.charge_renewals", start)
    lost_token = renewals.token
    later = start + 901  # the renewals' lease (900 s) ran out, the slot is not finished
    with time_machine.travel(datetime.fromtimestamp(later, UTC), tick=False):
        again = schedule.tick(now=later)
        assert "contributions.tasks.charge_renewals" in again
        renewals.refresh_from_db()
        assert renewals.claims == 2 and renewals.token != lost_token
        # The first job, late out of the queue, finds its claim gone and does nothing.
        assert schedule.run(renewals.task, renewals.slot, lost_token) is False
        assert schedule.run(renewals.task, renewals.slot, renewals.token) is True
    renewals.refresh_from_db()
    assert renewals.runs == 1 and renewals.finished_at is not None
    with time_machine.travel(datetime.fromtimestamp(later + 2000, UTC), tick=False):
        assert "contributions.tasks.charge_renewals" not in schedule.tick(now=later + 1000)


@override_settings(TASKS=DUMMY, SCHEDULE_LEASE_LIMIT=5)
def test_a_lease_limit_shortens_every_lease_to_it(db):
    start = 7210.0
    assert set(schedule.tick(now=start)) == PERIODIC
    assert schedule.tick(now=start + 4.9) == []  # the limited leases are alive
    assert set(schedule.tick(now=start + 5.1)) == PERIODIC  # and over after 5 s, not 4 min
    renewals = _run_row("contributions.tasks.charge_renewals", start)
    assert renewals.claims == 2
    with time_machine.travel(datetime.fromtimestamp(start + 6, UTC), tick=False):
        assert schedule.run(renewals.task, renewals.slot, renewals.token) is True
    assert schedule.lease_of("contributions.tasks.sweep_deliveries").total_seconds() == 5
    with override_settings(SCHEDULE_LEASE_LIMIT=0):
        assert schedule.lease_of("contributions.tasks.sweep_deliveries").total_seconds() == 240


@override_settings(TASKS=DUMMY)
def test_a_finished_slot_is_never_run_again_and_the_next_slot_is(db):
    start = 7200.0
    schedule.tick(now=start)
    row = _run_row("contributions.tasks.sweep_deliveries", start)
    assert schedule.run(row.task, row.slot, row.token) is True
    assert schedule.run(row.task, row.slot, row.token) is False  # a second delivery of the job
    assert "contributions.tasks.sweep_deliveries" not in schedule.tick(now=start + 299)
    assert "contributions.tasks.sweep_deliveries" in schedule.tick(now=start + 300)


def _env(backend: str, redis: RedisServer, data_dir: Path) -> dict:
    db = connection.settings_dict
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TEST_DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR")
    }
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=redis.url,
        READERFUND_TASK_BACKEND=backend,
        READERFUND_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="readerfund.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def _readerfund(*args) -> list[str]:
    return [sys.executable, "-m", "readerfund.cli", *args]


def _worker(env, log: Path) -> subprocess.Popen:
    with log.open("w") as output:  # the child keeps its own copy of the descriptor
        command = _readerfund("worker", "--schedule-interval", "0.2")
        return subprocess.Popen(
            command, env=env, cwd=ROOT, start_new_session=True, stdout=output, stderr=output
        )


def _wait(condition, seconds=90, what="the workers"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not get there within {seconds}s")


@needs_server_database
@needs_redis_server
@pytest.mark.parametrize("backend", ["db", "rq"])
def test_two_workers_run_each_task_once_and_each_periodic_slot_once(
    backend, transactional_db, tmp_path
):
    redis = RedisServer()
    redis.start()
    env = _env(backend, redis, tmp_path)
    began = time.time()
    workers = [_worker(env, tmp_path / f"worker{n}.log") for n in (1, 2)]
    try:
        enqueue = (
            "from tests.readerfund.backend_tasks import note\nfor n in range(40): note.enqueue(n)\n"
        )
        subprocess.run(_readerfund("shell", "-c", enqueue), env=env, cwd=ROOT, check=True)
        notes = ScheduledRun.objects.filter(task="tests.note")
        _wait(lambda: notes.count() == 40, what="40 tasks")
        finished = ScheduledRun.objects.filter(task__in=PERIODIC, finished_at__isnull=False)
        _wait(
            lambda: set(finished.values_list("task", flat=True)) == PERIODIC,
            what="the periodic work",
        )
        time.sleep(1.5)  # both workers ticked several times more
        ended = time.time()
        for path, every, _ in schedule.SCHEDULE:
            # The run may cross a slot's boundary (sweep_deliveries' slots are 5 minutes):
            # then the next slot is claimed too, once, and may not have run yet.
            slots = range(int(began // every), int(ended // every) + 1)
            runs = list(ScheduledRun.objects.filter(task=path).order_by("slot"))
            assert runs and {run.slot for run in runs} <= set(slots), runs
            assert len({run.slot for run in runs}) == len(runs), runs
            for run in runs:
                assert run.claims == 1, run
                assert run.runs == 1 if run.finished_at else run.runs <= 1, run
        assert sorted(notes.values_list("slot", flat=True)) == list(range(40))
    finally:
        for worker in workers:
            stop_tree(worker, grace=10)
        redis.close()
    logs = "".join((tmp_path / f"worker{n}.log").read_text() for n in (1, 2))
    assert "IntegrityError" not in logs and "Traceback" not in logs, logs[-3000:]
