import pytest
from hypothesis import given
from hypothesis import strategies as st

from contributions.money import Money, MoneyError, parse_major


def test_money_formats_with_the_currency_symbol():
    assert Money(1000, "USD").format() == "$10.00"
    assert Money(123456, "EUR").format() == "€1,234.56"
    assert Money(-500, "GBP").format() == "\u2212£5.00"  # a real minus sign
    assert Money(500, "SEK").format() == "SEK\xa05.00"  # CLDR: a code before the number


def test_money_refuses_floats_and_bad_currency_codes():
    with pytest.raises(MoneyError):
        Money(10.0, "USD")
    with pytest.raises(MoneyError):
        Money(10, "usd")


def test_money_does_not_mix_currencies():
    with pytest.raises(MoneyError):
        Money(1, "USD") + Money(1, "EUR")


@pytest.mark.parametrize(
    ("text", "minor"), [("25", 2500), ("25.5", 2550), ("25.50", 2550), ("0.01", 1), ("2,50", 250)]
)
def test_parse_major_reads_what_readers_type(text, minor):
    assert parse_major(text, "usd") == Money(minor, "USD")


@pytest.mark.parametrize("text", ["abc", "1.234", "-5", "nan", "inf", ""])
def test_parse_major_refuses_what_is_not_an_amount(text):
    with pytest.raises(MoneyError):
        parse_major(text, "USD")


def test_currencies_without_minor_units_take_whole_numbers():
    assert parse_major("500", "JPY") == Money(500, "JPY")
    with pytest.raises(MoneyError):
        parse_major("500.5", "JPY")


@given(st.integers(min_value=0, max_value=10**12))
def test_major_and_minor_round_trip_exactly(minor):
    money = Money(minor, "USD")
    assert parse_major(str(money.major), "USD") == money
