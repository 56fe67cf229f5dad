"""The demo's two years of giving: loaded once, and every way of reading it agrees."""

import csv
import io
from collections import defaultdict
from datetime import date

from django.core.management import call_command

from contributions.export import write_csv as write_ledger
from contributions.models import Contribution, LedgerEntry
from funding import demo, services
from funding.models import DailyRevenue
from funding.rollups import rebuild
from funding.views import write_csv as write_figures


def test_the_demo_loads_two_years_in_three_currencies_and_a_second_run_adds_nothing(db, frozen):
    first = demo.load()
    assert first["contributions"] > 1000
    assert set(Contribution.objects.values_list("currency", flat=True)) == {"USD", "EUR", "GBP"}
    counts = (Contribution.objects.count(), LedgerEntry.objects.count())
    assert demo.load() == {"costs": 0, "rates": 0, "contributions": 0, "entries": 0}
    assert (Contribution.objects.count(), LedgerEntry.objects.count()) == counts


def test_ticker_dashboard_cli_and_ledger_export_agree_to_the_cent(db, frozen, client, capsys):
    demo.load()
    before = sorted(DailyRevenue.objects.values_list("day", "currency", "frequency", "charges"))
    rebuild()
    assert sorted(DailyRevenue.objects.values_list("day", "currency", "frequency", "charges")) == (
        before
    )
    today = date(2026, 11, 15)
    months = services.monthly_figures(date(2024, 12, 1), date(2026, 11, 1), today=today)
    november = months[-1]
    assert november.complete and november.cost == 1_000_000

    ticker = client.get("/funding.json").json()
    assert (ticker["raised"], ticker["cost"], ticker["percent"]) == (
        november.revenue, november.cost, november.percent,
    )  # fmt: skip

    call_command("funding", "--month", "2026-11")
    assert f"revenue        {november.money(november.revenue)}" in capsys.readouterr().out

    out = io.StringIO()
    write_figures(out, months)
    rows = {row["month"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows["2026-11"]["revenue"] == str(november.money(november.revenue).major)

    # The ledger export, in each currency, sums to the figures' revenue before conversion.
    ledger = io.StringIO()
    write_ledger(ledger, date(2026, 11, 1), date(2026, 11, 30))
    per_currency = defaultdict(int)
    for row in csv.DictReader(io.StringIO(ledger.getvalue())):
        if row["kind"] != "fee":
            per_currency[row["currency"]] += int(row["amount"].replace(".", ""))
    assert dict(per_currency) == november.by_currency


def test_every_month_of_the_demo_has_the_same_figures_in_cli_dashboard_csv_and_json(
    db, frozen, client, capsys
):
    demo.load()
    today = date(2026, 11, 15)
    last = services.month_start(today)
    first = services.add_months(last, -23)
    dashboard = services.monthly_figures(first, last, today=today)
    out = io.StringIO()
    write_figures(out, dashboard)
    csv_rows = {row["month"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    for shown in dashboard:
        month = f"{shown.month:%Y-%m}"
        alone = services.month_figures(shown.month, today=today)
        assert (alone.revenue, alone.mrr, alone.supporters, alone.cost) == (
            shown.revenue, shown.mrr, shown.supporters, shown.cost,
        ), month  # fmt: skip
        call_command("funding", "--month", month)
        printed = capsys.readouterr().out
        assert f"mrr            {shown.money(shown.mrr)}\n" in printed, month
        assert f"revenue        {shown.money(shown.revenue)}\n" in printed, month
        assert csv_rows[month]["mrr"] == str(shown.money(shown.mrr).major), month
        assert csv_rows[month]["revenue"] == str(shown.money(shown.revenue).major), month
    ticker = client.get("/funding.json").json()
    current = dashboard[-1]
    assert (ticker["raised"], ticker["supporters"], ticker["percent"]) == (
        current.revenue, current.supporters, current.percent,
    )  # fmt: skip
