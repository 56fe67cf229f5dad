"""When recurring contributions fall due."""

from datetime import date

from readerfund.lib.dates import add_months

MONTHS = {"monthly": 1, "annual": 12}


def next_period(day: date, frequency: str, anchor: date) -> date:
    return add_months(day, MONTHS[frequency], anchor_day=anchor.day)
