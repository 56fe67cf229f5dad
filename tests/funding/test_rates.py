"""Exchange rates: the rate of the day paid, half-even rounding, the ECB file."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from funding import rates
from funding.models import ExchangeRate
from funding.rates import RateBook, RateError, convert, divide_half_even

ECB = """Date,USD,JPY,GBP,RUB,
2026-11-13,1.1600,178.50,0.8800,N/A,
2026-11-12,1.1500,177.00,0.8750,N/A,
"""


def test_division_rounds_half_to_even():
    assert [divide_half_even(n, 2) for n in (1, 3, 5, -1, -3)] == [0, 2, 2, 0, -2]
    assert divide_half_even(10, 3) == 3
    assert divide_half_even(20, 3) == 7


def test_conversion_gives_whole_minor_units_rounded_half_to_even():
    assert convert(1000, "EUR", Decimal("1.1"), "USD") == 1100
    assert convert(5, "EUR", Decimal("0.5"), "USD") == 2  # 2.5 → 2
    assert convert(7, "EUR", Decimal("0.5"), "USD") == 4  # 3.5 → 4
    assert convert(1000, "JPY", Decimal("0.0065"), "USD") == 650  # ¥1000 → $6.50


def test_an_amount_is_converted_at_the_latest_rate_on_or_before_the_day_paid(db):
    ExchangeRate.objects.create(day=date(2026, 11, 2), currency="EUR", rate=Decimal("1.1"))
    ExchangeRate.objects.create(day=date(2026, 11, 6), currency="EUR", rate=Decimal("1.2"))
    book = RateBook({"EUR"}, until=date(2026, 11, 30), since=date(2026, 11, 5))
    assert book.convert(1000, "EUR", date(2026, 11, 5)) == 1100
    assert book.convert(1000, "EUR", date(2026, 11, 6)) == 1200
    assert book.convert(1000, "EUR", date(2026, 11, 9)) == 1200
    assert book.convert(1000, "EUR", date(2026, 11, 1)) is None
    assert book.convert(1000, "GBP", date(2026, 11, 9)) is None
    assert book.convert(1000, "USD", date(2000, 1, 1)) == 1000


def test_the_ecb_file_is_stored_as_rates_in_the_base_currency(db):
    counts = rates.import_ecb_csv(ECB)
    assert counts == {"days": 2, "rates": 6, "skipped": 0}
    stored = dict(
        ExchangeRate.objects.filter(day=date(2026, 11, 13)).values_list("currency", "rate")
    )
    assert stored["EUR"] == Decimal("1.16")
    assert stored["GBP"] == Decimal("1.318181818182")  # 1.16 / 0.88
    assert "RUB" not in stored and "USD" not in stored


def test_importing_the_same_day_again_replaces_its_rates(db):
    rates.import_ecb_csv(ECB)
    rates.import_ecb_csv("Date,USD,\n2026-11-13,1.2000,\n", currencies=["EUR"])
    assert ExchangeRate.objects.get(day=date(2026, 11, 13), currency="EUR").rate == Decimal("1.2")
    assert ExchangeRate.objects.count() == 6


@override_settings(READERFUND_BASE_CURRENCY="EUR")
def test_a_euro_newsroom_gets_the_inverse_of_the_ecb_rates(db):
    rates.import_ecb_csv(ECB, currencies=["USD"])
    rate = ExchangeRate.objects.get(day=date(2026, 11, 12), currency="USD").rate
    assert rate == Decimal("0.869565217391")  # 1 / 1.15


@pytest.mark.parametrize(
    "text, message",
    [
        ("Day,USD\n2026-11-13,1.1\n", "Date"),
        ("Date,USD\n13/11/2026,1.1\n", "line 2"),
        ("Date,USD\n2026-11-13,abc\n", "not a number"),
        ("Date,USD\n2026-11-13,-1\n", "positive"),
    ],
)
def test_a_malformed_rates_file_is_refused_with_the_line(db, text, message):
    with pytest.raises(RateError, match=message):
        rates.import_ecb_csv(text)
    assert not ExchangeRate.objects.exists()


@pytest.mark.parametrize("amount", [0, 1, 5, 7, 999, 123_457, -2_500, 10**12])
@pytest.mark.parametrize("rate", ["1.1", "0.5", "1.318181818182", "0.0065", "162.34"])
@pytest.mark.parametrize("currency", ["EUR", "JPY", "KWD"])
def test_the_rate_book_converts_exactly_as_decimal_arithmetic_does(db, amount, rate, currency):
    ExchangeRate.objects.create(day=date(2026, 11, 2), currency=currency, rate=Decimal(rate))
    book = RateBook({currency}, until=date(2026, 11, 30))
    expected = convert(amount, currency, Decimal(rate), "USD")
    assert book.convert(amount, currency, date(2026, 11, 2)) == expected
