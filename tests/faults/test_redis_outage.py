"""Redis down: reader pages keep being served (tests/newsroom/test_page_cache_redis_outage.py),
checkout answers 503 with a clear message instead of 500 (its rate limits cannot count),
/healthz says "degraded" with 503, and all of it recovers by itself when Redis is back.
A private redis-server (tests/redis_server.py) is stopped and started again."""

import json
import threading
import time

from django.db import connection
from django.test import Client

from contributions.models import Contribution, CurrencyOption
from tests.concurrency import needs_server_database
from tests.redis_server import needs_redis_server

pytestmark = needs_redis_server
GOOD = {"frequency": "once", "amount": 1500, "currency": "USD", "email": "r@example.org"}


def checkout(client, n):
    body = json.dumps({**GOOD, "email": f"r{n}.{time.monotonic_ns()}@example.org"})
    return client.post("/api/checkout", body, "application/json", REMOTE_ADDR=f"192.0.2.{n}")


def test_checkout_pauses_with_a_clear_503_while_redis_is_down_and_recovers(
    redis_caches, client, stripe_settings, db
):
    assert checkout(client, 1).status_code == 201
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}

    redis_caches.stop()
    paused = checkout(client, 2)
    assert paused.status_code == 503
    assert paused["Retry-After"] == "30"
    assert "Nothing was charged" in paused.json()["errors"]["__all__"][0]
    assert Contribution.objects.count() == 1
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "down"}
    complete = client.post(
        f"/api/contributions/{Contribution.objects.get().pk}/complete",
        json.dumps({"reference": "seti_x"}),
        "application/json",
    )
    assert complete.status_code == 503  # the charge is never asked for without its limit
    assert client.get("/support/manage/").status_code == 200  # a page, not limited

    redis_caches.start()  # back, empty: nothing to repair
    assert checkout(client, 3).status_code == 201
    assert client.get("/healthz").status_code == 200


@needs_server_database
def test_redis_stopped_and_restarted_under_load_never_answers_500(
    redis_caches, stripe_settings, transactional_db, newsroom
):
    """Readers keep asking (checkouts and the support page, four at a time) while Redis
    stops and starts: every answer is a success or the clear 503, and every 201 is one
    contribution."""
    CurrencyOption.objects.get_or_create(code="USD")
    answers, stop = [], threading.Event()

    def reader(n):
        client = Client()
        try:
            while not stop.is_set():
                answers.append(checkout(client, n).status_code)
                answers.append(client.get("/support/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    redis_caches.stop()
    time.sleep(2)
    redis_caches.start()
    time.sleep(1)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert set(answers) <= {200, 201, 429, 503}
    assert 503 in answers and 201 in answers
    assert Contribution.objects.count() == answers.count(201)
    assert Client().get("/healthz").status_code == 200  # recovered by itself
