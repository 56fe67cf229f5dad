"""/appeals/config.json: the same for every reader, cacheable, holding what the browser needs
to decide and nothing about anyone; /appeals/country only when a CDN header is configured."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction
from django.test import override_settings

from appeals.models import Appeal
from funding.models import FundingSettings
from readerfund.lib import pagecache
from tests import factories
from tests.appeals.conftest import make_appeal

pytestmark = pytest.mark.django_db


@pytest.fixture
def ads_off(db):
    funding = FundingSettings.load()
    funding.ads_off_since = date(2024, 7, 1)
    funding.save()


def config(client, **headers):
    response = client.get("/appeals/config.json", **headers)
    assert response.status_code == 200
    return response


def test_config_is_public_for_sixty_seconds_with_an_etag_and_no_cookie(client, modal):
    response = config(client)
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert response["ETag"].startswith('"')
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_config_answers_304_to_its_own_etag(client, modal):
    etag = config(client)["ETag"]
    again = client.get("/appeals/config.json", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_config_is_byte_identical_for_two_different_readers(client, modal, letter):
    first = config(client, HTTP_USER_AGENT="Reader/1", HTTP_ACCEPT_LANGUAGE="ru")
    client.cookies["returning"] = "1"
    second = config(client, HTTP_USER_AGENT="Reader/2", HTTP_CF_IPCOUNTRY="RU")
    assert first.content == second.content


def test_config_holds_active_appeals_with_targeting_and_filled_copy(
    client, frozen, monthly_cost, ads_off, giving
):
    giving.charge(250_000)
    home = factories.make_home()
    news = factories.make_section(home, "News")
    modal = make_appeal(
        variants=(("a", 3), ("b", 1), ("paused", 0)),
        show_ticker=True,
        min_articles=3,
        dismiss_days=14,
        countries="ru, by",
    )
    modal.include_sections.add(news)
    modal.save()
    make_appeal("old", ends_at=frozen - timedelta(days=1))
    make_appeal("off", live=False)

    data = config(client).json()

    assert [appeal["id"] for appeal in data["appeals"]] == ["ad-free-modal"]
    appeal = data["appeals"][0]
    assert appeal | {"variants": None} == {
        "id": "ad-free-modal",
        "kind": "modal",
        "priority": 0,
        "starts": None,
        "ends": None,
        "sections": ["news"],
        "excludeSections": [],
        "tags": [],
        "excludeTags": [],
        "minArticles": 3,
        "everyDays": 7,  # the modal's default cap
        "dismissDays": 14,
        "gaveDays": 180,
        "countries": ["RU", "BY"],
        "ticker": True,
        "variants": None,
    }
    assert [(v["id"], v["weight"]) for v in appeal["variants"]] == [("a", 3), ("b", 1)]
    variant = appeal["variants"][0]
    assert variant["heading"] == "Heading a"
    assert variant["body"] == "<p>Since July 1, 2024, no ads. It costs $10,000 a month.</p>"
    assert variant["button"] == "Support us"
    assert variant["url"] == "/support/?appeal=ad-free-modal&variant=a"
    assert data["ticker"] == {
        "percent": 25,
        "label": "25% of this month's $10,000 raised",
        "month": "2026-11",
    }
    assert data["countryTargeting"] is False
    assert data["reminders"] == "/reminders/new/"


def test_an_appeal_that_starts_later_is_sent_for_the_browser_to_wait_for(client, frozen):
    make_appeal(starts_at=frozen + timedelta(days=2))
    data = config(client).json()
    assert data["appeals"][0]["starts"] == "2026-11-17T12:00:00+00:00"


def test_percent_only_disclosure_keeps_totals_out_of_the_copy_and_the_ticker(
    client, frozen, monthly_cost, giving
):
    funding = FundingSettings.load()
    funding.disclosure = FundingSettings.Disclosure.PERCENT
    funding.save()
    giving.charge(500_000)
    make_appeal(show_ticker=True)

    data = config(client).json()

    assert data["ticker"]["label"] == "50% of this month's costs raised"
    assert "$" not in data["appeals"][0]["variants"][0]["body"]
    assert "10,000" not in str(data)


def test_config_carries_nothing_about_a_reader_or_a_contribution(client, frozen, giving, modal):
    giving.charge(1000)
    text = config(client).content.decode()
    assert "reader1@example.org" not in text
    assert "@" not in text


def test_config_says_whether_countries_count(client, modal):
    with override_settings(READERFUND_COUNTRY_HEADER="CF-IPCountry"):
        assert config(client).json()["countryTargeting"] is True


def test_country_is_ignored_when_no_cdn_header_is_configured(client):
    response = client.get("/appeals/country", HTTP_CF_IPCOUNTRY="RU")
    assert response.json() == {"country": ""}
    assert "no-store" in response["Cache-Control"]


@override_settings(READERFUND_COUNTRY_HEADER="CF-IPCountry")
def test_country_comes_from_the_configured_header_and_is_never_cached(client):
    response = client.get("/appeals/country", HTTP_CF_IPCOUNTRY="ru")
    assert response.json() == {"country": "RU"}
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert client.get("/appeals/country", HTTP_CF_IPCOUNTRY="XX").json() == {"country": ""}


def test_changing_an_appeal_forgets_kept_pages(db, django_capture_on_commit_callbacks):
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        make_appeal()
    assert pagecache.generation() > before
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        Appeal.objects.get().delete()
    assert pagecache.generation() > before


def test_an_appeal_ending_before_it_starts_is_refused(db):
    appeal = Appeal(
        name="x",
        slug="x",
        kind="modal",
        starts_at=datetime(2026, 11, 2, tzinfo=UTC),
        ends_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    with pytest.raises(Exception, match="end must come after"):
        appeal.full_clean()
