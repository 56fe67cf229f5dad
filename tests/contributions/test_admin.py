"""Staff at work in the admin: lists, the ledger export, an offline gift."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model

from contributions.models import Contribution, LedgerEntry


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_superuser("finance", "f@example.org", "pw")
    client.force_login(user)
    return client


GIFT = {
    "email": "donor@example.org",
    "name": "Vera Donor",
    "amount": "150.00",
    "currency": "EUR",
    "received_on": "2026-11-20",
    "reference": "SEPA 2026-11-20 #4411",
}


def test_staff_record_an_offline_gift_into_the_ledger(staff_client):
    response = staff_client.post("/admin/giving/offline/", GIFT)
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.provider, contribution.status, contribution.amount) == (
        "offline",
        "paid",
        15000,
    )
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.amount, entry.currency, entry.source) == (
        "charge",
        15000,
        "EUR",
        "staff",
    )
    assert entry.staff_user.username == "finance"


def test_the_same_offline_reference_cannot_be_recorded_twice(staff_client):
    staff_client.post("/admin/giving/offline/", GIFT)
    response = staff_client.post("/admin/giving/offline/", GIFT)
    assert response.status_code == 400
    assert "already recorded" in response.content.decode()
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize("amount", ["abc", "1.234", "-3"])
def test_a_bad_offline_amount_is_refused_and_records_nothing(staff_client, amount):
    response = staff_client.post("/admin/giving/offline/", {**GIFT, "amount": amount})
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_the_ledger_exports_as_csv_for_a_date_range(staff_client):
    staff_client.post("/admin/giving/offline/", GIFT)
    staff_client.post(
        "/admin/giving/offline/", {**GIFT, "reference": "cheque 7", "received_on": "2026-10-01"}
    )
    response = staff_client.get(
        "/admin/giving/ledger/",
        {"export": "csv", "occurred_at__date__gte": "2026-11-01"},
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["date", "contribution", "frequency", "Kind"] or "date" in rows[0]
    assert len(rows) == 2
    assert "150.00" in rows[1] and "SEPA 2026-11-20 #4411" in rows[1]


def test_contributions_and_the_ledger_cannot_be_edited_in_the_admin(staff_client):
    staff_client.post("/admin/giving/offline/", GIFT)
    contribution = Contribution.objects.get()
    assert staff_client.get("/admin/giving/contributions/").status_code == 200
    assert staff_client.get(f"/admin/giving/contributions/edit/{contribution.pk}/").status_code in (
        302,
        403,
        404,
    )
    assert staff_client.get("/admin/giving/ledger/new/").status_code in (302, 403, 404)


def test_staff_can_change_preset_amounts(staff_client):
    assert staff_client.get("/admin/giving/presets/").status_code == 200
