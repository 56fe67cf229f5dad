"""Reminders for the demo newsroom: Giving Tuesday as a day readers can choose. Loading twice
changes nothing."""

from datetime import date, timedelta

from django.utils import timezone

from reminders.models import ReminderDate


def giving_tuesday(year: int) -> date:
    """The Tuesday after the fourth Thursday of November."""
    first = date(year, 11, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    return thursday + timedelta(days=5)


def load() -> None:
    today = timezone.localdate()
    day = giving_tuesday(today.year)
    if day <= today:
        day = giving_tuesday(today.year + 1)
    ReminderDate.objects.get_or_create(date=day, defaults={"label": "Giving Tuesday"})
