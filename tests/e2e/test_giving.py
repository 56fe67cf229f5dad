"""A reader gives, told in Chromium against `readerfund serve` and the Stripe emulator.

The server here is our own (not conftest's `server`): it runs with STRIPE_* pointed at
localstripe, whose Stripe.js the checkout page loads, so the card goes the whole way:
Stripe.js confirmCardSetup → the server charges the saved card → the thank-you page.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, demo_server

pytestmark = pytest.mark.e2e

SCREENSHOTS = ARTIFACTS
PHONE = {"width": 375, "height": 812}
OFFLINE = "Bank transfer to The Northern Ledger, IBAN GB33 BUKB 2020 1555 5555 55"
VISA = {
    "number": "4242424242424242",
    "exp_month": "12",
    "exp_year": "30",
    "cvc": "123",
    "postal_code": "10001",
}

SET_OFFLINE_INSTRUCTIONS = f"""
from wagtail.models import Site
from contributions.models import GivingSettings
GivingSettings.objects.update_or_create(
    site=Site.objects.get(is_default_site=True),
    defaults={{"offline_instructions": "<p>{OFFLINE}</p>"}},
)
"""


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="module")
def giving_server(stripe_emulator):
    """Base URL of `readerfund serve` on the demo newsroom, taking cards through the
    emulator, with offline giving instructions set."""
    stripe = {
        "STRIPE_SECRET_KEY": "sk_test_x",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_x",
        "STRIPE_WEBHOOK_SECRET": "whsec_x",
        "STRIPE_API_BASE": stripe_emulator,
        "STRIPE_JS_URL": f"{stripe_emulator}/js.stripe.com/v3/",
    }
    with demo_server(stripe, ("shell", "-c", SET_OFFLINE_INSTRUCTIONS)) as base_url:
        yield base_url


@pytest.fixture
def reader(browser, giving_server):
    """Make fresh browser contexts on the giving server; all closed after."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=giving_server, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=True)


def fill_card(page, card: dict) -> None:
    for placeholder, value in card.items():
        page.locator(f"#checkout-card input[placeholder={placeholder}]").fill(value)


def test_a_reader_gives_ten_dollars_monthly_through_the_form(
    reader, giving_server, stripe_emulator
):
    context = reader()
    page = context.new_page()
    requested, console = [], []
    page.on("request", lambda request: requested.append((page.url, request.url)))
    page.on("console", lambda message: console.append((message.type, message.text)))

    page.goto("/support/?frequency=monthly")
    expect(page.get_by_role("radio", name="Monthly")).to_be_checked()
    screenshot(page, "support.png")
    page.get_by_text("$10", exact=True).click()
    expect(page.get_by_role("radio", name="$10", exact=True)).to_be_checked()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/support/checkout/\?.*amount=10\.00"))
    pay = page.get_by_role("button", name="Give $10.00 monthly")
    expect(pay).to_be_visible()
    page.get_by_label("Email").fill("ten.monthly@example.org")
    fill_card(page, VISA)
    screenshot(page, "checkout.png")
    pay.click()

    expect(page).to_have_url(re.compile(r"/support/thanks/[0-9a-f-]{36}/$"), timeout=20_000)
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.locator(".summary__gift")).to_have_text("$10.00 monthly")
    expect(
        page.get_by_text(re.compile(r"Your next payment is on \w+\.? \d{1,2}, \d{4}\."))
    ).to_be_visible()
    expect(page.get_by_text("A receipt is on its way to your email.")).to_be_visible()
    assert "ten.monthly@example.org" not in page.content()
    screenshot(page, "thanks.png")
    # Chromium found every page's policy well-formed (it logs an error for one that is not).
    assert [text for kind, text in console if "Content-Security-Policy" in text] == []
    gave = page.evaluate("localStorage.getItem('readerfund:gave')")
    assert re.match(r"\d{4}-\d{2}-\d{2}T", gave)

    # Only the checkout step reached outside the newsroom, and only to the emulator.
    assert {origin(url) for _, url in requested} == {giving_server, stripe_emulator}
    pages_that_reached_out = {
        urlsplit(on).path for on, url in requested if origin(url) == stripe_emulator
    }
    assert pages_that_reached_out == {"/support/checkout/"}
    assert context.cookies() == []


