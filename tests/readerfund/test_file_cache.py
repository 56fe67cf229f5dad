"""The file cache counts its entries at most once a second per process (Django's listed the
whole directory on every write: with thousands of kept pages that cost more than a render),
and still culls when it is over MAX_ENTRIES."""

import shutil
import threading
from pathlib import Path

import pytest

from readerfund.lib import cache as backends


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setattr(backends, "_culled_at", {})
    made = backends.FileCache(str(tmp_path / "store"), {"OPTIONS": {"MAX_ENTRIES": 30}})
    listings = []
    original = made._list_cache_files

    def counted():
        listings.append(1)
        return original()

    monkeypatch.setattr(made, "_list_cache_files", counted)
    return made, listings


def entries(made) -> int:
    return len(list(Path(made._dir).glob("*.djcache")))


def test_many_writes_in_one_second_list_the_directory_once(store, monkeypatch):
    made, listings = store
    monkeypatch.setattr(backends.FileCache, "CULL_INTERVAL", 3600)
    for n in range(200):
        made.set(f"page:{n}", b"x" * 100)
    assert len(listings) == 1  # Django's backend: 200
    assert made.get("page:199") == b"x" * 100


def test_it_still_culls_once_the_interval_has_passed(store, monkeypatch):
    made, listings = store
    monkeypatch.setattr(backends.FileCache, "CULL_INTERVAL", 3600)
    for n in range(60):
        made.set(f"page:{n}", b"x")
    assert entries(made) == 60  # over MAX_ENTRIES for at most one interval
    monkeypatch.setattr(backends.FileCache, "CULL_INTERVAL", 0)
    made.set("page:next", b"x")
    assert entries(made) <= 61 - 60 // 3  # a third culled, as Django's backend does
    assert len(listings) == 2


def test_each_directory_is_counted_on_its_own(tmp_path, monkeypatch):
    """Kept pages written in a flood do not postpone the count of the default cache."""
    monkeypatch.setattr(backends, "_culled_at", {})
    pages = backends.FileCache(str(tmp_path / "pages"), {"OPTIONS": {"MAX_ENTRIES": 5}})
    limits = backends.FileCache(str(tmp_path / "limits"), {"OPTIONS": {"MAX_ENTRIES": 5}})
    for n in range(9):
        (Path(limits._dir) / f"{n}.djcache").write_bytes(b"")  # full, before this process
    monkeypatch.setattr(backends.FileCache, "CULL_INTERVAL", 3600)
    pages.set("page", 1)
    limits.set("limit", 1)  # counted although pages were counted an instant ago
    assert entries(limits) == 9 - 9 // 3 + 1
    assert entries(pages) == 1


def test_a_write_leaves_only_the_entry_and_replaces_what_was_there(store):
    made, _ = store
    made.set("page:a", {"body": b"<p>first</p>" * 1000}, timeout=60)
    made.set("page:a", {"body": b"<p>second</p>" * 1000}, timeout=60)
    assert made.get("page:a") == {"body": b"<p>second</p>" * 1000}
    assert [path.suffix for path in Path(made._dir).iterdir()] == [".djcache"]  # no temporary


def test_a_write_that_fails_leaves_no_temporary_file_and_the_old_entry(store):
    made, _ = store
    made.set("page:a", "kept", timeout=60)

    class Unpicklable:
        def __reduce__(self):
            raise TypeError("cannot be kept")

    with pytest.raises(TypeError):
        made.set("page:a", Unpicklable(), timeout=60)
    assert made.get("page:a") == "kept"
    assert [path.suffix for path in Path(made._dir).iterdir()] == [".djcache"]


def test_a_write_makes_the_directory_again_when_it_was_removed(store):
    made, _ = store
    made.set("page:a", 1)
    shutil.rmtree(made._dir)
    made.set("page:b", 2)
    assert (made.get("page:a"), made.get("page:b")) == (None, 2)


def test_threads_writing_the_same_entry_at_once_never_leave_a_torn_one(store):
    """Each thread writes its own temporary file and renames it into place: a reader finds
    one whole value or another, never a mix."""
    made, _ = store
    values = {n: bytes([n]) * 200_000 for n in range(8)}
    seen, errors = [], []

    def write(n):
        try:
            for _ in range(20):
                made.set("page:shared", values[n], timeout=60)
                seen.append(made.get("page:shared"))
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in values]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(value in values.values() for value in seen)
    assert [path.suffix for path in Path(made._dir).iterdir()] == [".djcache"]
