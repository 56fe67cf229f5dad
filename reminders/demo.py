"""Reminders for the demo newsroom: Giving Tuesday as a day readers can choose, named in
each edition's language. Loading twice changes nothing."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from reminders.models import ReminderDate

# What the day is called where the demo's readers live: in Russian it is «Щедрый вторник».
GIVING_TUESDAY = {"en": "Giving Tuesday", "ru": "Щедрый вторник"}


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
    for language, _name in settings.LANGUAGES:  # named in each edition's words
        label = GIVING_TUESDAY.get(language, GIVING_TUESDAY["en"])
        ReminderDate.objects.get_or_create(date=day, language=language, defaults={"label": label})
