"""The reader's pages of giving: /support/, the checkout step, thank-you, authentication, and
the API's schema. Rendered through Django's test client on the presets the data migration
makes (USD, EUR, GBP; once 10/25/50/100, monthly 5/10/20/50, annual 50/100/200/500)."""

import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from wagtail.models import Site

from contributions.models import CurrencyOption
from contributions.settings_models import GivingSettings
from tests.contributions.factories import make_contribution, make_payment

STRIPE_ORIGIN = "http://127.0.0.1:8599"
STRIPE_JS = f"{STRIPE_ORIGIN}/js.stripe.com/v3/"
BANK = "Bank: Northern Savings · IBAN GB33 BUKB 2020 1555 5555 55"
MONTHLY_TEN = "/support/checkout/?frequency=monthly&amount=10&currency=USD"


@pytest.fixture
def card_payments(settings, db):
    """Stripe configured, pointing at an emulator's address (nothing is called here)."""
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_x"
    settings.STRIPE_API_BASE = STRIPE_ORIGIN
    settings.STRIPE_JS_URL = STRIPE_JS
    settings.READERFUND_FEE_PERCENT_BP = 290
    settings.READERFUND_FEE_FIXED = 30
    return settings


@pytest.fixture
def offline_instructions(db):
    site = Site.objects.get(is_default_site=True)
    GivingSettings.objects.update_or_create(
        site=site, defaults={"offline_instructions": f"<p>{BANK}</p>"}
    )
    return BANK


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside <noscript>."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.noscript = ""
        self._in_noscript = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {key: value or "" for key, value in attrs}))
        if tag == "noscript":
            self._in_noscript += 1

    def handle_endtag(self, tag):
        if tag == "noscript":
            self._in_noscript -= 1

    def handle_data(self, data):
        if self._in_noscript:
            self.noscript += data

    def find(self, tag: str, **attrs) -> list[dict]:
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(key) == value for key, value in attrs.items())
        ]

    def checked(self, name: str) -> list[str]:
        return [a["value"] for a in self.find("input", name=name) if "checked" in a]


