"""Calendar arithmetic shared by the apps."""

import calendar
from datetime import date


def add_months(day: date, months: int, anchor_day: int | None = None) -> date:
    """`day` plus `months`, on the anchor's day of month (by default `day`'s own), or on the
    month's last day when it is shorter (31 January → 28/29 February → 31 March)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    wanted = anchor_day or day.day
    return date(year, month, min(wanted, calendar.monthrange(year, month)[1]))
