"""Rollups kept entry by entry agree with rollups rebuilt from the whole ledger."""

from datetime import UTC, datetime, timedelta

from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funding import rollups
from funding.models import DailyRevenue, SupporterCount
from tests.contributions.factories import (
    make_contribution,
    make_contributor,
    make_payment,
    record_entry,
)
from tests.funding.conftest import TODAY, Giving
from tests.funding.factories import snapshot

START = datetime(2026, 1, 30, 22, 0, tzinfo=UTC)


class Rollback(Exception):
    pass


entry_kinds = st.sampled_from(["charge", "refund", "dispute", "fee"])
steps = st.lists(
    st.tuples(
        st.integers(0, 3),  # which contribution
        entry_kinds,
        st.integers(1, 50_000),  # amount
        st.integers(0, 24 * 70),  # hours after START: across three months
        st.integers(0, 2),  # period of the payment
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
def test_incremental_rollups_equal_rebuilt_ones_after_any_sequence_of_entries(db, steps):
    giving = Giving()
    try:
        with transaction.atomic():
            shared = make_contributor("twice@example.org")
            contributions = [
                make_contribution(shared, frequency="monthly", currency="USD"),
                make_contribution(shared, frequency="once", currency="EUR"),
                make_contribution(frequency="annual", currency="GBP"),
                make_contribution(make_contributor("jpy@example.org"), frequency="monthly",
                                  currency="JPY"),
            ]  # fmt: skip
            payments = {}
            for which, kind, amount, hours, period in steps:
                contribution = contributions[which]
                key = (which, period)
                if key not in payments:
                    payments[key] = make_payment(contribution, period=period, status="succeeded")
                sign = 1 if kind == "charge" else -1
                giving.count += 1
                record_entry(
                    contribution=contribution, payment=payments[key], kind=kind,
                    amount=sign * amount, occurred_at=START + timedelta(hours=hours),
                    source="stripe", reference=f"ref_{giving.count}",
                )  # fmt: skip
            incremental = snapshot()
            rollups.rebuild()
            assert snapshot() == incremental
            raise Rollback
    except Rollback:
        pass


def test_a_replayed_entry_is_counted_once(giving):
    contribution = giving.charge(2500)
    again = record_entry(
        contribution=contribution, kind="charge", amount=2500, occurred_at=START,
        source="stripe", reference="pi_1",
    )  # fmt: skip
    assert again is None
    assert DailyRevenue.objects.get().charges == 2500


def test_refunds_disputes_and_fees_are_kept_apart(giving):
    contribution = giving.charge(5000)
    giving.entry(contribution, "refund", -1000)
    giving.entry(contribution, "dispute", -2000)
    giving.entry(contribution, "fee", -175)
    row = DailyRevenue.objects.get()
    assert (row.charges, row.refunds, row.disputes, row.fees) == (5000, -1000, -2000, -175)
    assert row.charge_count == 1


def test_a_supporter_who_gives_twice_in_a_month_counts_once(giving):
    reader = make_contributor("twice@example.org")
    giving.charge(1000, contributor=reader)
    giving.charge(2000, contributor=reader, when=TODAY + timedelta(days=1))
    giving.charge(500)
    assert list(SupporterCount.objects.values_list("count", flat=True)) == [2]


def test_only_the_first_payment_of_a_recurring_contribution_is_new(giving):
    monthly = giving.charge(1000, frequency="monthly")
    giving.charge(1000, contribution=monthly, period=1)
    giving.charge(1000, frequency="once")
    assert sum(DailyRevenue.objects.values_list("new_recurring", flat=True)) == 1


def test_rebuild_rollups_command_recomputes_from_the_ledger(giving, capsys):
    giving.charge(1000)
    DailyRevenue.objects.all().delete()
    call_command("rebuild-rollups")
    assert DailyRevenue.objects.get().charges == 1000
    assert "Rollups rebuilt" in capsys.readouterr().out
