from datetime import UTC, date, datetime

import pytest
import time_machine

from reminders import services

READER = "Reader.One@example.org"
# Saturday 28 November 2026, 09:00 in the newsroom's time zone (UTC in the tests).
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def make_reminder(email=READER, remind_on=date(2026, 12, 1), **choice):
    return services.sign_up({"email": email, "remind_on": remind_on, **choice})


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)