def test_the_presets_follow_the_frequency_and_the_currency(reader):
    page = reader().new_page()
    page.goto("/support/")

    page.get_by_text("Annual", exact=True).click()
    expect(page.get_by_role("radio", name="$100", exact=True)).to_be_checked()
    expect(page.locator(".amounts__option")).to_have_text(["$50", "$100", "$200", "$500"])
    page.get_by_label("Currency").select_option("EUR")
    expect(page.locator(".amounts__option")).to_have_text(["€50", "€100", "€200", "€500"])
    page.get_by_label("Other amount").fill("42")
    expect(page.locator(".amounts__input:checked")).to_have_count(0)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("button", name="Give €42.00 annually")).to_be_visible()
    page.get_by_label("Cover the processing fee (+€1.57)").check()
    expect(page.get_by_role("button", name="Give €43.57 annually")).to_be_visible()


def test_a_bad_amount_is_explained_next_to_the_field(reader):
    page = reader().new_page()
    page.goto("/support/")
    page.get_by_label("Other amount").fill("1")
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("#support-amount-error")).to_have_text("The smallest amount is $2.00.")
    expect(page.get_by_label("Other amount")).to_have_value("1")
    screenshot(page, "support-error.png")


def test_checkout_flags_each_field_in_the_sites_words_and_clears_it_once_fixed(reader):
    # A German browser: its own validation messages would be German, the site's are English.
    page = reader(locale="de-DE").new_page()
    page.goto("/support/checkout/?frequency=monthly&amount=10&currency=USD")
    email, email_error = page.get_by_label("Email"), page.locator("#checkout-email-error")
    card_error = page.locator("#checkout-card-error")
    page.get_by_role("button", name="Give $10.00 monthly").click()

    expect(email_error).to_have_text("Enter your email address: your receipt goes to it.")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(card_error).to_have_text("Enter your card's number, expiry date and security code.")
    screenshot(page, "checkout-errors.png")

    email.fill("not-an-email")
    email.blur()
    expect(email_error).to_have_text("Enter a whole email address, such as name@example.org.")
    email.fill("reader@example.org")
    expect(email_error).to_be_hidden()
    expect(email).not_to_have_attribute("aria-invalid", "true")
    fill_card(page, VISA)
    expect(card_error).to_be_hidden()


def test_without_javascript_choosing_once_gives_the_once_default(reader):
    page = reader(java_script_enabled=False).new_page()
    page.goto("/support/")
    page.locator("label[for=support-frequency-once]").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".summary__gift")).to_have_text("$25.00 once")


def test_a_phone_reader_sees_the_whole_form(reader):
    page = reader(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto("/support/checkout/?frequency=monthly&amount=10&currency=USD")
    expect(page.get_by_role("button", name="Give $10.00 monthly")).to_be_visible()
    screenshot(page, "checkout-phone.png")

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_without_javascript_checkout_explains_and_shows_other_ways_to_give(reader):
    page = reader(java_script_enabled=False).new_page()
    page.goto("/support/")
    page.get_by_text("$20", exact=True).click()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/support/checkout/\?"))
    expect(page.locator(".summary__gift")).to_have_text("$20.00 monthly")
    expect(page.get_by_role("heading", name="Card payments need JavaScript")).to_be_visible()
    # (Playwright's text engine skips <noscript>, which Chromium renders here: use CSS.)
    instructions = page.locator("noscript .offline__text")
    expect(instructions).to_be_visible()
    expect(instructions).to_contain_text(OFFLINE)
    expect(page.get_by_role("button", name=re.compile("^Give "))).to_be_hidden()
    screenshot(page, "checkout-nojs.png")