def page(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.content[:2000]
    return response, Elements(response.content.decode())


def csp(response) -> dict[str, list[str]]:
    policy = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# /support/ ------------------------------------------------------------------------------------


def test_support_page_offers_monthly_presets_with_ten_dollars_chosen(client, db):
    _, html = page(client, "/support/")

    assert html.checked("frequency") == ["monthly"]
    assert [a["value"] for a in html.find("input", name="amount")] == [
        "5.00",
        "10.00",
        "20.00",
        "50.00",
    ]
    assert html.checked("amount") == ["10.00"]
    assert html.find("input", name="other", value="")
    assert [a["value"] for a in html.find("option")] == ["USD", "EUR", "GBP"]
    assert html.find("form", method="get", action="/support/checkout/")
    assert html.find("script", src="/static/contributions/support.js", defer="")


def test_support_page_shows_once_monthly_annual_and_continue(client, db, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_configured"  # cards are switched on: their marks
    response, _ = page(client, "/support/")
    body = text(response)

    for word in ("Once", "Monthly", "Annual", "Other amount", "Continue"):
        assert f">{word}<" in body
    assert 'aria-label="Visa"' in body


def test_query_parameters_prefill_the_form(client, db):
    _, html = page(
        client, "/support/?frequency=once&amount=50.00&currency=EUR&appeal=end-letter&variant=b"
    )

    assert html.checked("frequency") == ["once"]
    assert html.checked("amount") == ["50.00"]
    assert html.find("option", value="EUR", selected="")
    assert html.find("input", type="hidden", name="appeal", value="end-letter")
    assert html.find("input", type="hidden", name="variant", value="b")


def test_an_amount_that_is_not_a_preset_fills_other_amount(client, db):
    _, html = page(client, "/support/?frequency=annual&amount=37.5")

    assert html.checked("amount") == []
    assert html.find("input", name="other", value="37.5")


@pytest.mark.parametrize(
    "query",
    [
        "frequency=weekly&amount=abc&currency=XXX",
        "amount=1.00",  # below the minimum: the card testers' favourite
        "amount=20000",
        "amount=-5&currency=",
        "amount=1e400&frequency=",
        "appeal=%3Cscript%3E&variant=" + "v" * 65,
    ],
)
def test_invalid_prefill_is_ignored_and_the_defaults_shown(client, db, query):
    response, html = page(client, f"/support/?{query}")

    assert html.checked("frequency") == ["monthly"]
    assert html.checked("amount") == ["10.00"]
    assert html.find("option", value="USD", selected="")
    assert html.find("input", name="other", value="")
    assert not html.find("input", name="appeal")
    assert not html.find("input", name="variant")
    assert b"field-error" not in response.content


def test_support_page_is_public_and_sets_no_cookie(client, db):
    response, _ = page(client, "/support/?frequency=annual")

    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    assert not response.cookies
    assert b"csrfmiddlewaretoken" not in response.content


def test_support_page_loads_nothing_from_elsewhere(client, db):
    response, html = page(client, "/support/")

    # hreflang alternates name the page's editions by their full address; nothing loads them.
    loaded = [(tag, attrs) for tag, attrs in html.tags if attrs.get("rel") != "alternate"]
    urls = [attrs.get("src") or attrs.get("href") for _, attrs in loaded]
    outside = [url for url in urls if url and re.match(r"(https?:)?//", url)]
    assert outside == []
    policy = csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-src"] == ["'none'"]


def test_one_currency_needs_no_currency_menu(client, db):
    CurrencyOption.objects.exclude(code="GBP").update(enabled=False)

    _, html = page(client, "/support/")

    assert not html.find("select")
    assert html.find("input", type="hidden", name="currency", value="GBP")
    assert html.checked("amount") == ["10.00"]


# /support/checkout/ ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1.00", "The smallest amount is $2.00."),
        ("20000", "The largest amount is $10,000.00."),
        ("abc", "Enter an amount as a number, such as 25 or 25.50."),
        ("10.001", "Enter an amount as a number, such as 25 or 25.50."),
        ("", "Choose an amount or enter another one."),
    ],
)
def test_checkout_refuses_a_bad_amount_next_to_the_field(client, card_payments, amount, message):
    response, html = page(
        client, f"/support/checkout/?frequency=monthly&other={amount}&currency=USD", 400
    )

    error = re.search(
        r'<p class="field-error" id="support-amount-error"[^>]*>([^<]*)</p>',
        response.content.decode(),
    )
    assert error and error[1] == message
    assert html.find("input", name="other", value=amount)[0]["aria-invalid"] == "true"
    assert html.checked("frequency") == ["monthly"]
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_checkout_refuses_an_unknown_frequency_and_currency(client, card_payments):
    response, _ = page(client, "/support/checkout/?frequency=weekly&amount=10&currency=XXX", 400)

    body = text(response)
    assert "Choose once, monthly or annual." in body
    assert "We do not accept this currency." in body


def test_checkout_states_the_exact_gift_on_the_pay_button(client, card_payments):
    response, html = page(client, MONTHLY_TEN)
    body = text(response)

    assert re.search(r"data-pay>\s*Give \$10\.00 monthly\s*</button>", body)
    assert html.find("input", type="hidden", name="amount", value="1000")
    assert html.find("input", type="hidden", name="frequency", value="monthly")
    assert html.find("input", name="email", type="email")
    assert html.find("input", name="anonymous", type="checkbox")
    assert html.find("div", id="checkout-card")
    texts = json.loads(html_json(response, "checkout-text"))
    assert texts["pay"] == "Give $10.00 monthly"
    assert texts["pay_with_fee"] == "Give $10.61 monthly"


@pytest.mark.parametrize(
    "query, gift",
    [
        ("frequency=once&amount=10&shown=monthly", "$25.00 once"),  # left the default
        ("frequency=once&amount=20&shown=monthly", "$20.00 once"),  # chose an amount
        ("frequency=once&other=10&shown=monthly", "$10.00 once"),  # typed one
        ("frequency=annual&amount=10&shown=monthly", "$100.00 annually"),
        ("frequency=once&amount=10", "$10.00 once"),  # a link that names its amount
    ],
)
def test_without_javascript_a_new_frequency_gets_its_own_default_amount(
    client, card_payments, query, gift
):
    response, _ = page(client, f"/support/checkout/?currency=USD&{query}")
    assert gift in text(response)


def test_the_form_says_which_frequency_its_amounts_are_for(client, card_payments):
    _, html = page(client, "/support/?frequency=annual")
    assert html.find("input", type="hidden", name="shown", value="annual")


def test_checkout_offers_to_cover_the_fee_to_the_cent(client, card_payments):
    response, html = page(client, "/support/checkout/?frequency=once&amount=25&currency=EUR")

    # (2500 + 30) / (1 - 0.029) = 2605.56… → 2606: a fee of €1.06
    assert "Cover the processing fee (+€1.06)" in re.sub(r"<[^>]+>", "", text(response))
    assert html.find("input", name="cover_fee", type="checkbox")
    assert "Give €25.00 once" in text(response)


