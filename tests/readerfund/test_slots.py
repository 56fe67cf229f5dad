"""Render slots first come, first served (readerfund/lib/slots.py)."""

import threading
import time

from readerfund.lib.slots import FairSlots


def _waiting(slots: FairSlots, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(slots._waiters) < count:
        assert time.monotonic() < deadline, "the waiter never started waiting"
        time.sleep(0.001)


def test_a_freed_slot_goes_to_the_waiter_not_to_a_newcomer():
    # threading.Semaphore lets whoever asks first after a release take the slot, however
    # long another thread has waited for it: that is what this class is for.
    slots = FairSlots(1)
    assert slots.acquire()
    got = []
    waiter = threading.Thread(target=lambda: got.append(slots.acquire(timeout=5)))
    waiter.start()
    _waiting(slots, 1)
    slots.release()
    assert slots.acquire(blocking=False) is False  # the newcomer: the slot is the waiter's
    waiter.join()
    assert got == [True]
    slots.release()
    assert slots.acquire(blocking=False) is True


def test_waiters_get_slots_in_the_order_they_asked():
    slots = FairSlots(1)
    slots.acquire()
    order = []

    def wait(name):
        assert slots.acquire(timeout=5)
        order.append(name)
        slots.release()

    threads = []
    for name in "abcde":
        thread = threading.Thread(target=wait, args=(name,))
        thread.start()
        _waiting(slots, len(threads) + 1)
        threads.append(thread)
    slots.release()
    for thread in threads:
        thread.join()
    assert order == list("abcde")


def test_a_waiter_that_times_out_leaves_the_queue_and_takes_nothing():
    slots = FairSlots(2)
    assert slots.acquire() and slots.acquire()
    started = time.monotonic()
    assert slots.acquire(timeout=0.05) is False
    assert 0.05 <= time.monotonic() - started < 2
    assert not slots._waiters
    slots.release()
    slots.release()
    assert slots.acquire(blocking=False) and slots.acquire(blocking=False)
    assert slots.acquire(blocking=False) is False


def test_no_slot_is_lost_when_waits_run_out_as_slots_are_handed_over():
    # Waits that time out just as a release hands them the slot: the waiter must keep it (and
    # give it back), or the slot is gone for good and the process renders nothing again.
    slots = FairSlots(1)
    stop = time.monotonic() + 1.0

    def impatient():
        while time.monotonic() < stop:
            if slots.acquire(timeout=0.0001):
                slots.release()

    def patient():
        while time.monotonic() < stop:
            if not slots.acquire(timeout=2):
                lost.append("a slot")  # nobody held it for two seconds: it was lost
                return
            slots.release()

    lost = []

    threads = [threading.Thread(target=f) for f in (impatient, impatient, patient, patient)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not lost
    assert not slots._waiters
    assert slots._free == 1


def test_as_a_context_manager():
    slots = FairSlots(1)
    with slots:
        assert slots.acquire(blocking=False) is False
    assert slots.acquire(blocking=False) is True
