from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import timezone

from privacy.crypto import email_index
from reminders.models import Reminder

READER = "Reader.One@example.org"
# Saturday 28 November 2026, 09:00 in the newsroom's time zone (UTC in the tests).
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def make_reminder(email=READER, remind_on=date(2026, 12, 1), **choice):
    """A reminder its reader has confirmed (as services.sign_up then services.confirm leave
    it, without the confirmation email)."""
    fields = {key: choice.get(key) or "" for key in ("frequency", "currency", "appeal", "variant")}
    return Reminder.objects.create(
        email=email.strip(),
        email_index=email_index(email),
        remind_on=remind_on,
        amount=choice.get("amount"),
        confirmed_at=timezone.now(),
        **fields,
    )


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)