def test_checkout_loads_stripe_js_and_allows_only_its_origin(client, card_payments):
    response, html = page(client, MONTHLY_TEN + "&appeal=letter")

    scripts = [attrs["src"] for attrs in html.find("script") if "src" in attrs]
    assert scripts == [STRIPE_JS, "/static/contributions/checkout.js"]
    policy = csp(response)
    assert policy["script-src"] == ["'self'", STRIPE_ORIGIN]
    assert policy["frame-src"] == [STRIPE_ORIGIN]
    assert policy["connect-src"] == ["'self'", STRIPE_ORIGIN]
    assert policy["img-src"] == ["'self'", "data:"]
    assert "unsafe" not in response["Content-Security-Policy"]


def test_checkout_in_production_allows_stripe_and_nothing_else(client, card_payments):
    card_payments.STRIPE_JS_URL = "https://js.stripe.com/v3/"
    card_payments.STRIPE_API_BASE = ""

    response, _ = page(client, MONTHLY_TEN)

    policy = csp(response)
    assert policy["script-src"] == ["'self'", "https://js.stripe.com"]
    assert policy["connect-src"] == ["'self'", "https://api.stripe.com"]
    assert set(policy["frame-src"]) == {
        "https://js.stripe.com",
        "https://hooks.stripe.com",
    }


def test_checkout_is_private_and_sets_no_cookie(client, card_payments):
    response, _ = page(client, MONTHLY_TEN)

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert not response.cookies


def test_without_javascript_checkout_explains_and_offers_other_ways(
    client, card_payments, offline_instructions
):
    _, html = page(client, MONTHLY_TEN)

    assert "Card payments need JavaScript" in html.noscript
    assert offline_instructions in html.noscript
    # The card form itself waits for the script: it would do nothing without it.
    assert "hidden" in html.find("form", **{"class": "checkout-form"})[0]


def test_checkout_without_stripe_keys_offers_other_ways_and_loads_no_script(
    client, card_payments, offline_instructions
):
    card_payments.STRIPE_SECRET_KEY = ""

    response, html = page(client, MONTHLY_TEN)

    assert "Card payments are not available right now" in text(response)
    assert offline_instructions in text(response)
    assert not [a for a in html.find("script") if "src" in a]
    assert csp(response)["script-src"] == ["'self'"]


def test_checkout_summary_links_back_to_the_same_choice(client, card_payments):
    _, html = page(client, "/support/checkout/?frequency=annual&other=75&currency=GBP&variant=b")

    change = html.find("a", **{"class": "summary__change"})[0]["href"]
    assert change == "/support/?frequency=annual&amount=75.00&currency=GBP&variant=b"


def html_json(response, element_id: str) -> str:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no JSON script #{element_id}"
    return match[1]


# Thank-you --------------------------------------------------------------------------------------


def test_thanks_page_tells_what_was_given_and_when_next(client, db):
    contribution = make_contribution(
        status="active", amount=1000, next_charge_on=date(2026, 12, 28)
    )
    make_payment(contribution, status="succeeded")

    response, html = page(client, f"/support/thanks/{contribution.pk}/")
    body = text(response)

    assert "$10.00 monthly" in body
    assert "Your next payment is on December 28, 2026." in body
    assert "A receipt is on its way to your email." in body
    assert "To change or stop it, ask for a link at any time" in body
    assert html.find("a", href="/support/manage/")
    assert "reader@example.org" not in body
    assert "Ada Reader" not in body
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert html.find("script", src="/static/contributions/thanks.js", defer="")


def test_thanks_page_for_a_one_off_gift_has_no_next_payment(client, db):
    contribution = make_contribution(frequency="once", amount=2500, status="paid")

    response, _ = page(client, f"/support/thanks/{contribution.pk}/")

    assert "$25.00 once" in text(response)
    assert "next payment" not in text(response)
    assert "To change or stop it" not in text(response)


def test_thanks_page_waits_for_a_pending_payment(client, db):
    contribution = make_contribution(status="pending")

    _, html = page(client, f"/support/thanks/{contribution.pk}/")

    box = html.find("section", **{"data-status": "pending"})[0]
    assert box["data-status-url"] == f"/api/contributions/{contribution.pk}/status"
    assert html.find("p", **{"data-pending": ""})


