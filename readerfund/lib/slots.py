"""Slots handed out first come, first served (the page cache's render slots)."""

import collections
import threading


class FairSlots:
    """A bounded number of slots, given to waiting threads in the order they asked.

    `threading.Semaphore` wakes a waiter when a slot comes free, but a thread that asks in
    the meantime may take the slot first, and again the next time: under steady load a
    waiter can lose every race until its timeout. Here a released slot is handed to the
    longest waiter directly, and a newcomer takes a free slot only when nobody waits.

    The page cache's misses wait for a render slot this way, so that the one waiting longest
    is rendered next: with the semaphore, one in a hundred long-tail requests waited several
    renders longer than the rest (bench/RESULTS.md, Pages)."""

    def __init__(self, count: int):
        self._free = count
        self._lock = threading.Lock()
        self._waiters: collections.deque[threading.Lock] = collections.deque()

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        with self._lock:
            if self._free and not self._waiters:
                self._free -= 1
                return True
            if not blocking:
                return False
            handed = threading.Lock()
            handed.acquire()
            self._waiters.append(handed)
        if handed.acquire(timeout=-1 if timeout is None else timeout):
            return True
        with self._lock:
            try:
                self._waiters.remove(handed)
            except ValueError:  # a slot was handed over as the wait ran out: it is ours
                return True
            return False

    def release(self) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._free += 1

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()
