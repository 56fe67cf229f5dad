"""A reader gives while the payment provider does not answer, told in Chromium against
`readerfund serve`, whose calls to the Stripe emulator (and the browser's) go through the
fault proxy (tests/faults/proxy_helpers.py); only the server's charge is made to hang."""

import re

import pytest
import stripe
from playwright.sync_api import expect

from tests.e2e.conftest import demo_server
from tests.faults.proxy_helpers import FaultProxy

pytestmark = pytest.mark.e2e
POST_CHARGE = b"POST /v1/payment_intents "
VISA = {"number": "4242424242424242", "exp_month": "12", "exp_year": "30", "cvc": "123"}
VISA["postal_code"] = "10001"


def fill_card(page, card: dict) -> None:
    for placeholder, value in card.items():
        page.locator(f"#checkout-card input[placeholder={placeholder}]").fill(value)


@pytest.fixture(scope="module")
def stripe_through_a_proxy(stripe_emulator):
    port = int(stripe_emulator.rsplit(":", 1)[1])
    with FaultProxy(("127.0.0.1", port)) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def bad_day_server(stripe_emulator, stripe_through_a_proxy):
    stripe_env = {
        "STRIPE_SECRET_KEY": "sk_test_x",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_x",
        "STRIPE_WEBHOOK_SECRET": "whsec_x",
        "STRIPE_API_BASE": f"http://127.0.0.1:{stripe_through_a_proxy.port}",
        # The browser's Stripe.js through the proxy too (the page's policy allows one origin).
        "STRIPE_JS_URL": f"http://127.0.0.1:{stripe_through_a_proxy.port}/js.stripe.com/v3/",
        "READERFUND_PROVIDER_TIMEOUT": "2",
    }
    with demo_server(stripe_env) as base_url:
        yield base_url


def test_a_charge_without_an_answer_is_checked_and_give_again_charges_once(
    browser, bad_day_server, stripe_through_a_proxy, stripe_emulator
):
    context = browser.new_context(base_url=bad_day_server)
    try:
        page = context.new_page()
        page.goto("/support/checkout/?frequency=once&amount=25&currency=USD")
        page.get_by_label("Email").fill("bad.day@example.org")
        fill_card(page, VISA)
        stripe_through_a_proxy.fail("hang", times=1, when=POST_CHARGE)
        give = page.get_by_role("button", name=re.compile(r"^Give \$25\.00"))
        give.click()
        expect(page.get_by_text(re.compile("We are checking your payment"))).to_be_visible(
            timeout=20_000
        )
        expect(page.get_by_text(re.compile("declined", re.I))).to_have_count(0)
        give.click()  # Give again: the same payment, found at the provider
        expect(page).to_have_url(re.compile(r"/support/thanks/[0-9a-f-]{36}/$"), timeout=20_000)
        expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
        contribution = page.url.rstrip("/").rsplit("/", 1)[1]
    finally:
        context.close()
    client = stripe.StripeClient("sk_test_x", base_addresses={"api": stripe_emulator})
    listed = client.v1.payment_intents.list(params={"limit": 100}).auto_paging_iter()
    intents = [intent.to_dict() for intent in listed]
    ours = [i for i in intents if (i.get("metadata") or {}).get("contribution") == contribution]
    assert [intent["status"] for intent in ours] == ["succeeded"]  # charged once
