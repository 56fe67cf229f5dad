"""Values every reader page needs and only a publish changes, kept in process memory.

The newsroom's settings, the menu's sections, the end-of-article letter: each page render
read them from the database again, though they change only when staff publish (or edit the
settings, an author, an image: whatever bumps the page cache's generation, see
newsroom/signals.py). `kept(name, build)` builds such a value once per process and
generation and serves it from memory until the generation moves on.

The key also holds the active language (a fragment may contain translated words) and a value
may be given a `ttl`: the letter shows this month's figures, which change without a publish,
so it is built again after a few seconds, well within the pages' max-age.

Values are shared by every thread of the process: keep only what renders read, never what
they change.
"""

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.utils.translation import get_language

from readerfund.lib import pagecache

T = TypeVar("T")

_lock = threading.Lock()
# Only the current generation's values: a bump forgets the rest at the next lookup.
_store: dict = {"generation": None, "values": {}}


MAX_VALUES = 50_000


def kept(name: Hashable, build: Callable[[], T], ttl: float | None = None) -> T:
    """`build()`'s value, built at most once per generation and language (and `ttl` seconds,
    when given) in this process."""
    generation = pagecache.generation()
    values = _values_of(generation)
    key = (name, get_language())
    found = values.get(key)
    if found is not None and time.time() < found[0]:
        return found[1]
    value = build()
    if len(values) >= MAX_VALUES:  # bounded: many thousands of cards in one generation
        values.clear()
    values[key] = (time.time() + ttl if ttl is not None else float("inf"), value)
    return value


def _values_of(generation: int) -> dict:
    with _lock:
        if _store["generation"] != generation:
            _store.update(generation=generation, values={})
        return _store["values"]


def forget() -> None:
    """Forget every kept value in this process (tests start each from nothing)."""
    with _lock:
        _store.update(generation=None, values={})
