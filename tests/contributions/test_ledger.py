"""The ledger: each fact once, whatever the order or number of reports."""

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contributions.models import Contribution, LedgerEntry, LedgerIsAppendOnly, Payment
from contributions.money import Money
from contributions.providers.base import Fact
from contributions.services.facts import apply_fact, apply_facts
from funding import rollups
from tests.contributions.factories import failure, make_contribution, make_payment, record_entry
from tests.funding.factories import snapshot

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def charge(contribution, payment, reference="pi_1", amount=1000, fee=None):
    return Fact(
        kind="charge",
        reference=reference,
        contribution=str(contribution.pk),
        payment=str(payment.pk),
        amount=Money(amount, "USD"),
        occurred_at=WHEN,
        details={"fee": fee} if fee else {},
    )


def refund(contribution, reference, amount, charge_reference="pi_1"):
    return Fact(
        kind="refund",
        reference=reference,
        contribution=str(contribution.pk),
        charge_reference=charge_reference,
        amount=Money(amount, "USD"),
        occurred_at=WHEN,
    )


def dispute(contribution, reference="dp_1", amount=1000):
    return Fact(
        kind="dispute",
        reference=reference,
        contribution=None,
        charge_reference="pi_1",
        amount=Money(amount, "USD"),
        occurred_at=WHEN,
    )


def ledger_of(contribution):
    return sorted(
        LedgerEntry.objects.filter(contribution=contribution).values_list(
            "kind", "amount", "reference", "occurred_at"
        )
    )


@pytest.fixture
def monthly(db):
    contribution = make_contribution(frequency="monthly", amount=1000)
    return contribution, make_payment(contribution, reference="pi_1")


def test_a_charge_is_recorded_once_however_often_it_is_reported(monthly):
    contribution, payment = monthly
    for _ in range(3):
        apply_fact("stripe", charge(contribution, payment))
    assert ledger_of(contribution) == [("charge", 1000, "pi_1", WHEN)]


def test_a_charge_makes_the_payment_succeed_and_the_contribution_active(monthly):
    contribution, payment = monthly
    apply_fact("stripe", charge(contribution, payment))
    payment.refresh_from_db()
    contribution.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert contribution.status == Contribution.Status.ACTIVE
    assert contribution.next_charge_on.isoformat() == "2026-12-01"


def test_a_one_off_charge_marks_the_contribution_paid(db):
    contribution = make_contribution(frequency="once", amount=2500)
    payment = make_payment(contribution, reference="pi_1")
    apply_fact("stripe", charge(contribution, payment, amount=2500))
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PAID
    assert contribution.next_charge_on is None


def test_the_providers_fee_is_a_separate_negative_entry(monthly):
    contribution, payment = monthly
    apply_fact("stripe", charge(contribution, payment, fee=59))
    assert [(kind, amount) for kind, amount, *_ in ledger_of(contribution)] == [
        ("charge", 1000),
        ("fee", -59),
    ]
    assert contribution.ledger_total() == Money(941, "USD")


def test_partial_refunds_and_a_dispute_each_count_once(monthly):
    contribution, payment = monthly
    facts = [
        charge(contribution, payment),
        refund(contribution, "re_1", 300),
        refund(contribution, "re_2", 200),
        refund(contribution, "re_1", 300),
        dispute(contribution, amount=500),
        dispute(contribution, amount=500),
    ]
    for fact in facts:
        apply_fact("stripe", fact)
    assert contribution.ledger_total() == Money(0, "USD")
    contribution.refresh_from_db()
    assert contribution.disputed is True


def test_a_failure_reported_after_success_changes_nothing(monthly):
    contribution, payment = monthly
    apply_fact("stripe", charge(contribution, payment))
    apply_fact("stripe", failure(contribution, payment))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.failure_code == ""


def test_facts_about_objects_that_are_not_ours_are_ignored(db):
    stranger = Fact(kind="charge", reference="pi_x", contribution=None, amount=Money(5, "USD"))
    apply_fact("stripe", stranger)
    not_a_uuid = Fact(kind="charge", reference="pi_y", contribution="42", amount=Money(5, "USD"))
    apply_fact("stripe", not_a_uuid)
    assert LedgerEntry.objects.count() == 0


def test_ledger_entries_can_be_neither_changed_nor_deleted(monthly):
    contribution, payment = monthly
    entry = record_entry(
        contribution=contribution,
        kind="charge",
        amount=1000,
        occurred_at=WHEN,
        source="staff",
        reference="cheque 114",
    )
    entry.amount = 1
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()


class Rollback(Exception):
    pass


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_order_and_any_duplication_of_events_gives_the_same_ledger(monthly, data):
    contribution, payment = monthly
    facts = [
        charge(contribution, payment, fee=59),
        failure(contribution, payment),
        refund(contribution, "re_1", 300),
        refund(contribution, "re_2", 700),
        dispute(contribution, "dp_1", 1000),
    ]
    # Every fact at least once, some several times, in any order.
    extra = data.draw(st.lists(st.sampled_from(facts), max_size=8))
    stream = data.draw(st.permutations(facts + extra))
    expected = [
        ("charge", 1000, "pi_1", WHEN),
        ("dispute", -1000, "dp_1", WHEN),
        ("fee", -59, "pi_1", WHEN),
        ("refund", -700, "re_2", WHEN),
        ("refund", -300, "re_1", WHEN),
    ]
    # Applied one by one, or in batches as a drain applies them (runs of charges together).
    cuts = sorted(data.draw(st.sets(st.integers(1, len(stream) - 1), max_size=4)))
    batches = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
    try:
        with transaction.atomic():
            for batch in batches:
                apply_facts("stripe", batch)
            assert ledger_of(contribution) == sorted(expected)
            assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED
            kept = snapshot()  # the rollups kept as entries came agree with a rebuild
            rollups.rebuild()
            assert snapshot() == kept
            raise Rollback
    except Rollback:
        pass


LEDGER_WRITERS = {
    # The one way in: facts build the entries, the ledger inserts them.
    "contributions/services/facts.py": {"LedgerEntry", "record_many"},
    "contributions/ledger.py": {"insert_new"},
    # The demo's two years of made-up history, written in bulk: no money moved.
    "funding/demo.py": {"LedgerEntry", "bulk_create"},
}


def _ledger_writes(path: Path) -> set[str]:
    """How a module could make ledger rows: building a LedgerEntry, calling the ledger's
    writer, or LedgerEntry's manager's create methods."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        called = ast.unparse(node.func)
        if called == "LedgerEntry" or called.endswith(".record_many"):
            found.add("LedgerEntry" if called == "LedgerEntry" else "record_many")
        elif called.startswith("LedgerEntry.objects.") and "create" in called:
            found.add(called.rsplit(".", 1)[1])
        elif called == "insert_new" and node.args and ast.unparse(node.args[0]) == "LedgerEntry":
            found.add("insert_new")
    return found


def test_ledger_entries_are_made_by_applying_facts_and_nowhere_else():
    root = Path(__file__).resolve().parents[2]
    apps = ["readerfund", "privacy", "newsroom", "contributions", "funding", "reminders", "appeals"]
    writers = {}
    for app in apps:
        for path in (root / app).rglob("*.py"):
            if "migrations" not in path.parts and (found := _ledger_writes(path)):
                writers[str(path.relative_to(root))] = found
    assert writers == LEDGER_WRITERS
