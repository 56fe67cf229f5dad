"""Donors manage their giving themselves, told in Chromium against `readerfund serve`, the
Stripe emulator and a real SMTP server.

Time is given, not waited for: the server runs in its own process, so the days of the story
(a renewal due, a week before it) are handed to the jobs that act on them (`charge-renewals
--date`, `notify-renewals --date`), and the emails the jobs queue are sent by running the
email tasks as the worker would — the server here runs without a worker of its own.
"""

import json
import re
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, DATA_DIRS, READERFUND, _server_env, demo_server

pytestmark = pytest.mark.e2e

VISA = {"number": "4242424242424242", "exp_month": "12", "exp_year": "30", "cvc": "123"}
MASTERCARD = {**VISA, "number": "5555555555554444"}
LINK = re.compile(r"https?://[^\s\"'<>]+/support/manage/[^\s\"'<>/]+/")


@pytest.fixture(scope="module")
def stripe_env(stripe_emulator, smtp_server):
    controller, _ = smtp_server
    return {
        "STRIPE_SECRET_KEY": "sk_test_x",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_x",
        "STRIPE_WEBHOOK_SECRET": "whsec_x",
        "STRIPE_API_BASE": stripe_emulator,
        "STRIPE_JS_URL": f"{stripe_emulator}/js.stripe.com/v3/",
        "READERFUND_SMTP_URL": f"smtp://{controller.hostname}:{controller.port}",
    }


@pytest.fixture(scope="module")
def manage_server(stripe_env):
    with demo_server(stripe_env) as base_url:
        yield base_url


@pytest.fixture
def inbox(smtp_server):
    from tests.mail_helpers import Mailbox

    box = Mailbox(smtp_server[1])
    box.clear()
    yield box
    box.clear()


