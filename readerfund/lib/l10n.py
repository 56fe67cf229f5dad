"""Dates, numbers and money the way the page's language writes them, from CLDR through Babel.

Written by hand, Russian came out as "$10,00", "-$315,25", "Этот месяц: Декабрь 2026" and
"$5.0k": each language's order of sign, symbol and number, its month forms (genitive in a
date, nominative standing alone) and its short forms are CLDR's data, which Babel keeps.
The language is Django's active one (`get_language()`), so a page, an email or a task
formats in whatever language it was rendered in.

Negative amounts get a real minus sign (U+2212), not CLDR's hyphen-minus, in every language.
"""

import functools
import re
from datetime import date
from decimal import Decimal

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.conf import settings
from django.utils.translation import get_language, to_locale

MINUS = "\u2212"
# CLDR's currency spacing, which Babel does not apply: a symbol made of letters ("SEK",
# "CHF") is kept apart from the digits by a no-break space.
_LETTERS_THEN_DIGIT = re.compile(r"([^\W\d_]{2,})(?=[\d\u2212])")
_DIGIT_THEN_LETTERS = re.compile(r"(?<=\d)([^\W\d_]{2,})")


def locale() -> str:
    """The Babel locale of the active language ('en', 'ru')."""
    return to_locale(get_language() or settings.LANGUAGE_CODE)


def _minus(text: str) -> str:
    return text.replace("-", MINUS)


def money(major: Decimal, currency: str, places: int) -> str:
    """'$10.00' in English, '10,00 $' in Russian; `places` decimals, always shown."""
    return _money(major, currency, places, locale())


# Babel takes ~100 µs an amount; a page shows the same few (presets, the monthly cost) again
# and again, so the last few thousand are kept.
@functools.lru_cache(maxsize=4096)
def _money(major: Decimal, currency: str, places: int, language: str) -> str:
    text = _pattern(language, places).apply(
        major, _locale(language), currency=currency, currency_digits=False
    )
    return _spaced(_minus(text))


def _spaced(text: str) -> str:
    text = _LETTERS_THEN_DIGIT.sub("\\1\xa0", text)
    return _DIGIT_THEN_LETTERS.sub("\xa0\\1", text)


# Parsed once per language (and number of decimals): parsing is most of Babel's cost.
@functools.cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


@functools.cache
def _pattern(language: str, places: int) -> babel_numbers.NumberPattern:
    standard = _locale(language).currency_formats["standard"].pattern
    decimals = "." + "0" * places if places else ""
    return babel_numbers.parse_pattern(standard.split(";")[0].replace(".00", decimals))


def number(value, places: int | None = None) -> str:
    """A number with the language's grouping and decimal sign: '10 000', '12,5'."""
    if places is not None:
        value = Decimal(value).quantize(Decimal(1).scaleb(-places))
        pattern = "#,##0" + ("." + "0" * places if places else "")
        text = babel_numbers.format_decimal(value, format=pattern, locale=locale())
    else:
        text = babel_numbers.format_decimal(value, locale=locale())
    return _minus(text)


def compact_money(major: Decimal, currency: str) -> str:
    """A short label for a chart: '$12K' / '12 тыс. $', one decimal below ten thousand."""
    fraction = 1 if 1000 <= abs(major) < 10_000 else 0
    text = babel_numbers.format_compact_currency(
        major, currency, locale=locale(), fraction_digits=fraction
    )
    return _minus(text)


def long_date(day: date) -> str:
    """'January 1, 2027' / '1 января 2027 г.' (CLDR's long date, month in the genitive)."""
    return babel_dates.format_date(day, "long", locale=locale())


def month(day: date) -> str:
    """A month standing alone: 'December 2026' / 'декабрь 2026' (nominative, lowercase)."""
    return babel_dates.format_date(day, "LLLL y", locale=locale())


def short_month(day: date) -> str:
    """A chart's month label: 'Feb 25' / 'февр. 25'."""
    return babel_dates.format_date(day, "LLL yy", locale=locale())


def currency_symbol(currency: str) -> str:
    """'$', '€', or the code where the language has no symbol for it."""
    return babel_numbers.get_currency_symbol(currency, locale=locale())
