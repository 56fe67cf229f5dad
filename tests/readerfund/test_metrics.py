"""/metrics: Prometheus' text format, for a token or an internal address only, with no
personal data; the counts of several web processes added up (a real `readerfund serve`)."""

import os
import subprocess
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from contributions.models import Delivery, ProviderEvent
from tests.contributions.factories import make_contribution, make_contributor, make_payment
from tests.processes import READERFUND, free_port, stop_tree, wait_for_url, with_static_files

TOKEN = "a-long-random-metrics-token-for-the-test"


def samples(text: str) -> dict[tuple, float]:
    """{(sample name, (label, value), …): value} of a scrape; fails on a malformed one."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, *sorted(sample.labels.items()))] = sample.value
    return found


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_are_refused_without_the_token(client, db):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 404
    # Through a trusted proxy, a forwarded internal address counts for nothing.
    forwarded = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.9")
    assert forwarded.status_code == 404


@override_settings(METRICS_TOKEN="")
def test_without_a_token_nothing_opens_metrics_not_even_an_empty_bearer(client, db):
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


@override_settings(METRICS_ALLOW=["10.0.0.0/8"])
def test_an_internal_address_reads_metrics_without_a_token(client, db):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1").status_code == 404


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_tell_the_queue_webhooks_renewals_and_emails_and_no_donor(client, db):
    donor = make_contributor(email="secret.donor@example.org", name="Secret Donor")
    yesterday = date.today() - timedelta(days=1)
    due = make_contribution(donor, status="active", next_charge_on=yesterday)
    make_payment(due, period=1, status="succeeded", reference="pi_ok")
    make_payment(due, period=2, status="failed", reference="pi_no")
    ProviderEvent.objects.create(provider="stripe", event_id="evt_1", type="charge.x", payload={})
    ProviderEvent.objects.filter(event_id="evt_1").update(
        received_at=timezone.now() - timedelta(seconds=90)
    )
    Delivery.objects.create(kind="refund_notice", key=str(due.pk))

    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    found = samples(text)
    assert found[("readerfund_renewals_due",)] == 1
    assert found[("readerfund_renewals_last_day", ("outcome", "charged"))] == 1
    assert found[("readerfund_renewals_last_day", ("outcome", "failed"))] == 1
    assert found[("readerfund_webhook_events_waiting",)] == 1
    assert 90 <= found[("readerfund_webhook_lag_seconds",)] < 150
    assert found[("readerfund_emails_waiting",)] == 1
    assert found[("readerfund_breaker_tripped",)] == 0
    assert ("readerfund_task_queue_depth",) in found
    assert "secret" not in text.lower() and "example.org" not in text
    assert str(due.pk) not in text


def _get(url, token=None):
    request = urllib.request.Request(
        url, headers={"Authorization": f"Bearer {token}"} if token else {}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 — loopback
        return response.read().decode()


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite data dir only")
def test_a_scrape_adds_up_the_requests_of_every_web_process(tmp_path):
    """Two granian workers behind one port: each counts its own requests in the shared
    multiprocess folder, and a scrape (answered by either) adds them all up."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "TEST_DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR")
    }
    env.update(READERFUND_DATA_DIR=str(with_static_files(tmp_path)), READERFUND_METRICS_TOKEN=TOKEN)
    migrate = subprocess.run([READERFUND, "migrate", "-v0"], env=env, timeout=600)
    assert migrate.returncode == 0
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 — closed in finally
    server = subprocess.Popen(
        [READERFUND, "serve", "--port", str(port), "--workers", "2", "--no-worker", "--no-migrate"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_url(f"{base}/healthz", server)
        # Which worker accepts a connection is the kernel's choice: one after another,
        # the requests can all land on one. Eight at a time, until both have counted some.
        sent = 0
        with ThreadPoolExecutor(8) as pool:
            while sent < 40 or (len(_pid_files(tmp_path)) < 2 and sent < 800):
                list(pool.map(_get, [f"{base}/robots.txt"] * 8))
                sent += 8
        with pytest.raises(urllib.error.HTTPError) as refused:
            _get(f"{base}/metrics")
        assert refused.value.code == 404
        refused.value.close()
        found = samples(_get(f"{base}/metrics", TOKEN))
    finally:
        stop_tree(server)
        log.close()
    assert len(_pid_files(tmp_path)) >= 2, "the requests were not spread over two processes"
    assert found[("readerfund_http_requests_total", ("group", "pages"), ("status", "2xx"))] == sent
    cache = {outcome: found.get(("readerfund_page_cache_total", ("outcome", outcome)), 0)
             for outcome in ("hit", "miss")}  # fmt: skip
    assert cache["hit"] + cache["miss"] == sent and cache["miss"] <= 2  # one render per process
    assert found[("readerfund_http_request_duration_seconds_count", ("group", "pages"))] == sent


def _pid_files(data_dir) -> set[str]:
    """The web processes that have written counts to the shared multiprocess folder."""
    return {path.name.split("_")[-1] for path in (data_dir / "metrics").glob("*.db")}


@override_settings(
    METRICS_TOKEN=TOKEN,
    TASK_BACKEND="rq",
    RQ_QUEUES={"default": {"URL": "redis://127.0.0.1:9/0", "SOCKET_CONNECT_TIMEOUT": 0.5}},
)
def test_a_task_queue_that_does_not_answer_is_told_not_a_failed_scrape(client, db):
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    found = samples(response.content.decode())
    assert found[("readerfund_task_queue_depth",)] != found[("readerfund_task_queue_depth",)]
    assert found[("readerfund_webhook_events_waiting",)] == 0
