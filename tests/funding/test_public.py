"""/funding.json: this month's figures for readers, cacheable, totals only when allowed."""

import json

from funding.models import FundingSettings


def test_funding_json_gives_this_months_figures_in_minor_units(frozen, client, giving,
                                                               monthly_cost):  # fmt: skip
    giving.charge(250_000)
    giving.charge(1000)
    response = client.get("/funding.json")
    assert response.status_code == 200
    assert response.json() == {
        "month": "2026-11",
        "currency": "USD",
        "cost": 1_000_000,
        "raised": 251_000,
        "percent": 25,
        "supporters": 2,
        "complete": True,
    }


def test_funding_json_is_public_for_sixty_seconds_and_sets_no_cookie(frozen, client, giving):
    response = client.get("/funding.json")
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert not response.cookies
    assert "Vary" not in response or "Cookie" not in response["Vary"]


def test_percent_only_mode_discloses_no_totals(frozen, client, giving, monthly_cost):
    settings = FundingSettings.load()
    settings.disclosure = FundingSettings.Disclosure.PERCENT
    settings.save()
    giving.charge(123_456)
    giving.charge(7_890)
    response = client.get("/funding.json")
    data = response.json()
    assert data == {"month": "2026-11", "currency": "USD", "percent": 13, "complete": True}
    body = response.content.decode()
    for total in ("1000000", "131346", "123456", "7890"):
        assert total not in body
    assert set(json.loads(body)) == {"month", "currency", "percent", "complete"}


def test_a_missing_rate_makes_the_public_figures_incomplete(frozen, client, giving):
    giving.charge(1000, currency="GBP")
    assert client.get("/funding.json").json()["complete"] is False
