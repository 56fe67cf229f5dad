"""Staff at work in the admin: lists, the ledger export, an offline gift."""

import csv
import io
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from contributions.models import Contribution, LedgerEntry
from privacy.models import AuditEvent
from tests.contributions.factories import make_contribution, make_contributor, make_payment


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


def listed(staff_client, **query) -> list[str]:
    """The contributions the admin's list shows, in its order (by their inspect links)."""
    page = staff_client.get("/admin/giving/contributions/", query).content.decode()
    return re.findall(r"/admin/giving/contributions/inspect/([0-9a-f-]{36})/", page)


@pytest.fixture
def three_gifts(db):
    gifts = []
    for number, created in enumerate(["2025-03-01", "2026-11-01", "2025-10-01"]):
        gift = make_contribution(make_contributor(f"donor{number}@example.org", f"Donor {number}"))
        Contribution.objects.filter(pk=gift.pk).update(created_at=f"{created}T12:00:00Z")
        gifts.append(gift)
    return gifts


def test_contributions_are_listed_newest_first(staff_client, three_gifts):
    first, newest, middle = (str(gift.pk) for gift in three_gifts)
    assert list(dict.fromkeys(listed(staff_client))) == [newest, middle, first]


def test_staff_find_a_contribution_by_the_donors_exact_email(staff_client, three_gifts):
    found = set(listed(staff_client, q=" Donor1@Example.org "))
    assert found == {str(three_gifts[1].pk)}
    assert listed(staff_client, q="donor1@example") == []


def test_staff_find_a_contribution_by_the_first_characters_of_its_id(staff_client, three_gifts):
    wanted = str(three_gifts[2].pk)
    for prefix in (wanted[:6], wanted[:13], wanted[:13].replace("-", "").upper()):
        assert set(listed(staff_client, q=prefix)) == {wanted}, prefix
    assert listed(staff_client, q="not an id") == []


def test_the_search_box_says_what_it_searches(staff_client, three_gifts):
    page = staff_client.get("/admin/giving/contributions/").content.decode()
    assert "Id (first characters) or the donor&#x27;s exact email" in page


@pytest.fixture
def covered_gift(db):
    gift = make_contribution(
        make_contributor("vera@example.org", "Vera Donor"), amount=2000, status="active"
    )
    Contribution.objects.filter(pk=gift.pk).update(fee_amount=91)
    make_payment(gift, status="succeeded", due_on=date(2026, 11, 3))
    return gift


def inspect_url(gift):
    return f"/admin/giving/contributions/inspect/{gift.pk}/"


def fields_of(page: str) -> dict[str, str]:
    """The inspect page's labels and values, as staff read them (tags dropped)."""
    pairs = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S)
    plain = lambda html: " ".join(re.sub(r"<[^>]+>", " ", html).split())  # noqa: E731
    return {plain(label): plain(value) for label, value in pairs}


def test_a_contributions_page_shows_money_words_and_dates_not_raw_values(
    staff_client, covered_gift
):
    page = staff_client.get(inspect_url(covered_gift)).content.decode()
    fields = fields_of(page)
    assert fields["Amount"] == "$20.00"
    assert fields["Processing fee covered"] == "$0.91"
    assert fields["Next payment"] == "—"
    assert fields["Disputed"] == "No" and fields["Anonymous"] == "No"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", fields["Created at"])
    assert "November 3, 2026" in page and "2026-11-03" not in page  # the payment's due date
    assert ">0<" not in page.replace(" ", "")  # no "period 0"


def test_the_donor_is_shown_only_on_request_to_staff_allowed_and_audited(
    staff_client, covered_gift
):
    page = staff_client.get(inspect_url(covered_gift)).content.decode()
    assert "vera@example.org" not in page and "Vera Donor" not in page
    assert "Show the donor's name and email" in page
    assert not AuditEvent.objects.exists()

    response = staff_client.post(inspect_url(covered_gift))
    assert response.status_code == 200
    shown = response.content.decode()
    assert "vera@example.org" in shown and "Vera Donor" in shown
    assert "no-store" in response["Cache-Control"]
    [event] = AuditEvent.objects.all()
    assert (event.action, event.via, event.actor.username, event.target) == (
        "view_donor", "admin", "finance", f"contribution:{covered_gift.pk}",
    )  # fmt: skip


def test_staff_without_the_permission_never_see_the_donor(client, covered_gift):
    user = get_user_model().objects.create_user("clerk", password="pw", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_contribution"])
    )
    client.force_login(user)
    page = client.get(inspect_url(covered_gift)).content.decode()
    assert "Show the donor" not in page
    assert client.post(inspect_url(covered_gift)).status_code in (302, 403)
    assert "vera@example.org" not in client.post(inspect_url(covered_gift)).content.decode()
    assert not AuditEvent.objects.exists()


def test_giving_has_its_icon_in_the_admin_menu(staff_client):
    from wagtail.admin.icons import get_icon_sprite_url

    sprite = staff_client.get(get_icon_sprite_url()).content.decode()
    assert 'id="icon-heart"' in sprite
