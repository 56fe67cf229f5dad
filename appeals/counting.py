"""Appeal events counted without a hot row and without a query per event.

Each page view sends one to three events (POST /api/appeals/events). Each used to cost a
rate-limit count in the shared cache, a query for the variant and an UPDATE of the one daily
row of its variant that every request of the day wanted: 223 events/s. Now an event costs a
dict lookup and a dict increment in the web process:

- **Counts** go to this process's buffer, {(appeal id, variant, day, counter): n} under a
  lock. A daemon thread, started with the first event, adds the buffer to the daily
  `AppealCount` rows every READERFUND_APPEAL_EVENTS_FLUSH seconds (2 by default): one
  transaction, one `INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n` for all rows, on
  SQLite and PostgreSQL alike. A day's row gets at most one write per process per interval,
  whatever the traffic, and the statistics are exact to within the interval.
- **Stopping.** A clean stop (SIGTERM or SIGINT to `readerfund serve`, the end of any other
  process) writes what is buffered: through `atexit`, and through a multiprocessing finaliser
  for granian's web workers, which are forked and leave with `os._exit`, skipping `atexit`.
  A `kill -9`, a crash of the interpreter or the out-of-memory killer loses what that process
  counted since its last flush: at most one interval of its events; so does a web worker
  that hangs in granian's own signal handling when two signals reach it at once (`serve`
  sends one; a supervisor signalling every process can send two: see README, Appeals). A
  failed write (the database is away)
  keeps the counts for the next flush.
- **Why not Redis INCR, folded in by the worker:** the embedded default's file cache has no
  increment that is atomic across processes, so process buffers are needed there anyway;
  with them the database gets a few writes a second per process even at scale, so a second
  path through Redis would add a way to lose counts (an evicted key, a Redis restart)
  without removing a bottleneck. One path, tested on both databases, beats two.
- **Which appeal:** (slug, variant key) → appeal id is kept in process memory, loaded whole
  at least every MAP_MAX_AGE seconds, and again when an unknown pair is asked for, at most
  once every MAP_MIN_AGE: a flood of made-up slugs costs one query a second, and an appeal
  created a moment ago is counted within a second.

The events' rate limit is counted in process memory too (`events.LIMITER`), so a flood
of events writes nothing to the shared cache.
"""

import atexit
import logging
import multiprocessing.util
import os
import threading
import time
from collections import Counter, defaultdict
from datetime import date

from django.conf import settings
from django.db import close_old_connections, transaction

from appeals.models import AppealCount, AppealVariant

log = logging.getLogger(__name__)

MAP_MAX_AGE = 5.0  # seconds: a renamed or deleted appeal stops being counted within this
MAP_MIN_AGE = 1.0  # seconds between loads asked for by unknown pairs
EXIT_WAIT = 30.0  # seconds the last flush waits for the flusher thread's write to end

_lock = threading.Lock()  # guards _counts
_counts: Counter = Counter()  # (appeal id, variant key, day, counter) → events not yet written
_writing = threading.Lock()  # one flush at a time: the exit flush waits for the thread's
_flusher: threading.Thread | None = None

_map_lock = threading.Lock()
_map: dict[tuple[str, str], int] = {}  # (appeal slug, variant key) → appeal id
_map_loaded = float("-inf")  # time.time() of the last load


# Which appeal ---------------------------------------------------------------------------------


def appeal_id(slug: str, key: str) -> int | None:
    """The id of the appeal with this slug and a variant with this key; None if unknown."""
    if _map_due((slug, key), time.time()):
        with _map_lock:  # one thread loads; the others wait for its map
            now = time.time()
            if _map_due((slug, key), now):
                _load_map(now)
    return _map.get((slug, key))


def _map_due(pair: tuple[str, str], now: float) -> bool:
    age = now - _map_loaded
    if not 0 <= age < MAP_MAX_AGE:  # old, never loaded, or the clock went back
        return True
    return pair not in _map and age >= MAP_MIN_AGE


def _load_map(now: float) -> None:
    global _map, _map_loaded
    rows = AppealVariant.objects.values_list("appeal__slug", "key", "appeal_id")
    _map = {(slug, key): pk for slug, key, pk in rows}
    _map_loaded = now


# Counting -------------------------------------------------------------------------------------


def add(appeal_id: int, variant: str, day: date, counter: str) -> None:
    """One more event on the day's `counter` (an AppealCount field) of the appeal's variant,
    written by the next flush."""
    with _lock:
        _counts[(appeal_id, variant, day, counter)] += 1
    if _flusher is None:
        _start_flusher()


def pending() -> int:
    """Events this process has counted and not yet written."""
    with _lock:
        return sum(_counts.values())


def flush() -> int:
    """Write what this process has counted to the daily rows, in one transaction; the number
    of events written. On failure the counts stay buffered for the next flush."""
    global _counts
    with _writing:
        with _lock:
            taken, _counts = _counts, Counter()
        if not taken:
            return 0
        try:
            with transaction.atomic():
                AppealCount.add(_rows(taken))
        except BaseException:
            with _lock:
                _counts.update(taken)
            raise
        return sum(taken.values())


def _rows(taken: Counter) -> dict:
    rows: dict = defaultdict(dict)
    for (pk, variant, day, counter), n in taken.items():
        rows[(pk, variant, day)][counter] = n
    return rows


def forget() -> None:
    """Drop what is buffered and the appeal map, unwritten: for tests, whose database is
    rolled back under them."""
    global _counts, _map, _map_loaded
    with _lock:
        _counts = Counter()
    _map, _map_loaded = {}, float("-inf")


# The flusher thread and the last flush -----------------------------------------------------------


def _start_flusher() -> None:
    global _flusher
    interval = settings.APPEAL_EVENTS_FLUSH
    if interval is None:  # the tests' settings: they call flush() themselves
        return
    with _lock:
        if _flusher is not None:
            return
        _flusher = threading.Thread(
            target=_flush_every, args=(interval,), name="appeal-events", daemon=True
        )
        _flusher.start()
    # granian's workers are forked multiprocessing children: they end with os._exit, which
    # skips atexit, after running multiprocessing's finalisers (registered here, in the
    # process that counts: a child forgets its parent's). The atexit flush then finds nothing.
    multiprocessing.util.Finalize(None, _flush_at_exit, exitpriority=10)


def _flush_every(interval: float) -> None:
    while True:
        time.sleep(interval)
        _flush_logged()


def _flush_logged() -> None:
    """flush() for the thread and the exit: errors are logged, the counts kept."""
    if not pending():  # a process that counted nothing leaves its connections alone
        return
    close_old_connections()
    try:
        flush()
    except Exception:
        log.exception("appeal events: %s counts could not be written; kept for later", pending())
    finally:
        close_old_connections()


def _flush_at_exit() -> None:
    if not _writing.acquire(timeout=EXIT_WAIT):
        log.error("appeal events: the flusher is stuck; %s counts are lost", pending())
        return
    _writing.release()
    _flush_logged()


def _after_fork_in_child() -> None:
    # The parent writes what it had counted; the child starts empty, with its own thread.
    global _lock, _writing, _map_lock, _counts, _flusher
    _lock, _writing, _map_lock = threading.Lock(), threading.Lock(), threading.Lock()
    _counts, _flusher = Counter(), None


os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(_flush_at_exit)
