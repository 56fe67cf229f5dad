"""What a donor managing their giving and staff at work in the admin see, in Chromium on a
390 px phone and a 1280 px desktop: nothing cut off, nothing to scroll sideways, figures as
words. Screenshots are kept in var/test-artifacts/e2e/ for people to look at."""

import json
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, admin_sign_in, demo_server

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

SETUP = """
import json, pathlib
from django.db.models import Count
from appeals.models import Appeal
from contributions.manage import manage_token
from contributions.models import Contribution

gift = (
    Contribution.objects.filter(status="active", frequency="monthly")
    .annotate(paid=Count("payments")).order_by("-paid", "pk").first()
)
pathlib.Path({out!r}).write_text(json.dumps({{
    "token": manage_token(gift.contributor),
    "contribution": str(gift.pk),
    "appeal": Appeal.objects.get(slug="ad-free-modal").pk,
}}))
"""


@pytest.fixture(scope="module")
def staff_server():
    """The demo newsroom with a staff login; yields its URL and what the pages need."""
    with tempfile.TemporaryDirectory() as scratch:
        out = str(Path(scratch) / "ids.json")
        code = SETUP.format(out=out)
        with demo_server(None, ("shell", "-c", code)) as base_url:
            yield base_url, json.loads(Path(out).read_text())


@pytest.fixture
def visit(browser, staff_server):
    """A fresh browser at a viewport size, on the staff server."""
    contexts = []

    def make(viewport):
        context = browser.new_context(base_url=staff_server[0], viewport=viewport)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / name, full_page=True)


def no_sideways_scroll(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide in a {width[1]} px window"


def inside_the_window(page, selector: str) -> None:
    """Every element matching selector ends within the window and is not clipped by a
    scrolled ancestor."""
    for box in page.locator(selector).all():
        expect(box).to_be_visible()
        right = box.evaluate("e => e.getBoundingClientRect().right")
        clipped = box.evaluate(
            """e => { for (let p = e.parentElement; p; p = p.parentElement) {
                   if (p.scrollWidth > p.clientWidth + 1 &&
                       getComputedStyle(p).overflowX !== 'visible') return true; }
                 return false; }"""
        )
        assert right <= page.viewport_size["width"], f"{selector} ends at {right} px"
        assert not clipped, f"{selector} is in a box that cuts it off or scrolls sideways"


def text_box(element) -> dict:
    """Where an element's text is drawn (not its box, which padding may widen)."""
    return element.evaluate(
        """e => { const r = document.createRange(); r.selectNodeContents(e);
                  const b = r.getBoundingClientRect(); return {left: b.left, right: b.right}; }"""
    )


def log_in(page, base_url: str) -> None:
    """The demo's editor signs in, second factor included (staff accounts all need one)."""
    admin_sign_in(page, base_url)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_donor_manages_their_monthly_gift_on_a_phone_and_a_desktop(visit, staff_server, viewport):
    _, ids = staff_server
    page = visit(viewport)
    page.goto(f"/support/manage/{ids['token']}/")
    expect(page.get_by_role("heading", name="Your contributions")).to_be_visible()
    page.wait_for_timeout(300)  # what a script could still add (an appeal) is there by now
    expect(page.locator("[data-appeal-kind]")).to_have_count(0)
    no_sideways_scroll(page)
    inside_the_window(page, ".manage-contribution")
    # Each date stays on one line, and the headings stand apart.
    for cell in page.locator(".manage-payments td:first-child").all()[:3]:
        height = cell.evaluate("e => e.getBoundingClientRect().height")
        line = cell.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
        assert height < 2 * line, "a date wraps"
    date, amount = (text_box(th) for th in page.locator(".manage-payments thead th").all())
    assert amount["left"] - date["right"] >= 16, "the Date and Amount headings run together"
    name = "phone" if viewport is PHONE else "desktop"
    screenshot(page, f"manage-{name}.png")

    page.get_by_role("link", name="Stop this contribution").first.click()
    expect(page.get_by_role("heading", name="Stop this contribution?")).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, f"manage-stop-{name}.png")
    page.get_by_role("link", name="Keep it").click()
    expect(page.get_by_role("heading", name="Your contributions")).to_be_visible()


def test_staff_read_a_contribution_and_ask_to_see_its_donor(visit, staff_server):
    _, ids = staff_server
    page = visit(DESKTOP)
    log_in(page, staff_server[0])
    page.goto(f"/admin/giving/contributions/inspect/{ids['contribution']}/")
    content = page.locator("main")
    expect(content).to_contain_text("Processing fee covered")
    for raw in ["None", "False", "True", "minor units"]:
        expect(content).not_to_contain_text(raw)
    expect(content).not_to_contain_text("@")
    screenshot(page, "admin-contribution.png")
    page.get_by_role("button", name="Show the donor's name and email").click()
    expect(content).to_contain_text("@")
    expect(content).to_contain_text("This was written to the audit log.")
    screenshot(page, "admin-contribution-donor.png")


def test_staff_see_every_column_of_the_appeal_statistics_and_the_funding_table(visit, staff_server):
    _, ids = staff_server
    page = visit(DESKTOP)
    log_in(page, staff_server[0])
    page.goto(f"/admin/appeals/stats/{ids['appeal']}/")
    expect(page.locator(".appeal-stats")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("{newsroom}")
    inside_the_window(page, ".appeal-stats th:last-child")
    screenshot(page, "admin-appeal-stats.png")
    page.goto("/admin/funding/")
    inside_the_window(page, ".funding-table th:last-child")
    screenshot(page, "admin-funding.png")
