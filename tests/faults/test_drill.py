"""The fault drill: Readerfund on a bad day. A TCP proxy (tests/faults/proxy_helpers.py)
sits between Readerfund and localstripe, and between Readerfund and its SMTP server, and
delays, drops or cuts their answers, answers 500 itself, or refuses connections.

For every scenario: no double charge and no lost payment — our ledger's charges equal the
emulator's list of successful charges, compared by listing both (`books_agree`) — and every
donor is told once. docs/RELIABILITY.md has the table of scenarios and outcomes.

Everything is real (localstripe over HTTP, aiosmtpd, the database, `readerfund
charge-renewals` in a process of its own that is killed); nothing is mocked.
"""

import json
import os
import random
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from contributions import breaker, notices
from contributions.models import (
    Contribution,
    CurrencyOption,
    Delivery,
    LedgerEntry,
    Payment,
    ProviderEvent,
)
from contributions.providers.base import Event
from contributions.services import reconcile, refunds
from contributions.services.charging import STALE_CLAIM
from contributions.services.renewals import charge_due
from contributions.tasks import apply_pending_events
from tests.concurrency import needs_server_database
from tests.contributions.stripe_helpers import save_card, signed_webhook
from tests.faults.drill_helpers import books_agree, emulator_intents, receipts_to, staff_user
from tests.faults.proxy_helpers import FaultProxy
from tests.processes import kill_tree

ROOT = Path(__file__).resolve().parents[2]
POST_CHARGE = b"POST /v1/payment_intents "
POST_REFUND = b"POST /v1/refunds "


@pytest.fixture
def drill(faulty_stripe, faulty_smtp, transactional_db):
    """Stripe and SMTP each behind a fault proxy; commits are real (tasks run on commit)."""
    smtp_proxy, mailbox = faulty_smtp
    CurrencyOption.objects.get_or_create(code="USD")  # a flushed database has none
    return faulty_stripe, smtp_proxy, mailbox


def _checkout(client, n: int, frequency="once", amount=1500):
    """A reader starts a checkout and saves a card (as Stripe.js does)."""
    body = {"frequency": frequency, "amount": amount, "currency": "USD"}
    body["email"] = f"donor{n}@example.org"
    started = client.post(
        "/api/checkout", json.dumps(body), "application/json", REMOTE_ADDR=f"192.0.2.{n}"
    )
    assert started.status_code == 201, started.content
    save_card(started.json()["reference"])
    return started.json()


def _give(client, started, n: int):
    """The reader presses Give."""
    url = f"/api/contributions/{started['contribution']}/complete"
    body = json.dumps({"reference": started["reference"]})
    return client.post(url, body, "application/json", REMOTE_ADDR=f"192.0.2.{n}")


def _contributions():
    return list(Contribution.objects.all())


def test_a_charge_that_times_out_then_give_again(drill, client):
    stripe, _, mailbox = drill
    readers = [_checkout(client, n) for n in range(1, 4)]
    stripe.fail("hang", when=POST_CHARGE)  # every charge reaches Stripe; no answer returns
    assert [_give(client, r, n).status_code for n, r in enumerate(readers, 1)] == [202] * 3
    assert set(Payment.objects.values_list("status", flat=True)) == {"unknown"}
    assert breaker.state()["declines"] == 0
    stripe.heal()
    answers = [_give(client, r, n) for n, r in enumerate(readers, 1)]  # Give again
    assert [a.json()["status"] for a in answers] == ["paid"] * 3
    assert books_agree(_contributions()) == 3
    mailbox.wait_for(3)
    assert receipts_to(mailbox) == {f"donor{n}@example.org": 1 for n in range(1, 4)}


def test_a_charge_cut_halfway_is_settled_by_reconcile(drill, client):
    stripe, _, mailbox = drill
    reader = _checkout(client, 1)
    stripe.fail("cut", times=1, when=POST_CHARGE)
    assert _give(client, reader, 1).status_code == 202
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert reconcile.reconcile()["repaired"] == 1
    assert books_agree(_contributions()) == 1
    mailbox.wait_for(1)
    assert receipts_to(mailbox) == {"donor1@example.org": 1}


def test_the_provider_answers_500(drill, client):
    stripe, _, mailbox = drill
    readers = [_checkout(client, n, frequency="monthly", amount=1000) for n in range(1, 3)]
    stripe.fail("http500", when=POST_CHARGE)
    assert [_give(client, r, n).status_code for n, r in enumerate(readers, 1)] == [202, 202]
    assert breaker.state()["declines"] == 0  # never counted as declines
    stripe.heal()
    assert [_give(client, r, n).json()["status"] for n, r in enumerate(readers, 1)] == [
        "active",
        "active",
    ]
    # A month on, the renewals meet the same 500s, then a run after the provider is back.
    due = Contribution.objects.first().next_charge_on
    with time_machine.travel(timezone.now() + (due - timezone.localdate()) + timedelta(hours=1)):
        stripe.fail("http500", when=POST_CHARGE)
        assert charge_due(due)["unknown"] == 2
        stripe.heal()
        assert charge_due(due)["succeeded"] == 2
        assert charge_due(due)["claimed"] == 0
    assert books_agree(_contributions()) == 4
    mailbox.wait_for(4)
    assert receipts_to(mailbox) == {"donor1@example.org": 2, "donor2@example.org": 2}


