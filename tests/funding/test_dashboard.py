"""The staff dashboard: figures at a glance, SVG charts, CSV export, rates import."""

import csv
import io
import re
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding.models import ExchangeRate


def staff(client, *, superuser=True):
    user = get_user_model().objects.create_user(
        "manager", password="x", is_staff=True, is_superuser=superuser
    )
    if not superuser:
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    return user


def test_the_dashboard_shows_this_month_against_the_cost(frozen, client, giving, monthly_cost):
    staff(client)
    giving.charge(250_000)
    response = client.get("/admin/funding/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "$2,500.00" in page and "$10,000.00" in page and "$7,500.00" in page
    assert "25%" in page


def test_the_charts_are_svg_with_titles_descriptions_and_no_script(frozen, client, giving):
    staff(client)
    giving.charge(1000)
    page = client.get("/admin/funding/").content.decode()
    charts = page.count('<svg xmlns="http://www.w3.org/2000/svg"')
    assert charts == 5
    assert page.count('<title id="chart-') == charts
    assert page.count('<desc id="chart-') == charts
    assert "Revenue against cost, by month" in page
    svg = page[page.index("<svg") : page.rindex("</svg>")]
    assert "<script" not in svg and "http://" not in svg.replace("http://www.w3.org", "")


def test_the_dashboard_never_reads_the_ledger(frozen, client, giving, monthly_cost):
    staff(client)
    giving.charge(1000)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/funding/").status_code == 200
        assert client.get("/funding.json").status_code == 200
    assert not [q for q in queries.captured_queries if "ledgerentry" in q["sql"]]


def test_missing_rates_are_a_visible_warning_on_the_dashboard(frozen, client, giving):
    staff(client)
    giving.charge(1234, currency="GBP")
    page = client.get("/admin/funding/").content.decode()
    assert "no exchange rate" in page
    assert "£12.34" in page


def test_staff_without_the_permission_cannot_see_the_dashboard(frozen, client, db):
    staff(client, superuser=False)
    assert client.get("/admin/funding/").status_code in (302, 403)
    assert client.get("/admin/funding/export.csv").status_code in (302, 403)


def test_the_csv_export_has_one_row_a_month_in_major_units(frozen, client, giving, monthly_cost):
    staff(client)
    giving.charge(250_050)
    response = client.get("/admin/funding/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 24
    last = rows[-1]
    assert (last["month"], last["revenue"], last["cost"], last["gap"], last["percent"]) == (
        "2026-11", "2500.50", "10000.00", "7499.50", "25",
    )  # fmt: skip


def test_staff_import_ecb_rates_from_the_admin(frozen, client, db):
    staff(client)
    upload = SimpleUploadedFile("eurofxref.csv", b"Date,USD,GBP,\n2026-11-13,1.16,0.88,\n")
    response = client.post("/admin/funding/rates/import/", {"file": upload})
    assert response.status_code == 302
    assert ExchangeRate.objects.filter(day=date(2026, 11, 13)).count() == 2


def test_a_bad_rates_file_is_shown_back_with_the_reason(frozen, client, db):
    staff(client)
    upload = SimpleUploadedFile("rates.csv", b"Day,USD\n")
    response = client.post("/admin/funding/rates/import/", {"file": upload})
    assert response.status_code == 400
    assert "Date" in response.content.decode()


def test_costs_and_rates_are_listed_in_the_admin(frozen, client, monthly_cost, euro_rate):
    staff(client)
    assert client.get("/admin/funding/costs/").status_code == 200
    assert client.get("/admin/funding/rates/").status_code == 200
    assert client.get("/admin/funding/costs/new/").status_code == 200


def test_the_admin_home_shows_this_months_figures(frozen, client, giving, monthly_cost):
    staff(client)
    giving.charge(250_000, frequency="monthly")
    giving.charge(1000)
    page = client.get("/admin/").content.decode()
    panel = page[page.index('id="funding-home-heading"') :]
    assert "This month: November 2026" in panel
    for label, figure in [("Raised", "$2,510.00"), ("Cost", "$10,000.00"),
                          ("Gap", "$7,490.00"), ("Supporters", "2"), ("New recurring", "1"),
                          ("Lapsed recurring", "0")]:  # fmt: skip
        assert re.search(rf"<dt>{label}</dt><dd[^>]*>{re.escape(figure)}\b", panel), label
    assert 'href="/admin/funding/"' in panel


def test_staff_without_the_dashboard_permission_see_no_figures_at_home(frozen, client, giving):
    staff(client, superuser=False)
    giving.charge(1000)
    assert "funding-home-heading" not in client.get("/admin/").content.decode()
