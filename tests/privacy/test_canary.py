"""The canary: one donor, with an email and a name found nowhere else, goes through every
flow that touches personal data, then asks to be erased. A scan of every column of every
table, every file under the data dir and the log output then finds no trace of them.

Before erasure the same scan finds them only inside Fernet tokens (encrypted at rest) and
as the blind index; after, a token that decrypts to them is a trace too, and so is their
email's blind index (whoever holds the key and the address could confirm who gave).

Everything is real: the checkout API, localstripe behind the Stripe SDK, its events
delivered as signed webhooks, the database task queue run by the worker, an aiosmtpd
server on loopback (which can refuse the canary's address), time travelled with
time-machine for the renewal and the reminder's day.
"""

import io
import json
import logging
import re
import secrets
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from contributions.models import Contribution, CurrencyOption, Payment
from contributions.services.refunds import refund_payment
from contributions.services.renewals import charge_due
from privacy import crypto
from privacy.logging import RedactPersonalData
from reminders.services import send_due
from tests import factories
from tests.contributions.stripe_helpers import save_card, signed_webhook, stripe_client

FERNET_TOKEN = re.compile(rb"gAAAAA[A-Za-z0-9_=-]{20,}")


class Canary:
    def __init__(self):
        tag = secrets.token_hex(6)
        self.local = f"canary-{tag}"
        self.email = f"{self.local}@example.org"
        self.name = f"Zelda Canarynest{tag}"

    @property
    def needles(self) -> list[bytes]:
        return [text.encode() for text in (self.email, self.local, self.name)]

    def found_in(self, data: bytes) -> bool:
        lowered = data.lower()
        return any(needle.lower() in lowered for needle in self.needles)


def scan(canary: Canary, log_text: str) -> dict[str, list[str]]:
    """Where the canary shows: in plain text, inside tokens, as its blind index."""
    found = {"plain": [], "encrypted": [], "blind_index": []}
    index = crypto.email_index(canary.email).encode()
    for place, data in _everything():
        if canary.found_in(data):
            found["plain"].append(place)
        if index in data:
            found["blind_index"].append(place)
        for token in FERNET_TOKEN.findall(data):
            try:
                text = crypto.decrypt(token.decode()).encode()
            except crypto.DecryptionError:
                continue
            if canary.found_in(text):
                found["encrypted"].append(place)
    if canary.found_in(log_text.encode()):
        found["plain"].append("logs")
    return found


def _everything():
    """(where, bytes) for every cell of every table and every file under the data dir."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 — names from introspection
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        yield f"{table}.{column}", _as_bytes(value)
    for path in sorted(settings.DATA_DIR.rglob("*")):
        if path.is_file():
            yield f"file {path.relative_to(settings.DATA_DIR)}", path.read_bytes()


def _as_bytes(value) -> bytes:
    if isinstance(value, bytes | memoryview):
        return bytes(value)
    if isinstance(value, dict | list):
        return json.dumps(value).encode()
    return str(value).encode()


@pytest.fixture
def captured_logs():
    """What the configured console handler would write: records through the same filter,
    exceptions included, at the levels settings give."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPersonalData())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


@pytest.fixture
def database_queue(settings):
    """Tasks go into the database queue, and `run_worker` runs what is queued."""
    # django_tasks forgets its backends when the setting changes (setting_changed).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    levels = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    call_command("worker", batch=True, startup_delay=False, no_schedule=True, verbosity=1)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