def test_thanks_page_of_a_failed_payment_offers_to_try_again(client, db):
    contribution = make_contribution(status="failed")

    response, _ = page(client, f"/support/thanks/{contribution.pk}/")

    assert "Your payment did not go through" in text(response)
    assert "/support/?frequency=monthly&amp;currency=USD" in text(response)


def test_thanks_page_of_an_unknown_contribution_is_404(client, db):
    client.get("/support/thanks/00000000-0000-0000-0000-000000000000/")
    page(client, "/support/thanks/00000000-0000-0000-0000-000000000000/", 404)


# Authentication of a renewal ------------------------------------------------------------------


def test_an_invalid_authentication_link_gets_a_friendly_page(client, db):
    response, _ = page(client, "/support/authenticate/not-a-token/", 400)

    assert "This link has expired or is not valid" in text(response)
    assert 'href="/support/"' in text(response)


def test_authentication_page_loads_stripe_js_for_a_payment_that_needs_it(client, card_payments):
    from contributions.authentication import authentication_token

    contribution = make_contribution(status="active")
    payment = make_payment(contribution, period=1, status="requires_action", reference="pi_123")

    response, html = page(client, f"/support/authenticate/{authentication_token(payment)}/")

    assert "Confirm $10.00" in text(response)
    assert html.find("script", src=STRIPE_JS, defer="")
    assert csp(response)["script-src"] == ["'self'", STRIPE_ORIGIN]
    assert "no-store" in response["Cache-Control"]


def test_authentication_page_of_a_paid_payment_asks_for_nothing(client, card_payments):
    from contributions.authentication import authentication_token

    payment = make_payment(make_contribution(status="active"), period=1, status="succeeded")

    response, html = page(client, f"/support/authenticate/{authentication_token(payment)}/")

    assert "is confirmed" in text(response)
    assert not [a for a in html.find("script") if "src" in a]


def test_authenticate_api_refuses_a_bad_token(rf, db):
    from contributions.views import authenticate_payment

    request = rf.post(
        "/api/payments/authenticate", {"token": "nope"}, content_type="application/json"
    )
    response = authenticate_payment(request)

    assert response.status_code == 403  # a token that does not verify is refused, not malformed
    assert json.loads(response.content)["errors"]["token"]


# /api/schema ------------------------------------------------------------------------------------


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"]
    assert not response.cookies
    return json.loads(response.content)


def test_schema_describes_every_endpoint_with_responses(schema):
    assert schema["openapi"].startswith("3.1")
    assert set(schema["paths"]) >= {
        "/api/checkout",
        "/api/contributions/{id}/complete",
        "/api/contributions/{id}/status",
        "/webhooks/{provider}",
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"], f"{method} {path} has no responses"
            for parameter in re.findall(r"{(\w+)}", path):
                names = [p["name"] for p in operation.get("parameters", [])]
                assert parameter in names, f"{method} {path} does not describe {parameter}"


def test_schema_of_checkout_lists_required_fields_and_error_answers(schema):
    checkout = schema["paths"]["/api/checkout"]["post"]
    request = resolve(schema, checkout["requestBody"]["content"]["application/json"]["schema"])

    assert set(request["required"]) == {"frequency", "amount", "currency", "email"}
    assert request["properties"]["amount"]["type"] == "integer"
    assert set(checkout["responses"]) == {"201", "400", "405", "413", "415", "429", "503"}
    created = resolve(schema, checkout["responses"]["201"]["content"]["application/json"]["schema"])
    assert {"contribution", "client_secret", "action", "reference"} <= set(created["required"])
    for status in ("400", "429", "503"):
        errors = resolve(
            schema, checkout["responses"][status]["content"]["application/json"]["schema"]
        )
        assert errors["required"] == ["errors"]


def test_every_schema_reference_resolves(schema):
    refs = re.findall(r'"\$ref": "([^"]+)"', json.dumps(schema))
    assert refs
    for ref in refs:
        resolve(schema, {"$ref": ref})


def test_schema_is_valid_openapi_3_1(schema):
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation import OpenAPIV31SpecValidator

    validate(schema, cls=OpenAPIV31SpecValidator)


def resolve(schema: dict, node: dict) -> dict:
    ref = node.get("$ref")
    if ref is None:
        return node
    assert ref.startswith("#/"), ref
    for part in ref[2:].split("/"):
        schema = schema[part]
    return schema


def test_no_directive_of_the_checkout_policy_mixes_none_with_a_source(client, card_payments):
    response, _ = page(client, MONTHLY_TEN)

    for directive, sources in csp(response).items():
        assert "'none'" not in sources or sources == ["'none'"], directive
