"""Work run in several threads at once, each on its own database connection: for the tests
of what concurrent workers do."""

import threading

import pytest
from django.db import connection

needs_server_database = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database; the test database on SQLite is an "
    "in-memory shared cache that locks whole tables (`make test` runs this on PostgreSQL)",
)


def at_once(work, times: int = 2) -> list:
    """Run `work()` in `times` threads started together; their results, in the order they
    finished. Fails the test with every error raised in a thread."""
    results, errors = [], []

    def run():
        try:
            results.append(work())
        except Exception as error:  # surfaced below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results