class Donor:
    """The canary, giving through the public API as the browser does."""

    def __init__(self, client, canary, mailbox, stripe_emulator):
        self.client, self.canary, self.mailbox = client, canary, mailbox
        self.started = int(timezone.now().timestamp()) - 5
        self.delivered: set[str] = set()
        self.references: set[str] = set()

    def give(self, frequency: str, amount: int) -> Contribution:
        body = {
            "frequency": frequency,
            "amount": amount,
            "currency": "USD",
            "email": self.canary.email,
            "name": self.canary.name,
            "provider": "stripe",
        }
        answer = self.client.post("/api/checkout", body, content_type="application/json")
        assert answer.status_code == 201, answer.content
        started = answer.json()
        save_card(started["reference"])
        done = self.client.post(
            f"/api/contributions/{started['contribution']}/complete",
            {"reference": started["reference"]},
            content_type="application/json",
        )
        assert done.status_code == 200, done.content
        contribution = Contribution.objects.get(pk=started["contribution"])
        self.references.add(str(contribution.pk))
        return contribution

    def deliver_provider_events(self):
        """Every event the emulator made about this donor's contributions, as webhooks."""
        with stripe_client() as client:
            events = [e.to_dict() for e in client.v1.events.list(params={"limit": 100}).data]
        for event in reversed(events):
            text = json.dumps(event)
            if event["id"] in self.delivered or not any(r in text for r in self.references):
                continue
            for found in re.findall(r'"(cus_[A-Za-z0-9]+|pi_[A-Za-z0-9]+|pm_[A-Za-z0-9]+)"', text):
                self.references.add(found)
            body, headers = signed_webhook(event)
            answer = self.client.post(
                "/webhooks/stripe",
                body,
                content_type="application/json",
                headers={"Stripe-Signature": headers["Stripe-Signature"]},
            )
            assert answer.status_code == 200, answer.content
            self.delivered.add(event["id"])
        run_worker()

    def manage_link(self) -> str:
        before = len(self.mailbox.messages)
        answer = self.client.post("/support/manage/", {"email": self.canary.email})
        assert answer.status_code == 200
        run_worker()
        message = self.mailbox.wait_for(before + 1)[-1]
        text = message.get_body(preferencelist=("plain",)).get_content()
        return re.search(r"https?://[^/\s]+(/support/manage/[^\s]+/)", text).group(1)


@pytest.fixture
def canary_world(
    client, mailbox, stripe_settings, stripe_emulator, transactional_db, database_queue
):
    factories.make_home()  # a transactional test starts without Wagtail's site
    CurrencyOption.objects.get_or_create(code="USD", defaults={"minimum": 100})
    settings.DATA_DIR.joinpath("outbox").mkdir(exist_ok=True)
    return client


def refusing(smtp_server, address: str | None):
    _, recorder = smtp_server
    recorder.refused = {address} if address else set()


# A refused email leaves a reason code, never the address, in its task result and its
# delivery (issue 14: contributions.notices, readerfund.lib.mailfailures).
@pytest.mark.parametrize("refused", [False, True], ids=["delivered", "one-email-refused"])
def test_an_erased_donor_leaves_no_trace(
    canary_world, mailbox, smtp_server, stripe_emulator, captured_logs, refused
):
    canary = Canary()
    donor = Donor(canary_world, canary, mailbox, stripe_emulator)
    staff = get_user_model().objects.create_user("finance", password="pw", is_staff=True)

    # Remind me later, then a gift once and a monthly one.
    day = timezone.localdate() + timedelta(days=3)
    signup = {"email": canary.email, "remind_on": day.isoformat()}
    answer = canary_world.post("/api/reminders", signup, content_type="application/json")
    assert answer.status_code == 201, answer.content
    once = donor.give("once", 2500)
    monthly = donor.give("monthly", 1000)
    donor.deliver_provider_events()
    assert {c.status for c in Contribution.objects.all()} == {"paid", "active"}

    # A manage link, a refund (its notice refused by the mail server when `refused`).
    donor.manage_link()
    refusing(smtp_server, canary.email if refused else None)
    try:
        refund_payment(once.payments.get(), 1000, staff)
        run_worker()
    finally:
        refusing(smtp_server, None)
    donor.deliver_provider_events()

    # The reminder's day (the donor gave since, so it is not sent) and a renewal.
    with time_machine.travel(timezone.now() + timedelta(days=3, hours=9)):
        send_due()
    monthly.refresh_from_db()
    with time_machine.travel(timezone.make_aware(_at_noon(monthly.next_charge_on))):
        assert charge_due()["succeeded"] == 1
        run_worker()
        donor.deliver_provider_events()
    assert Payment.objects.filter(contribution=monthly, status="succeeded").count() == 2

    before = scan(canary, captured_logs.getvalue())
    assert before["plain"] == [], before["plain"]
    assert "contributions_contributor.email" in before["encrypted"]
    assert "contributions_contributor.email_index" in before["blind_index"]

    # "Erase my data", from the link in the donor's email.
    from tests.contributions.manage_helpers import post

    link = donor.manage_link()
    assert canary_world.get(link).status_code == 303  # the link sets the manage cookie
    answer = post(canary_world, "/support/manage/erase/", {"confirm": "yes"})
    assert answer.status_code in (200, 302), answer.status_code
    run_worker()

    after = scan(canary, captured_logs.getvalue())
    assert after == {"plain": [], "encrypted": [], "blind_index": []}


def _at_noon(day):
    from datetime import datetime, time

    return datetime.combine(day, time(12))