def readerfund(base_url, stripe_env, *args) -> str:
    env = {**_server_env(DATA_DIRS[base_url], base_url), **stripe_env}
    done = subprocess.run(
        [str(READERFUND), *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def ask(base_url, stripe_env, code: str):
    """What the server's database says: `code` sets `answer`, printed as JSON."""
    script = f"import json\n{code}\nprint(json.dumps(answer, default=str))"
    return json.loads(readerfund(base_url, stripe_env, "shell", "-c", script).splitlines()[-1])


SEND_QUEUED_EMAIL = """
from django_tasks_db.models import DBTaskResult
ready = DBTaskResult.objects.ready().filter(task_path__startswith="contributions.notices.")
for row in ready.order_by("enqueued_at"):
    row.claim("e2e")
    row.set_successful(row.task.call(*row.task_result.args, **row.task_result.kwargs))
"""


def send_queued_email(base_url, stripe_env):
    """What the worker would do, for the email tasks only (the demo queues other work that
    a loaded machine takes minutes over)."""
    readerfund(base_url, stripe_env, "shell", "-c", SEND_QUEUED_EMAIL)


def give_monthly(page, email: str) -> str:
    page.goto("/support/checkout/?frequency=monthly&amount=10&currency=USD")
    page.get_by_label("Email").fill(email)
    fill_card(page, "#checkout-card", VISA)
    page.get_by_role("button", name="Give $10.00 monthly").click()
    expect(page).to_have_url(re.compile(r"/support/thanks/[0-9a-f-]{36}/$"), timeout=20_000)
    return page.url.rstrip("/").rsplit("/", 1)[1]


def fill_card(page, field: str, card: dict) -> None:
    for placeholder, value in card.items():
        page.locator(f"{field} input[placeholder={placeholder}]").fill(value)


def open_emailed_link(page, base_url, stripe_env, inbox, email: str, count: int) -> str:
    """Ask for the link on /support/manage/, then follow it from another site (a webmail):
    the browser holds the SameSite=Strict cookie back on that redirect; the page reloads."""
    page.goto("/support/manage/")
    page.get_by_label("Your email address").fill(email)
    page.get_by_role("button", name=re.compile("link", re.I)).click()
    send_queued_email(base_url, stripe_env)
    message = inbox.wait_for(count, timeout=20)[-1]
    assert message["To"] == email
    [link] = LINK.findall(message.get_body(("plain",)).get_content())
    page.goto("about:blank")
    page.set_content(f'<a href="{link}">Manage your contributions</a>')
    page.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Your contributions")).to_be_visible()
    assert urlsplit(page.url).path == "/support/manage/contributions/"
    return link


def test_a_monthly_donor_changes_to_annual_updates_the_card_and_is_charged_once(
    browser, manage_server, stripe_env, inbox
):
    context = browser.new_context(base_url=manage_server)
    page = context.new_page()
    pk = give_monthly(page, "story.donor@example.org")
    inbox.clear()
    link = open_emailed_link(page, manage_server, stripe_env, inbox, "story.donor@example.org", 1)
    token = urlsplit(link).path.split("/")[-2]
    assert token not in page.url
    [cookie] = [c for c in context.cookies() if c["name"] == "manage"]
    assert (cookie["path"], cookie["httpOnly"], cookie["sameSite"]) == (
        "/support/manage/", True, "Strict",
    )  # fmt: skip
    assert token not in cookie["value"]
    expect(page.locator(".manage-contribution__gift")).to_have_text("$10.00 · Monthly")

    # $10 monthly → $15 annual, from the next period on: nothing charged now.
    page.get_by_role("link", name="Change amount or frequency").click()
    page.get_by_text("Annual", exact=True).click()
    page.get_by_label("Amount (USD)").fill("15")
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_text(re.compile("changed from the next payment on"))).to_be_visible()
    expect(page.locator(".manage-contribution__gift")).to_have_text("$15.00 · Annual")

    # A new card, saved by Stripe.js.
    page.get_by_role("link", name="Update the card").click()
    fill_card(page, "#card-field", MASTERCARD)
    page.get_by_role("button", name="Save this card").click()
    expect(page.get_by_text("Your new card is saved.")).to_be_visible(timeout=20_000)
    expect(page.get_by_text(re.compile(r"card ending in 4444"))).to_be_visible()

    state = f"""
from contributions.models import Contribution
c = Contribution.objects.get(pk="{pk}")
fields = ("period", "amount", "status", "provider_reference")
answer = {{"next": c.next_charge_on, "method": c.payment_method, "status": c.status,
          "payments": list(c.payments.order_by("period").values_list(*fields))}}
"""
    before = ask(manage_server, stripe_env, state)
    due = date.fromisoformat(before["next"])
    assert [p[:3] for p in before["payments"]] == [[0, 1000, "succeeded"]]

    # The notice a week before the annual renewal: once.
    for days in (8, 7, 7, 3):
        day = (due - timedelta(days=days)).isoformat()
        readerfund(manage_server, stripe_env, "notify-renewals", "--date", day)
        send_queued_email(manage_server, stripe_env)
    notices = [m for m in inbox.messages if "renews soon" in m["Subject"]]
    assert len(notices) == 1
    text = notices[0].get_body(("plain",)).get_content()
    assert "$15.00" in text and f"{due.year}" in text and "/support/manage/" in text

    # The renewal: $15 on the new card, once, however often the job runs.
    for _ in range(2):
        readerfund(manage_server, stripe_env, "charge-renewals", "--date", due.isoformat())
    after = ask(manage_server, stripe_env, state)
    assert [p[:3] for p in after["payments"]] == [[0, 1000, "succeeded"], [1, 1500, "succeeded"]]
    assert date.fromisoformat(after["next"]) == due.replace(year=due.year + 1)
    intent = ask(manage_server, stripe_env, f"""
from contributions import providers
intents = providers.get("stripe").client().v1.payment_intents
answer = intents.retrieve("{after["payments"][1][3]}").payment_method
""")  # fmt: skip
    assert intent == after["method"] == before["method"]

    # The statement's totals are the ledger's.
    ledger = ask(manage_server, stripe_env, f"""
from django.db.models import Sum
from contributions.models import LedgerEntry
rows = LedgerEntry.objects.filter(contribution__pk="{pk}").exclude(kind="fee")
years = [day.year for day in rows.dates("occurred_at", "year")]
answer = {{str(y): rows.filter(occurred_at__year=y).aggregate(t=Sum("amount"))["t"] for y in years}}
""")  # fmt: skip
    page.goto("/support/manage/receipts/")
    expect(page.locator(".manage-payments tbody tr")).to_have_count(2)
    for year, total in ledger.items():
        page.get_by_role("link", name=year, exact=True).click()
        expected = f"${Decimal(total) / 100:,.2f}"
        expect(page.locator(".statement-total")).to_have_text(expected)
        pdf = page.request.get(f"/support/manage/statement/{year}.pdf")
        assert pdf.ok and pdf.body().startswith(b"%PDF-")
        page.go_back()
    context.close()


def test_another_donor_stops_resumes_and_changes_on_a_phone_without_javascript(
    browser, manage_server, stripe_env, inbox
):
    giving = browser.new_context(base_url=manage_server)
    give_monthly(giving.new_page(), "stop.resume@example.org")
    giving.close()
    inbox.clear()
    phone = browser.new_context(
        base_url=manage_server, java_script_enabled=False, viewport={"width": 375, "height": 812}
    )
    page = phone.new_page()
    open_emailed_link(page, manage_server, stripe_env, inbox, "stop.resume@example.org", 1)
    no_sideways_scroll(page)
    screenshot(page, "manage-contributions-phone.png")
    page.get_by_role("link", name="Stop this contribution").click()
    page.get_by_role("button", name="Yes, stop it").click()
    expect(page.get_by_text(re.compile("Your contribution is stopped"))).to_be_visible()
    expect(page.get_by_text("Status: Cancelled")).to_be_visible()
    page.get_by_role("button", name="Resume this contribution").click()
    expect(page.get_by_text(re.compile("active again"))).to_be_visible()
    expect(page.get_by_text("Status: Active")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Next payment: "))).to_be_visible()
    page.reload()  # a reload after the POST asks nothing again (303 to the page)
    expect(page.get_by_text("Status: Active")).to_be_visible()

    page.get_by_role("link", name="Change amount or frequency").click()
    no_sideways_scroll(page)
    screenshot(page, "manage-change-phone.png")
    page.get_by_label("Amount (USD)").fill("1")
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_text("The smallest amount is $2.00.")).to_be_visible()
    page.get_by_label("Amount (USD)").fill("12.50")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator(".manage-contribution__gift")).to_have_text("$12.50 · Monthly")

    page.get_by_role("link", name="Receipts and yearly statements").click()
    no_sideways_scroll(page)
    page.locator(".manage-payments tbody a").first.click()
    expect(page.get_by_role("heading", name=re.compile(r"^Receipt RF-"))).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, "manage-receipt-phone.png")
    phone.close()


def no_sideways_scroll(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide in a {width[1]} px window"


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / name, full_page=True)