def test_smtp_down_for_an_hour_then_back(drill, client):
    _, smtp, mailbox = drill
    smtp.fail("refuse")
    readers = [_checkout(client, n) for n in range(1, 4)]
    assert [_give(client, r, n).json()["status"] for n, r in enumerate(readers, 1)] == ["paid"] * 3
    payment = Payment.objects.order_by("pk").first()
    refund = refunds.refund_payment(payment, 500, staff_user())
    assert refund.status == "done"
    assert Payment.objects.filter(receipt_sent_at__isnull=False).count() == 0
    assert Delivery.objects.get(kind="refund_notice").status == "pending"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(12):  # an hour of sweeps every 5 minutes, the server still down
            clock.shift(timedelta(minutes=5))
            notices.sweep_deliveries()
        assert mailbox.messages == []
        smtp.heal()
        clock.shift(timedelta(minutes=61))
        notices.sweep_deliveries()
        notices.sweep_deliveries()  # twice: nothing more
    mailbox.wait_for(4)
    assert receipts_to(mailbox) == {f"donor{n}@example.org": 1 for n in range(1, 4)}
    assert len(mailbox.messages) == 4  # three receipts, one refund notice
    assert Delivery.objects.get(kind="refund_notice").status == "sent"
    assert books_agree(_contributions()) == 3


@needs_server_database
def test_a_renewal_run_killed_while_stripe_hangs_then_run_again(drill, client, tmp_path):
    stripe, _, mailbox = drill
    readers = [_checkout(client, n, frequency="monthly", amount=1000) for n in range(1, 3)]
    for n, reader in enumerate(readers, 1):
        assert _give(client, reader, n).json()["status"] == "active"
    due = Contribution.objects.first().next_charge_on
    stripe.fail("hang", when=POST_CHARGE)
    worker = _renewal_run(due, tmp_path)
    try:
        deadline = time.monotonic() + 30
        while stripe.faults_applied < 1 and time.monotonic() < deadline:
            time.sleep(0.05)  # the first renewal's charge has reached Stripe
        assert stripe.faults_applied >= 1
    finally:
        kill_tree(worker)  # kill -9, mid-charge
    stripe.heal()
    # The run died while Stripe held the first one's charge: that period is claimed; the
    # second was not claimed yet (each is claimed just before its charge), so is still due.
    assert Payment.objects.filter(period=1, status="claimed").count() == 1
    assert Payment.objects.filter(period=1).count() == 1
    later = timezone.now() + (due - timezone.localdate()) + STALE_CLAIM + timedelta(hours=1)
    with time_machine.travel(later):
        counts = charge_due(due)
        assert counts["succeeded"] == 2
        assert charge_due(due)["claimed"] == 0
    assert books_agree(_contributions()) == 4
    mailbox.wait_for(4)
    assert receipts_to(mailbox) == {"donor1@example.org": 2, "donor2@example.org": 2}


def _renewal_run(due, tmp_path) -> subprocess.Popen:
    """`readerfund charge-renewals` in a process of its own, on the test's database."""
    db = connection.settings_dict
    env = _worker_env(f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}")
    env["READERFUND_PROVIDER_TIMEOUT"] = "60"
    command = [sys.executable, "-m", "readerfund.cli", "charge-renewals", "--date", due.isoformat()]
    with (tmp_path / "renewals.log").open("wb") as log:  # a file, never a pipe
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )


@needs_server_database
def test_a_storm_of_duplicated_reordered_webhooks_during_a_renewal_run(drill, client):
    stripe, _, mailbox = drill
    readers = [_checkout(client, n, frequency="monthly", amount=1000) for n in range(1, 6)]
    for n, reader in enumerate(readers, 1):
        assert _give(client, reader, n).json()["status"] == "active"
    contributions = _contributions()
    due = contributions[0].next_charge_on
    stripe.fail("delay", seconds=0.3, when=POST_CHARGE)  # the run is slow: the storm overtakes it
    done = threading.Event()

    def storm():
        webhooks = Client()
        try:
            for _ in range(3):  # three storms while the run goes on (it takes 1.5 s or more)
                _storm_once(webhooks, contributions)
                if done.is_set():
                    break
            done.wait(timeout=60)
            _storm_once(webhooks, contributions)  # and once more after the run
        finally:
            connection.close()

    thread = threading.Thread(target=storm)
    later = timezone.now() + (due - timezone.localdate()) + timedelta(hours=1)
    with time_machine.travel(later):
        thread.start()
        try:
            counts = charge_due(due)
        finally:
            done.set()
            thread.join(timeout=60)
            connection.close()
    assert not thread.is_alive()
    assert counts["claimed"] == 5
    assert Payment.objects.filter(period=1, status="succeeded").count() == 5
    assert books_agree(contributions) == 10
    mailbox.wait_for(10)
    assert receipts_to(mailbox) == {f"donor{n}@example.org": 2 for n in range(1, 6)}


