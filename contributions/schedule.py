"""When recurring contributions fall due."""

import calendar
from datetime import date


def add_months(day: date, months: int, anchor_day: int | None = None) -> date:
    """`day` plus `months`, keeping the anchor's day of month where the month has it
    (31 January → 28/29 February → 31 March)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    wanted = anchor_day or day.day
    return date(year, month, min(wanted, calendar.monthrange(year, month)[1]))


def next_period(day: date, frequency: str, anchor: date) -> date:
    months = {"monthly": 1, "annual": 12}[frequency]
    return add_months(day, months, anchor_day=anchor.day)
