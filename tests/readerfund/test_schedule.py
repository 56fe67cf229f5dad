from readerfund.lib import schedule


def test_each_periodic_slot_is_enqueued_by_one_worker_only(db):
    first = schedule.tick(now=7200.0)
    second = schedule.tick(now=7230.0)  # another worker, same hour
    assert set(first) == {path for path, _ in schedule.SCHEDULE}
    assert second == []
    assert set(schedule.tick(now=7200.0 + 3600)) == set(first)