def _storm_once(webhooks, contributions) -> None:
    """Every PaymentIntent of these contributions reported as succeeded, each three times
    (the same event id twice, a new one once), in a random order."""
    ids = {str(c.pk) for c in contributions}
    intents = [i for i in emulator_intents() if i["metadata"].get("contribution") in ids]
    events = []
    for intent in intents:
        if intent["status"] != "succeeded":
            continue
        payload = {"type": "payment_intent.succeeded", "created": intent["created"]}
        payload["data"] = {"object": intent}
        events += [{**payload, "id": f"evt_{intent['id']}"}] * 2
        events.append({**payload, "id": f"evt_{intent['id']}_{random.random()}"})
    random.shuffle(events)
    for payload in events:
        body, headers = signed_webhook(payload)
        answer = webhooks.post(
            "/webhooks/stripe",
            body,
            "application/json",
            headers={"Stripe-Signature": headers["Stripe-Signature"]},
        )
        assert answer.status_code == 200


@needs_server_database
def test_the_database_connection_cut_mid_drain(mailbox, transactional_db, newsroom, tmp_path):
    """150 stored charge events are drained by a process whose PostgreSQL connection goes
    through the fault proxy and is cut mid-way; a drain afterwards applies the rest. Every
    event becomes one charge, and every donor gets one receipt (the sweep sends those whose
    task the dead process had queued)."""
    payments = _stored_charge_events(EVENTS)
    db = connection.settings_dict
    with FaultProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))) as pg:
        # 18 answers: connecting, then the first batch (committed); cut inside the second.
        pg.fail("drop", times=1, after=18)
        with (tmp_path / "drain.log").open("wb") as log:
            drain = subprocess.run(
                [sys.executable, "-m", "readerfund.cli", "shell", "-c", DRAIN],
                cwd=ROOT,
                env=_worker_env(f"127.0.0.1:{pg.port}"),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                timeout=120,
            )
    assert drain.returncode != 0, (tmp_path / "drain.log").read_text()  # it lost its database
    cut_at = ProviderEvent.objects.filter(applied_at__isnull=False).count()
    print(f"the connection was cut after {cut_at} of {EVENTS} events were applied")
    assert cut_at < EVENTS
    assert apply_pending_events.call() == EVENTS - cut_at
    assert LedgerEntry.objects.filter(kind="charge").count() == EVENTS
    assert Payment.objects.filter(status="succeeded").count() == EVENTS
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        notices.sweep_deliveries()  # receipts queued by the dead process are swept
    mailbox.wait_for(EVENTS, timeout=60)
    assert set(receipts_to(mailbox).values()) == {1}
    assert len(receipts_to(mailbox)) == len(payments)


EVENTS = 150  # a batch and a half (contributions.tasks.DRAIN_BATCH is 100)
DRAIN = "from contributions.tasks import apply_pending_events; apply_pending_events.call()"


def _stored_charge_events(count: int) -> list[Payment]:
    from contributions.services.facts import store_event
    from tests.contributions.factories import make_contribution, make_contributor, make_payment

    payments = []
    for n in range(count):
        contribution = make_contribution(make_contributor(f"d{n}@example.org"), frequency="once")
        payment = make_payment(contribution, reference=f"pi_cut{n}")
        payments.append(payment)
        intent = {
            "id": f"pi_cut{n}",
            "object": "payment_intent",
            "amount": 1000,
            "amount_received": 1000,
            "currency": "usd",
            "status": "succeeded",
            "created": 1_795_000_000,
            "metadata": {"contribution": str(contribution.pk), "payment": str(payment.pk)},
        }
        payload = {
            "id": f"evt_cut{n}",
            "type": "payment_intent.succeeded",
            "created": 1_795_000_000,
        }
        store_event(
            "stripe", Event(payload["id"], payload["type"], {**payload, "data": {"object": intent}})
        )
    return payments


def _worker_env(host_port: str) -> dict:
    """A Readerfund process of its own on the test's database, at `host_port`."""
    db = connection.settings_dict
    login = f"{db['USER']}:{db['PASSWORD'] or ''}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{login}@{host_port}/{db['NAME']}",
        "READERFUND_DATA_DIR": str(settings.DATA_DIR),
        "STRIPE_SECRET_KEY": settings.STRIPE_SECRET_KEY or "sk_test_unused",
        "STRIPE_API_BASE": settings.STRIPE_API_BASE or "http://127.0.0.1:9",
        "DJANGO_SETTINGS_MODULE": "readerfund.settings",
    }
    env.pop("TEST_DATABASE_URL", None)
    return env
