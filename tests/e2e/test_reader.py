"""A reader's stories, told in Chromium against `readerfund serve` on the demo newsroom."""

import html
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

SCREENSHOTS = ARTIFACTS
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
CARD_LINKS = ".card__headline a"
READ_MORE_LINKS = ".read-more .card__headline a"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def screenshot(page, name: str) -> None:
    """A full-page picture with every lazy image loaded, for a person to look at."""
    page.evaluate(
        """async () => {
            for (const img of document.images) {
                img.scrollIntoView();
                await new Promise(requestAnimationFrame);
            }
            window.scrollTo(0, 0);
        }"""
    )
    # Not wait_for_function: while it polls, Playwright evaluates its predicate in the page
    # with eval, which the pages' CSP (rightly) forbids. evaluate() itself is not affected.
    page.evaluate(
        """() => Promise.all([...document.images]
            .filter(img => !img.complete && img.getClientRects().length)
            .map(img => new Promise(done => {
                img.addEventListener("load", done, {once: true});
                img.addEventListener("error", done, {once: true});
            })))"""
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=True)


def open_first_article(page) -> str:
    """From the home page, follow the first card's headline; return that headline."""
    page.goto("/")
    link = page.locator(CARD_LINKS).first
    headline = link.inner_text()
    link.click()
    expect(page.locator("h1.article__headline")).to_have_text(headline)
    return headline


def test_a_reader_goes_from_the_home_page_to_an_article_and_on_to_read_more(page):
    headline = open_first_article(page)
    first_url = page.url

    expect(page.locator(".lead-image .credit")).to_have_text(re.compile(r"\S"))
    expect(page.locator(".article__body p").first).to_be_visible()
    assert page.locator(".article__body p").count() >= 2
    read_more = page.locator(READ_MORE_LINKS)
    expect(page.get_by_role("heading", name="Read more")).to_be_visible()
    assert 1 <= read_more.count() <= 6

    next_link = read_more.first
    next_headline = next_link.inner_text()
    next_link.click()

    expect(page.locator("h1.article__headline")).to_have_text(next_headline)
    assert next_headline != headline
    assert page.url != first_url


def test_reader_pages_load_nothing_from_another_origin_and_set_no_cookie(server, context, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto("/")
    page.get_by_role("navigation", name="Sections").get_by_role("link").first.click()
    expect(page.locator(".section-header h1")).to_be_visible()
    older = page.locator(".pagination a[rel=next]")
    second_page = older.get_attribute("href") if older.count() else "?page=2"
    page.locator(CARD_LINKS).first.click()
    lead_image = page.locator(".lead-image img")
    width = lead_image.evaluate(  # loaded, and really an image (see screenshot())
        """img => img.complete ? img.naturalWidth : new Promise(done => img.addEventListener(
            "load", () => done(img.naturalWidth), {once: true}))"""
    )
    assert width > 0
    section_url = page.locator(".kicker a").get_attribute("href")
    assert page.goto(section_url + second_page).ok
    feed = page.goto("/feed/")
    assert feed.ok

    assert len(requested) > 5
    assert {origin(url) for url in requested} == {server}
    # A feed reader fetches what the feed points to: that must be the newsroom too.
    linked = re.findall(r'(?:href|src)="(https?://[^"]+)"', html.unescape(feed.text()))
    assert linked
    assert {origin(url) for url in linked} == {server}
    assert context.cookies() == []


def test_the_site_is_fully_usable_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/")

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Economy").click()
    expect(page.locator(".section-header h1")).to_have_text("Economy")
    expect(page.get_by_role("link", name="Economy", exact=True).first).to_have_attribute(
        "aria-current", "page"
    )

    link = page.locator(CARD_LINKS).first
    headline = link.inner_text()
    link.click()
    expect(page.locator("h1.article__headline")).to_have_text(headline)

    more = page.locator(READ_MORE_LINKS).first
    more_headline = more.inner_text()
    more.click()
    expect(page.locator("h1.article__headline")).to_have_text(more_headline)


def test_csp_blocks_an_injected_outside_script(page):
    open_first_article(page)
    response = page.request.get(page.url)
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in response.headers["content-security-policy"]

    # An image is the simplest outside load to stage; CSP stops it before any fetch.
    violation = page.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener("securitypolicyviolation", event => resolve({
                blockedURI: event.blockedURI, directive: event.effectiveDirective,
            }), {once: true});
            setTimeout(() => resolve(null), 5000);
            const img = document.createElement("img");
            img.src = "http://127.0.0.2:9/x.png";
            document.body.append(img);
        })"""
    )

    assert violation is not None, "no securitypolicyviolation event within 5 s"
    assert "127.0.0.2" in violation["blockedURI"]
    assert violation["directive"] == "img-src"


def test_article_is_readable_on_a_phone(new_context):
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    open_first_article(phone)

    sizes = phone.evaluate(
        """() => {
            const size = selector => parseFloat(
                getComputedStyle(document.querySelector(selector)).fontSize
            );
            return {
                scrollWidth: document.documentElement.scrollWidth,
                headline: size("h1.article__headline"),
                body: size(".article__body p"),
            };
        }"""
    )
    screenshot(phone, "article-phone.png")
    desktop = new_context(viewport=DESKTOP).new_page()
    desktop.goto(phone.url)
    screenshot(desktop, "article-desktop.png")

    assert sizes["scrollWidth"] <= PHONE["width"]
    assert sizes["headline"] >= 28
    assert sizes["body"] >= 16


def test_two_readers_get_byte_identical_article_html(server, new_context):
    page = new_context().new_page()
    open_first_article(page)
    url = page.url
    newcomer = new_context(user_agent="Mozilla/5.0 (X11; Linux x86_64) Newcomer/1.0")
    returning = new_context(
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Returning/2.0",
        locale="ru-RU",
    )
    returning.add_cookies([{"name": "returning", "value": "1", "url": server}])

    first = newcomer.request.get(url)
    second = returning.request.get(url)

    assert first.status == second.status == 200
    assert "set-cookie" not in first.headers
    assert "set-cookie" not in second.headers
    assert first.body() == second.body()


def test_the_home_page_starts_with_the_news_on_a_desktop_and_a_phone(new_context):
    desktop = new_context(viewport={"width": 1280, "height": 800}).new_page()
    desktop.goto("/")
    masthead = desktop.locator("header.masthead").bounding_box()
    latest = desktop.locator("#latest-heading").bounding_box()
    band = latest["y"] - (masthead["y"] + masthead["height"])
    assert band <= 40, f"{band:.0f} px of nothing between the menu and Latest"

    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    phone.goto("/")
    expect(phone.locator("[data-appeal-kind=header]")).to_be_visible()
    headline = phone.locator(".card__headline").first.bounding_box()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=SCREENSHOTS / "home-phone.png")
    assert headline["y"] <= 844 * 0.45, f"the first headline starts at {headline['y']:.0f} px"
