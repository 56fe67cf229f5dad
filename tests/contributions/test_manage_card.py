"""A donor saves another card on their manage page (against localstripe): renewals charge
it, and a renewal in dunning is retried with it at once, claimed like any period."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from contributions.models import Contribution, LedgerEntry, Payment
from contributions.services import cards
from contributions.services.renewals import charge_due
from privacy.models import AuditEvent
from tests.contributions.factories import make_contribution, make_contributor
from tests.contributions.manage_helpers import PAGE, post, signed_in
from tests.contributions.stripe_helpers import DECLINED_WHEN_CHARGED, VISA, give, save_card

DONOR = "card@example.org"
MASTERCARD = "5555555555554444"


def frozen(day: date, hour=10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=UTC), tick=False)


def update_card(client, contribution, number):
    """What the page does: begin, Stripe.js confirmCardSetup, then the form's POST."""
    started = post(client, f"/support/manage/card/{contribution.pk}/begin/")
    assert started.status_code == 200, started.content
    body = started.json()
    assert body["client_secret"] and body["reference"].startswith("seti_")
    save_card(body["reference"], number)
    url = f"/support/manage/card/{contribution.pk}/"
    return post(client, url, {"reference": body["reference"]}), body["reference"]


@pytest.fixture
def monthly(stripe_settings, db, django_capture_on_commit_callbacks):
    with frozen(date(2026, 3, 5)), django_capture_on_commit_callbacks(execute=True):
        contribution, _ = give("monthly", 1000, email=DONOR)
    return contribution


