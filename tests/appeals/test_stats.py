"""Per-variant statistics: counts, conversions from contributions, money raised, the
conversion rate's confidence interval, and a winner only when the difference is significant."""

from datetime import date

import pytest

from appeals import counting, services
from appeals.models import AppealCount, AppealVariant
from appeals.stats import (
    MIN_IMPRESSIONS,
    VariantStats,
    appeal_stats,
    pick_winner,
    two_proportion_p_value,
    wilson_interval,
)
from contributions.models import Contribution
from tests.appeals.conftest import make_appeal
from tests.contributions.factories import make_contribution, make_contributor, make_payment

pytestmark = pytest.mark.django_db


def variant(key, conversions, impressions):
    return VariantStats(key, impressions=impressions, conversions=conversions)


def test_wilson_interval_matches_the_textbook_values():
    low, high = wilson_interval(10, 100)
    assert (round(low, 4), round(high, 4)) == (0.0552, 0.1744)
    low, high = wilson_interval(0, 50)
    assert low == pytest.approx(0.0) and round(high, 4) == 0.0713
    assert wilson_interval(0, 0) == (0.0, 0.0)


def test_two_proportion_test_tells_a_real_difference_from_noise():
    assert two_proportion_p_value(60, 1000, 30, 1000) < 0.01
    assert two_proportion_p_value(11, 1000, 10, 1000) > 0.5
    assert two_proportion_p_value(0, 100, 0, 100) == 1.0


def test_a_winner_is_named_when_the_difference_is_significant():
    winner, p_value = pick_winner([variant("a", 60, 1000), variant("b", 30, 1000)])
    assert winner.key == "a"
    assert p_value < 0.05


def test_no_winner_when_the_difference_is_not_significant():
    winner, p_value = pick_winner([variant("a", 11, 1000), variant("b", 10, 1000)])
    assert winner is None
    assert p_value > 0.05


def test_no_winner_before_every_variant_has_enough_impressions():
    few = MIN_IMPRESSIONS - 1
    winner, _ = pick_winner([variant("a", 40, few), variant("b", 0, few)])
    assert winner is None


def test_the_winner_must_beat_every_other_variant_with_the_correction():
    # a beats c clearly but not b: no winner.
    variants = [variant("a", 60, 1000), variant("b", 50, 1000), variant("c", 20, 1000)]
    assert pick_winner(variants)[0] is None


def test_a_single_variant_is_never_a_winner():
    assert pick_winner([variant("a", 50, 1000)]) == (None, None)


def convert(appeal, variant_key, amount=1000, *, currency="USD", giving=None, paid=True):
    giving.count += 1
    donor = make_contributor(f"donor{giving.count}@example.org")
    contribution = make_contribution(donor, amount=amount, currency=currency, status="paid")
    Contribution.objects.filter(pk=contribution.pk).update(appeal=appeal.slug, variant=variant_key)
    contribution.refresh_from_db()
    if paid:
        giving.charge(amount, currency=currency, contribution=contribution)
    else:
        make_payment(contribution, status="failed")
    return contribution


def test_stats_add_counts_conversions_and_money_raised_per_variant(
    frozen, modal, giving, euro_rate
):
    for day, key, impressions, clicks in [
        (date(2026, 11, 1), "a", 100, 10),
        (date(2026, 11, 2), "a", 50, 5),
        (date(2026, 11, 1), "b", 120, 3),
    ]:
        AppealCount.objects.create(
            appeal=modal, variant=key, day=day, impressions=impressions, clicks=clicks
        )
    services.record_event(modal.slug, "b", "dismiss")
    counting.flush()
    convert(modal, "a", 1000, giving=giving)
    convert(modal, "a", 2000, currency="EUR", giving=giving)  # 22.00 USD at 1.10
    convert(modal, "a", 5000, giving=giving, paid=False)  # first payment failed: no conversion
    convert(modal, "b", 500, giving=giving)
    convert(modal, "", 700, giving=giving)  # a reader without JavaScript: no variant
    other = make_contribution(make_contributor("other@example.org"))
    giving.charge(9999, contribution=other)  # not from this appeal

    stats = appeal_stats(modal)
    rows = {row.key: row for row in stats.variants}

    assert list(rows) == ["a", "b", ""]
    a, b, none = rows["a"], rows["b"], rows[""]
    assert (a.impressions, a.clicks, a.conversions, a.raised) == (150, 15, 2, 3200)
    assert (b.impressions, b.clicks, b.dismissals, b.conversions, b.raised) == (120, 3, 1, 1, 500)
    assert (none.current, none.conversions, none.raised) == (False, 1, 700)
    assert a.rate == pytest.approx(2 / 150)
    assert a.interval == wilson_interval(2, 150)
    assert str(a.raised_money) == "$32.00"
    assert stats.winner is None


def test_money_with_no_exchange_rate_is_shown_apart(frozen, modal, giving):
    convert(modal, "a", 3000, currency="GBP", giving=giving)
    row = next(row for row in appeal_stats(modal).variants if row.key == "a")
    assert row.raised == 0
    assert [str(m) for m in row.unconverted_money] == ["£30.00"]


def test_the_admin_shows_each_variants_figures_and_the_winner(admin_client, frozen, modal, giving):
    AppealCount.objects.create(appeal=modal, variant="a", day=date(2026, 11, 1), impressions=1000)
    AppealCount.objects.create(appeal=modal, variant="b", day=date(2026, 11, 1), impressions=1000)
    for _ in range(30):
        convert(modal, "a", 1000, giving=giving)
    for _ in range(5):
        convert(modal, "b", 1000, giving=giving)

    response = admin_client.get(f"/admin/appeals/stats/{modal.pk}/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "Variant a converts best, and the difference is significant." in text
    assert "3.00%" in text  # a's conversion rate
    assert "$300.00" in text
    assert "95% confidence interval" in text


def test_the_admin_says_there_is_no_winner_yet(admin_client, frozen, modal, giving):
    AppealCount.objects.create(appeal=modal, variant="a", day=date(2026, 11, 1), impressions=500)
    AppealCount.objects.create(appeal=modal, variant="b", day=date(2026, 11, 1), impressions=500)
    convert(modal, "a", 1000, giving=giving)
    text = admin_client.get(f"/admin/appeals/stats/{modal.pk}/").content.decode()
    assert "No winner yet" in text


def test_a_variants_heading_is_shown_with_its_placeholders_filled(admin_client, frozen):
    from tests.factories import make_home

    make_home("The Test Ledger")
    appeal = make_appeal(variants=("a", "b"))
    AppealVariant.objects.filter(appeal=appeal, key="a").update(
        heading="A Message from {newsroom}:"
    )
    [row] = [row for row in appeal_stats(appeal).variants if row.key == "a"]
    assert row.label == "A Message from The Test Ledger:"
    page = admin_client.get(f"/admin/appeals/stats/{appeal.pk}/").content.decode()
    assert "{newsroom}" not in page
