"""The month's figures: revenue, cost, gap, percent, MRR, missing rates, lapses."""

from datetime import UTC, date, datetime

from django.core.management import call_command

from contributions.models import Contribution
from funding import services
from funding.models import MonthlyCost
from funding.services import month_cost
from tests.contributions.factories import make_payment

NOVEMBER = date(2026, 11, 1)


def november(**kwargs):
    return services.monthly_figures(NOVEMBER, NOVEMBER, today=date(2026, 11, 15), **kwargs)[0]


def test_revenue_is_charges_minus_refunds_and_disputes_with_fees_apart(frozen, giving):
    contribution = giving.charge(5000)
    giving.entry(contribution, "refund", -1000)
    giving.entry(contribution, "dispute", -500)
    giving.entry(contribution, "fee", -175)
    figures = november()
    assert (figures.revenue, figures.charges, figures.fees) == (3500, 5000, -175)


def test_gap_and_percent_against_the_monthly_cost(frozen, giving, monthly_cost):
    giving.charge(333_333)
    figures = november()
    assert figures.cost == 1_000_000
    assert figures.gap == 666_667
    assert figures.percent == 33


def test_percent_says_100_only_when_the_gap_is_closed(frozen, giving, monthly_cost):
    giving.charge(999_999)
    assert november().percent == 99
    giving.charge(1)
    assert november().percent == 100
    assert november().gap == 0


def test_a_month_without_cost_has_no_percent(frozen, giving):
    giving.charge(1000)
    assert november().percent is None
    assert november().gap == 0


def test_a_cost_that_starts_mid_month_counts_for_the_days_it_applies(db):
    costs = [MonthlyCost(effective_from=date(2026, 11, 16), amount=3000)]
    assert month_cost(NOVEMBER, costs) == 1500
    costs = [MonthlyCost(effective_from=date(2024, 7, 1), amount=1000),
             MonthlyCost(effective_from=date(2026, 11, 11), amount=4000)]  # fmt: skip
    assert month_cost(NOVEMBER, costs) == 3000  # 10 days at 1000, 20 days at 4000


def test_other_currencies_are_converted_at_the_rate_of_the_day(frozen, giving, euro_rate):
    giving.charge(1000, currency="EUR")
    giving.charge(1000)
    figures = november()
    assert figures.revenue == 2100
    assert figures.by_currency == {"EUR": 1000, "USD": 1000}
    assert figures.complete


def test_money_without_a_rate_is_reported_never_counted_as_zero(frozen, giving):
    giving.charge(1000, currency="GBP")
    giving.charge(1000)
    figures = november()
    assert figures.revenue == 1000
    assert not figures.complete
    missing = figures.unconverted["GBP"]
    assert (missing.amount, missing.first_day) == (1000, date(2026, 11, 15))


def test_mrr_is_monthly_gifts_plus_a_twelfth_of_annual_ones(frozen, giving):
    giving.charge(1000, frequency="monthly", when=datetime(2026, 10, 20, tzinfo=UTC))
    giving.charge(12_000, frequency="annual", when=datetime(2026, 3, 1, tzinfo=UTC))
    giving.charge(5000, frequency="once")
    figures = services.monthly_figures(date(2026, 10, 1), NOVEMBER, today=date(2026, 11, 15))
    october, this_month = figures
    assert october.mrr == 1000 + 1000
    # This month: the monthly gift charged on 20 October is still within the last month.
    assert this_month.mrr == 1000 + 1000


def test_lapsed_contributions_are_counted_in_the_month_their_payment_was_due(frozen, giving):
    monthly = giving.charge(1000, frequency="monthly", when=datetime(2026, 9, 3, tzinfo=UTC))
    make_payment(monthly, period=1, status="failed", due_on=date(2026, 10, 3))
    Contribution.objects.filter(pk=monthly.pk).update(status="lapsed")
    figures = services.monthly_figures(date(2026, 10, 1), NOVEMBER, today=date(2026, 11, 15))
    assert [f.lapsed for f in figures] == [1, 0]


def test_readerfund_funding_prints_the_months_figures(frozen, giving, monthly_cost, capsys):
    giving.charge(250_000)
    giving.charge(1000, currency="GBP")
    call_command("funding", "--month", "2026-11")
    out, err = capsys.readouterr()
    assert "revenue        $2,500.00" in out
    assert "cost           $10,000.00" in out
    assert "gap            $7,500.00" in out
    assert "percent        25%" in out
    assert "no GBP rate" in err


def test_readerfund_funding_refuses_a_malformed_month(db):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("funding", "--month", "11/2026")
