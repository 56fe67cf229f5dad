"""POST /api/checkout with bad input: a 400 with field messages, and nothing left behind."""

import json

import pytest

from contributions.models import Contribution, Contributor

GOOD = {
    "frequency": "monthly",
    "amount": 1000,
    "currency": "USD",
    "email": "reader@example.org",
}


def post(client, body, content_type="application/json"):
    data = json.dumps(body) if content_type == "application/json" else body
    return client.post("/api/checkout", data=data, content_type=content_type)


def nothing_was_created():
    return not Contributor.objects.exists() and not Contribution.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"amount": 100}, "amount", "The smallest amount is $2.00."),
        ({"amount": 1_000_001}, "amount", "The largest amount is $10,000.00."),
        ({"amount": "ten"}, "amount", "Enter a whole number."),
        ({"amount": None}, "amount", "This field is required."),
        ({"currency": "XXX"}, "currency", "We do not accept this currency."),
        ({"frequency": "weekly"}, "frequency", "Select a valid choice."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "This field is required."),
        ({"name": "x" * 201}, "name", "Ensure this value has at most 200 characters"),
    ],
)
def test_bad_input_gets_a_400_with_the_field_message_and_creates_nothing(
    client, db, change, field, message
):
    response = post(client, {**GOOD, **change})
    assert response.status_code == 400
    assert any(message in text for text in response.json()["errors"][field])
    assert nothing_was_created()


def test_a_body_that_is_not_a_json_object_is_refused(client, db):
    for body in ["[1, 2]", "null", "{not json"]:
        response = client.post("/api/checkout", data=body, content_type="application/json")
        assert response.status_code == 400
        assert "__all__" in response.json()["errors"]
    form = client.post("/api/checkout", data=GOOD)  # a cross-site HTML form cannot send JSON
    assert form.status_code == 415
    assert nothing_was_created()


def test_get_is_not_allowed(client, db):
    assert client.get("/api/checkout").status_code == 405


def test_too_many_attempts_from_one_address_get_429(client, db):
    for _ in range(10):
        post(client, {**GOOD, "amount": 1})
    response = post(client, {**GOOD, "amount": 1})
    assert response.status_code == 429
    assert "Too many attempts" in response.json()["errors"]["__all__"][0]
    assert int(response["Retry-After"]) > 0


def test_too_many_attempts_for_one_email_get_429_whatever_the_address(client, db):
    for n in range(10):
        post(
            client,
            {**GOOD, "amount": 1, "email": " Reader@Example.org "},
        ) if n else None
        client.post(
            "/api/checkout",
            data=json.dumps({**GOOD, "amount": 1}),
            content_type="application/json",
            REMOTE_ADDR=f"10.0.0.{n}",
        )
    response = client.post(
        "/api/checkout",
        data=json.dumps({**GOOD, "amount": 1, "email": "READER@example.org"}),
        content_type="application/json",
        REMOTE_ADDR="10.0.1.1",
    )
    assert response.status_code == 429


def test_status_of_an_unknown_contribution_is_404(client, db):
    response = client.get("/api/contributions/2b1f7c9e-0000-4000-8000-000000000000/status")
    assert response.status_code == 404


def test_asking_to_charge_saved_cards_too_often_from_one_address_gets_429(client, db):
    # Each ask may reach the provider; an unknown contribution is counted too (404 below).
    url = "/api/contributions/00000000-0000-0000-0000-000000000000/complete"
    for _ in range(20):
        response = client.post(url, data='{"reference": "seti_1"}', content_type="application/json")
        assert response.status_code == 404
    response = client.post(url, data='{"reference": "seti_1"}', content_type="application/json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    other = client.post(
        url, data='{"reference": "seti_1"}', content_type="application/json", REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 404


def test_a_way_to_give_that_is_not_set_up_is_refused_before_anything_is_stored(
    client, db, settings
):
    """BTCPay is registered but not configured here: a checkout naming it stored the donor
    and failed only at /complete (402); the schema does not offer it any more either."""
    settings.BTCPAY_URL = ""
    response = post(client, {**GOOD, "provider": "btcpay"})
    assert response.status_code == 400
    assert "provider" in response.json()["errors"]
    assert nothing_was_created()
