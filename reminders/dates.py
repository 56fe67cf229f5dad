"""The days a reader can choose: next month, in three months, or a day staff named."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from readerfund.lib import l10n
from readerfund.lib.dates import add_months

LATE_IN_MONTH = 20  # from this day on, "next month" means the month after
NEXT_MONTH, THREE_MONTHS = "next-month", "3-months"


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    day: date

    @property
    def day_label(self) -> str:
        return l10n.long_date(self.day)


def next_month(today: date) -> date:
    """The 1st of next month, or of the month after when this one is nearly over: a reminder
    on the 1st that comes ten days after signing up would feel like no wait at all."""
    first = add_months(today.replace(day=1), 1)
    return add_months(first, 1) if today.day >= LATE_IN_MONTH else first


def latest(today: date) -> date:
    """The furthest day a reminder may be set for: one year ahead."""
    return add_months(today, 12)


def options(today: date) -> list[Option]:
    """What the form offers, in date order: next month, 3 months, then staff's named days
    that are after today and within a year."""
    from reminders.models import ReminderDate

    found = [
        Option(NEXT_MONTH, str(_("Next month")), next_month(today)),
        Option(THREE_MONTHS, str(_("In 3 months")), add_months(today, 3)),
    ]
    named = ReminderDate.objects.filter(date__gt=today, date__lte=latest(today)).filter(
        Q(language="") | Q(language=get_language())  # the edition's own names for its days
    )
    found += [Option(f"day-{d.pk}", d.label, d.date) for d in named]
    unique = {option.day: option for option in reversed(found)}  # a named day wins a tie
    return sorted(unique.values(), key=lambda option: option.day)