def test_the_card_page_alone_loads_the_providers_script_and_its_policy_allows_it(monthly):
    from contributions.providers.stripe.browser import js_url

    client = signed_in(monthly.contributor)
    response = client.get(f"/support/manage/card/{monthly.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<script src="{js_url()}" defer></script>' in page and "manage_card.js" in page
    script_origin = "/".join(js_url().split("/")[:3])
    assert script_origin in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    for path in (PAGE, f"/support/manage/change/{monthly.pk}/", "/support/manage/receipts/"):
        other = client.get(path)
        assert js_url() not in other.content.decode()
        assert script_origin not in other.get("Content-Security-Policy", "")


def test_a_new_card_is_charged_at_the_next_renewal(monthly):
    client = signed_in(monthly.contributor)
    old_method = monthly.payment_method
    response, _ = update_card(client, monthly, MASTERCARD)
    assert response.status_code == 303 and response["Location"] == f"{PAGE}?card={monthly.pk}"
    monthly.refresh_from_db()
    assert monthly.payment_method not in ("", old_method)
    assert monthly.card_last4 == "4444"  # (localstripe names every card Visa)
    assert monthly.next_charge_on == date(2026, 4, 5)
    assert not Payment.objects.filter(contribution=monthly, period__gt=0).exists()
    [event] = AuditEvent.objects.filter(action="card")
    assert event.target == f"contribution:{monthly.pk}" and "4444" not in str(event.details)
    with frozen(date(2026, 4, 5)):
        assert charge_due()["succeeded"] == 1
    renewal = Payment.objects.get(contribution=monthly, period=1)
    assert renewal.status == "succeeded"
    from contributions import providers

    intent = (
        providers.get("stripe").client().v1.payment_intents.retrieve(renewal.provider_reference)
    )
    assert intent.payment_method == monthly.payment_method


def test_a_renewal_in_dunning_is_retried_at_once_with_the_new_card_and_charged_once(monthly):
    client = signed_in(monthly.contributor)
    update_card(client, monthly, DECLINED_WHEN_CHARGED)
    with frozen(date(2026, 4, 5)):
        assert charge_due()["failed"] == 1
    renewal = Payment.objects.get(contribution=monthly, period=1)
    assert renewal.status == "failed" and renewal.next_attempt_at is not None

    with frozen(date(2026, 4, 6)):
        response, reference = update_card(client, monthly, VISA)
    assert response.status_code == 303
    renewal.refresh_from_db()
    assert (renewal.status, renewal.attempts) == ("succeeded", 2)
    charges = LedgerEntry.objects.filter(payment=renewal, kind="charge")
    assert charges.count() == 1 and charges.get().amount == 1000
    # The same form posted again, and the renewals run due for the old retry: nothing more.
    again = post(client, f"/support/manage/card/{monthly.pk}/", {"reference": reference})
    assert again.status_code == 303
    with frozen(date(2026, 4, 9)):
        assert charge_due()["claimed"] == 0
    assert LedgerEntry.objects.filter(payment=renewal, kind="charge").count() == 1
    monthly.refresh_from_db()
    assert monthly.status == "active" and monthly.next_charge_on == date(2026, 5, 5)


def test_a_retry_claimed_by_a_renewals_run_is_not_charged_again_by_the_update(monthly):
    client = signed_in(monthly.contributor)
    update_card(client, monthly, DECLINED_WHEN_CHARGED)
    with frozen(date(2026, 4, 5)):
        charge_due()
    renewal = Payment.objects.get(contribution=monthly, period=1)
    assert Payment.objects.filter(pk=renewal.pk).claim_again() == 1  # a worker got there first
    assert cards.retry_dunning(monthly) == []
    renewal.refresh_from_db()
    assert (renewal.status, renewal.attempts) == ("claimed", 2)


def test_a_card_saved_for_another_contribution_is_refused_and_changes_nothing(monthly):
    other, _ = give("monthly", 2000, email="other@example.org")
    client = signed_in(monthly.contributor)
    theirs = post(signed_in(other.contributor), f"/support/manage/card/{other.pk}/begin/").json()
    save_card(theirs["reference"], MASTERCARD)
    before = monthly.payment_method
    response = post(
        client, f"/support/manage/card/{monthly.pk}/", {"reference": theirs["reference"]}
    )
    assert response.status_code == 400
    assert "Your card was not saved" in response.content.decode()
    monthly.refresh_from_db()
    assert monthly.payment_method == before and monthly.card_last4 == "4242"
    assert not AuditEvent.objects.filter(action="card").exists()


@pytest.mark.parametrize("reference", ["", "seti_nonexistent", "unconfirmed"])
def test_a_card_that_was_not_saved_is_a_400_and_changes_nothing(monthly, reference):
    client = signed_in(monthly.contributor)
    if reference == "unconfirmed":
        reference = post(client, f"/support/manage/card/{monthly.pk}/begin/").json()["reference"]
    before = monthly.payment_method
    response = post(client, f"/support/manage/card/{monthly.pk}/", {"reference": reference})
    assert response.status_code == 400
    monthly.refresh_from_db()
    assert monthly.payment_method == before


def test_the_card_pages_need_the_session_and_its_csrf_token(monthly):
    client = signed_in(monthly.contributor)
    assert client.post(f"/support/manage/card/{monthly.pk}/begin/").status_code == 403
    assert client.post(f"/support/manage/card/{monthly.pk}/", {"reference": "x"}).status_code == 403
    assert client.get(f"/support/manage/card/{monthly.pk}/begin/").status_code == 405


def test_no_card_update_for_someone_elses_or_a_stopped_contribution(stripe_settings, db):
    mine = make_contribution(make_contributor(email=DONOR), status="active")
    theirs = make_contribution(make_contributor(email="x@example.org"), status="active")
    stopped = make_contribution(mine.contributor, status="cancelled")
    client = signed_in(mine.contributor)
    for contribution in (theirs, stopped):
        assert client.get(f"/support/manage/card/{contribution.pk}/").status_code == 404
        begin = post(client, f"/support/manage/card/{contribution.pk}/begin/")
        assert begin.status_code == 404
    assert Contribution.objects.get(pk=theirs.pk).provider_customer == ""
