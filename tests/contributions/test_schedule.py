from datetime import date

import pytest

from contributions.schedule import next_period
from readerfund.lib.dates import add_months


@pytest.mark.parametrize(
    ("day", "anchor", "expected"),
    [
        (date(2026, 1, 31), date(2026, 1, 31), date(2026, 2, 28)),
        (date(2026, 2, 28), date(2026, 1, 31), date(2026, 3, 31)),
        (date(2028, 1, 31), date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 12, 15), date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_monthly_giving_keeps_the_day_of_the_first_payment(day, anchor, expected):
    assert next_period(day, "monthly", anchor=anchor) == expected


def test_annual_giving_on_29_february_falls_on_28_february_in_other_years():
    assert next_period(date(2028, 2, 29), "annual", anchor=date(2028, 2, 29)) == date(2029, 2, 28)


def test_adding_months_crosses_years():
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
