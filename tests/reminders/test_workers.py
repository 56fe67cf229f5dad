"""Several workers at once, and a worker killed mid-batch, against PostgreSQL.

What services.send_due promises (see its module docstring): each reminder is sent once by
concurrent workers; a killed worker loses none, and the only message that can arrive twice is
the one on the wire when it died, both copies with the same Message-ID.
"""

import asyncio
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from reminders import emails, services
from reminders.models import Reminder
from tests.concurrency import at_once
from tests.processes import free_port
from tests.reminders.conftest import make_reminder

DAY = date(2026, 12, 1)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent workers and a second process need a server database; the test "
        "database on SQLite is in memory, invisible to another process, and locks whole "
        "tables (`make test` runs this on PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True),
]


class SlowRecorder:
    """An SMTP server that takes each message, then waits before saying "250 OK" (as a real
    one does while it writes to disk): a worker killed meanwhile never hears that its
    message went."""

    def __init__(self):
        self.message_ids: list[str] = []
        self.delay = 0.0
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        header = next(
            line for line in envelope.content.splitlines() if line.startswith(b"Message-ID:")
        )
        with self.arrived:
            self.message_ids.append(header.split(b":", 1)[1].strip().decode())
            self.arrived.notify_all()
        await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 30) -> None:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.message_ids) >= count, timeout)


@pytest.fixture
def slow_smtp(settings):
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per command
    recorder = SlowRecorder()
    controller = Controller(
        recorder, hostname="127.0.0.1", port=free_port(), server_hostname="localhost"
    )
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield recorder, controller
    controller.stop()


def make_reminders(count: int) -> list[Reminder]:
    return [make_reminder(email=f"reader{n}@example.org", remind_on=DAY) for n in range(count)]


def test_two_workers_at_once_send_each_reminder_once(slow_smtp):
    recorder, _ = slow_smtp
    reminders = make_reminders(60)
    results = at_once(lambda: services.send_due(DAY, batch_size=7))
    assert sum(result["sent"] for result in results) == 60
    received = Counter(recorder.message_ids)
    assert set(received) == {emails.message_id(r) for r in reminders}
    assert set(received.values()) == {1}
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}


def worker_process(smtp_port: int) -> subprocess.Popen:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db["PASSWORD"]:
        url = url.replace("@", f":{db['PASSWORD']}@", 1)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "readerfund.settings",
        "DATABASE_URL": url,
        # The test's data dir: the same encryption keys.
        "READERFUND_DATA_DIR": str(django_settings.DATA_DIR),
        "READERFUND_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "READERFUND_SITE_URL": "http://testserver",
    }
    command = [sys.executable, "-m", "readerfund.cli", "send-reminders", "--date", "2026-12-01"]
    return subprocess.Popen(
        [*command, "--batch-size", "5"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_a_worker_killed_mid_batch_loses_none_and_repeats_only_the_message_in_flight(
    slow_smtp,
):
    recorder, controller = slow_smtp
    reminders = make_reminders(20)
    recorder.delay = 0.5
    worker = worker_process(controller.port)
    try:
        recorder.wait_for(7)  # the 7th is on the wire: taken, not yet answered
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.communicate(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    left = Counter(Reminder.objects.values_list("status", flat=True))
    assert left == {"sent": 6, "sending": 4, "scheduled": 10}  # batch 2 half done
    sent_before = {emails.message_id(r) for r in Reminder.objects.filter(status="sent")}

    # A worker starts again: the dead run's claims are taken over once they are stale.
    recorder.delay = 0
    assert services.send_due(DAY, batch_size=5)["sent"] == 10  # its claims are still fresh
    later = timezone.now() + services.RECLAIM_AFTER + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert services.send_due(DAY, batch_size=5)["sent"] == 4
    time.sleep(0.1)

    received = Counter(recorder.message_ids)
    assert set(received) == {emails.message_id(r) for r in reminders}  # none lost
    twice = [message_id for message_id, n in received.items() if n > 1]
    assert len(twice) <= 1 and sum(received.values()) == 20 + len(twice)
    assert not sent_before & set(twice)  # what was marked sent is never sent again
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
