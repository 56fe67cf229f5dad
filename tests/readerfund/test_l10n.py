"""Dates, numbers and money in each language, from CLDR through Babel (readerfund/lib/l10n.py),
as a Russian editor and an English one would write them."""

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from contributions.money import Money, short_money
from funding.charts import compact
from readerfund.lib import l10n

NEXT_PAYMENT = (
    "{% load i18n %}{% blocktranslate with date=day|long_date %}"
    "Your next payment is on {{ date }}.{% endblocktranslate %}"
)
THIS_MONTH = (
    "{% load i18n %}{% blocktranslate with month=day|month_year %}"
    "This month: {{ month }}{% endblocktranslate %}"
)


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.fixture
def russian():
    with translation.override("ru"):
        yield


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_russian_money_puts_the_symbol_after_a_comma_decimal(russian):
    assert Money(1000, "USD").format() == "10,00\xa0$"
    assert Money(1_000_000, "USD").format() == "10\xa0000,00\xa0$"
    assert Money(2550, "EUR").format() == "25,50\xa0€"


def test_a_negative_amount_has_a_real_minus_sign_in_both_languages(russian):
    assert Money(-31525, "USD").format() == "\u2212315,25\xa0$"
    with translation.override("en"):
        assert Money(-31525, "USD").format() == "\u2212$315.25"
        assert "-" not in Money(-31525, "USD").format()


def test_english_money_is_unchanged(english):
    assert Money(1000, "USD").format() == "$10.00"
    assert Money(1_000_000, "GBP").format() == "£10,000.00"
    assert Money(500, "JPY").format() == "¥500"


def test_preset_labels_drop_the_decimals_of_whole_amounts(russian):
    assert short_money(Money(1000, "USD")) == "10\xa0$"
    assert short_money(Money(1050, "USD")) == "10,50\xa0$"
    with translation.override("en"):
        assert short_money(Money(1000, "USD")) == "$10"


def test_a_russian_date_is_in_the_genitive_with_one_full_stop(russian):
    assert l10n.long_date(date(2024, 7, 1)) == "1 июля 2024\u202fг."
    rendered = render(NEXT_PAYMENT, day=date(2027, 1, 1))
    assert rendered.startswith("Следующий платёж — 1 января 2027")
    assert ".." not in rendered


def test_a_month_standing_alone_is_nominative_and_lowercase_in_russian(russian):
    assert l10n.month(date(2026, 12, 1)) == "декабрь 2026"
    text = render(THIS_MONTH, day=date(2026, 12, 5))
    assert text == "Текущий месяц: декабрь 2026"


def test_chart_labels_come_from_cldr_in_each_language(russian):
    assert compact(500_000, "USD") == "5\xa0тыс.\xa0$"
    assert l10n.short_month(date(2025, 2, 1)) == "февр. 25"
    with translation.override("en"):
        assert compact(500_000, "USD") == "$5K"
        assert compact(1_230_000, "USD") == "$12K"
        assert compact(-4000, "GBP") == "\u2212£40"
        assert l10n.short_month(date(2025, 2, 1)) == "Feb 25"


def test_the_currency_symbol_follows_the_language(russian):
    assert l10n.currency_symbol("USD") == "$"
    assert l10n.currency_symbol("RUB") == "₽"


def test_no_reader_or_donor_form_leaves_its_messages_to_the_browser():
    """A form with `required` fields and no `novalidate` lets the browser say what is wrong,
    in the browser's language (English on a Russian page): every such form must say it
    itself."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for template in root.glob("*/templates/**/*.html"):
        if "/admin/" in str(template) or "/staff/" in str(template):
            continue
        for form in re.findall(r"<form\b.*?</form>", template.read_text(), re.S):
            if re.search(r"\brequired\b", form) and "novalidate" not in form.split(">")[0]:
                offenders.append(str(template.relative_to(root)))
    assert offenders == []
