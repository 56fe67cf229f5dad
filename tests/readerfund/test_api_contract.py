"""The API says exactly what it does (issue 19): one test per finding of the Schemathesis run
against the demo, each failing before the fix, and the error answers every API path gives.
tests/readerfund/test_api_fuzz.py runs the fuzzer itself."""

import json
import uuid

import pytest
from django.test import Client
from jsonschema import Draft202012Validator, FormatChecker

from contributions.models import Contribution, Contributor, CurrencyOption
from tests.contributions.stripe_helpers import save_card, sign

GOOD = {"frequency": "monthly", "amount": 1000, "currency": "USD", "email": "reader@example.org"}
API_PATHS = [
    "/api/checkout",
    "/api/contributions/{id}/complete",
    "/api/contributions/{id}/status",
    "/api/payments/authenticate",
    "/api/reminders",
    "/api/appeals/events",
    "/webhooks/stripe",
]


@pytest.fixture
def browser(db):
    """A client that checks CSRF as a real server does (Django's test client does not)."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def schema(client, db):
    return client.get("/api/schema").json()


def resolve(schema: dict, node: dict) -> dict:
    ref = node.get("$ref")
    if ref is None:
        return node
    for part in ref[2:].split("/"):
        schema = schema[part]
    return schema


def request_schema(schema: dict, path: str) -> dict:
    operation = schema["paths"][path]["post"]
    found = resolve(schema, operation["requestBody"]["content"]["application/json"]["schema"])
    # Validate as a whole document, so that references inside resolve.
    return {**found, "$defs": {}, "components": schema["components"]}


def valid(schema: dict, body: dict) -> bool:
    return Draft202012Validator(schema, format_checker=FormatChecker()).is_valid(body)


def post_json(client, path, body, **extra):
    return client.post(path, data=json.dumps(body), content_type="application/json", **extra)


def declared(schema: dict, path: str, method: str) -> set[str]:
    return set(schema["paths"][path][method]["responses"])


# 1. A request the schema refuses is refused ---------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"variant": {}},
        {"appeal": ["a"]},
        {"amount": "1000"},
        {"amount": True},
        {"currency": "usd"},
        {"anonymous": "false"},
        {"name": 7},
        {"unknown": 1},
    ],
)
def test_a_checkout_the_schema_refuses_is_refused_and_creates_nothing(client, schema, change):
    body = {**GOOD, **change}
    assert not valid(request_schema(schema, "/api/checkout"), body)

    response = post_json(client, "/api/checkout", body)

    assert response.status_code == 400
    field = next(iter(change))
    assert response.json()["errors"][field]
    assert not Contributor.objects.exists() and not Contribution.objects.exists()


def test_a_reminder_with_a_list_for_a_day_is_a_400_not_a_500(client, db):
    body = {"email": "reader@example.org", "remind_on": [None, None]}

    response = post_json(client, "/api/reminders", body)

    assert response.status_code == 400
    assert response.json()["errors"]["remind_on"]


def test_an_appeal_event_with_extra_fields_is_refused(client, db):
    body = {"appeal": "a", "variant": "b", "event": "impression", "extra": 1}
    assert post_json(client, "/api/appeals/events", body).status_code == 400


# 2. The schema states each currency's bounds, and the server keeps to them ----------------------


def test_the_schema_states_each_currencys_minimum_and_maximum(client, schema):
    CurrencyOption.objects.filter(code="EUR").update(minimum=500, maximum=20_000)
    schema = client.get("/api/schema").json()
    checkout = request_schema(schema, "/api/checkout")

    for option in CurrencyOption.objects.filter(enabled=True):
        at = {**GOOD, "currency": option.code}
        assert valid(checkout, {**at, "amount": option.minimum}), option.code
        assert valid(checkout, {**at, "amount": option.maximum}), option.code
        assert not valid(checkout, {**at, "amount": option.minimum - 1}), option.code
        assert not valid(checkout, {**at, "amount": option.maximum + 1}), option.code
    assert not valid(checkout, {**GOOD, "amount": 0})
    assert not valid(checkout, {**GOOD, "currency": "XXX"})


def test_an_amount_below_the_minimum_is_refused_by_schema_and_server_alike(client, schema):
    body = {**GOOD, "amount": 0}
    assert not valid(request_schema(schema, "/api/checkout"), body)
    response = post_json(client, "/api/checkout", body)
    assert response.status_code == 400
    assert response.json()["errors"]["amount"] == ["The smallest amount is $2.00."]


def test_an_address_django_refuses_is_described_in_the_schema(schema):
    email = request_schema(schema, "/api/checkout")["properties"]["email"]
    assert email["format"] == "email" and email["maxLength"] == 254
    assert "EmailValidator" in email["description"]


# 3. Refusals of schema-valid bodies are answers the schema lists ------------------------------


def test_a_token_that_does_not_verify_gets_403_which_the_schema_lists(client, schema):
    body = {"token": "not-a-signed-token"}
    assert valid(request_schema(schema, "/api/payments/authenticate"), body)

    response = post_json(client, "/api/payments/authenticate", body)

    assert response.status_code == 403
    assert response.json()["errors"]["token"]
    assert "403" in declared(schema, "/api/payments/authenticate", "post")


def test_an_unsigned_webhook_gets_403_which_the_schema_lists(client, schema, stripe_settings):
    response = post_json(client, "/webhooks/stripe", {"id": "evt_1", "type": "charge.refunded"})

    assert response.status_code == 403
    assert response.json()["errors"]["__all__"]
    assert "403" in declared(schema, "/webhooks/{provider}", "post")


def test_a_webhook_body_that_is_not_utf8_is_refused_not_a_server_error(client, stripe_settings):
    body, headers = sign(b"\n\x0b)\x06\r\xff\x1d\x04&'\xfe\xfe")
    response = client.post(
        "/webhooks/stripe",
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": headers["Stripe-Signature"]},
    )
    assert response.status_code == 403


def test_a_signed_body_that_is_not_an_event_gets_400_which_the_schema_lists(
    client, schema, stripe_settings
):
    body, headers = sign(b"[1, 2]")
    response = client.post(
        "/webhooks/stripe",
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": headers["Stripe-Signature"]},
    )
    assert response.status_code == 400
    assert "400" in declared(schema, "/webhooks/{provider}", "post")


# 4. Unknown webhook providers and paths answer JSON ----------------------------------------


@pytest.mark.parametrize(
    "path", ["/webhooks/paypal", "/webhooks/pay.pal", "/webhooks/", "/api/nothing", "/api/"]
)
def test_an_unknown_api_or_webhook_path_answers_404_in_json(browser, path):
    response = browser.post(path, data=b"{}", content_type="application/json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"]["__all__"]


# 5. Undeclared methods get 405 with Allow, in JSON, not a CSRF page ----------------------------


@pytest.mark.parametrize("method", ["QUERY", "PUT", "DELETE", "PATCH", "POST"])
def test_an_undeclared_method_on_status_is_405_with_allow_not_a_csrf_page(browser, method):
    response = browser.generic(method, f"/api/contributions/{uuid.uuid4()}/status")

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"]["__all__"]


@pytest.mark.parametrize("path", API_PATHS)
def test_every_api_path_answers_an_undeclared_method_with_405_in_json(browser, schema, path):
    real = path.replace("{id}", str(uuid.uuid4()))
    allowed = {"/api/contributions/{id}/status": "GET"}.get(path, "POST")
    for method in ("QUERY", "PUT", "DELETE", "GET" if allowed == "POST" else "POST"):
        response = browser.generic(method, real)
        assert response.status_code == 405, (method, path)
        assert response["Allow"] == allowed
        assert response.json()["errors"]["__all__"]
        assert "405" in declared(schema, path.replace("stripe", "{provider}"), allowed.lower())


# 413 and 415: JSON too ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/checkout", "/api/reminders", "/webhooks/stripe"])
def test_a_body_that_is_not_json_gets_415_in_json(browser, schema, path, stripe_settings):
    response = browser.post(path, data={"email": "reader@example.org"})

    assert response.status_code == 415
    assert response.json()["errors"]["__all__"]
    assert "415" in declared(schema, path.replace("stripe", "{provider}"), "post")


def test_a_body_too_large_gets_413_in_json(browser, settings, schema):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {**GOOD, "name": "x" * 2000}

    response = post_json(browser, "/api/checkout", body)

    assert response.status_code == 413
    assert response.json()["errors"]["__all__"]
    assert "413" in declared(schema, "/api/checkout", "post")


def test_an_appeal_event_too_large_gets_413(client, db):
    body = {"appeal": "a" * 2000, "variant": "b", "event": "impression"}
    assert post_json(client, "/api/appeals/events", body).status_code == 413


# 6. Links: checkout → status → complete ------------------------------------------------------


def test_the_schema_links_checkout_to_status_and_complete(schema):
    links = schema["paths"]["/api/checkout"]["post"]["responses"]["201"]["links"]
    operations = {
        operation["operationId"] for item in schema["paths"].values() for operation in item.values()
    }

    assert links["status"]["operationId"] == "contributionStatus"
    assert links["complete"]["operationId"] == "completeCheckout"
    for link in links.values():
        assert link["operationId"] in operations
        assert link["parameters"] == {"id": "$response.body#/contribution"}
    assert links["complete"]["requestBody"] == {"reference": "$response.body#/reference"}


def test_following_the_links_gives_and_completes_a_contribution(client, schema, stripe_settings):
    started = post_json(client, "/api/checkout", GOOD).json()
    links = schema["paths"]["/api/checkout"]["post"]["responses"]["201"]["links"]

    def follow(expression: str) -> str:
        return started[expression.removeprefix("$response.body#/")]

    contribution = follow(links["status"]["parameters"]["id"])
    status = client.get(f"/api/contributions/{contribution}/status")
    assert status.status_code == 200 and status.json()["status"] == "pending"

    save_card(started["reference"])  # what Stripe.js does in the reader's browser
    body = {"reference": follow(links["complete"]["requestBody"]["reference"])}
    completed = post_json(client, f"/api/contributions/{contribution}/complete", body)

    assert completed.status_code == 200
    assert completed.json()["status"] == "active"
    assert str(completed.status_code) in declared(
        schema, "/api/contributions/{id}/complete", "post"
    )


def test_a_reference_of_another_contribution_gets_409_and_charges_nothing(
    client, schema, stripe_settings
):
    first = post_json(client, "/api/checkout", GOOD).json()
    second = post_json(client, "/api/checkout", {**GOOD, "email": "other@example.org"}).json()
    save_card(first["reference"])

    body = {"reference": first["reference"]}
    response = post_json(client, f"/api/contributions/{second['contribution']}/complete", body)

    assert response.status_code == 409
    assert response.json()["errors"]["reference"]
    assert Contribution.objects.get(pk=second["contribution"]).status == "pending"
    assert "409" in declared(schema, "/api/contributions/{id}/complete", "post")


@pytest.mark.parametrize("reference", ["seti_nosuchintent", "\u009b"])
def test_a_reference_the_provider_does_not_know_gets_409(
    client, schema, stripe_settings, reference
):
    started = post_json(client, "/api/checkout", GOOD).json()
    path = f"/api/contributions/{started['contribution']}/complete"

    response = post_json(client, path, {"reference": reference})

    assert response.status_code == 409
    assert Contribution.objects.get(pk=started["contribution"]).status == "pending"


def test_with_no_currency_offered_the_schema_is_still_valid_openapi(client, db):
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation import OpenAPIV31SpecValidator

    CurrencyOption.objects.update(enabled=False)

    schema = client.get("/api/schema").json()

    validate(schema, cls=OpenAPIV31SpecValidator)
    assert post_json(client, "/api/checkout", GOOD).status_code == 400
