"""Readers behind a block: the demo newsroom read through a mirror host name, in Chromium.

The mirror's name (mirror.test) resolves to the server's address inside this browser only
(Chromium's --host-resolver-rules), as a fresh domain pointed at the same server would.
"""

import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _readerfund, _server_env, demo_server
from tests.nginx import serve_directory

pytestmark = pytest.mark.e2e

MIRROR = "mirror.test"
CARD_LINKS = ".card__headline a"
MIRRORS = {"READERFUND_MIRRORS": f"http://{MIRROR}"}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="module")
def blocked_site():
    """The demo newsroom served with a mirror; (main base URL, mirror base URL, data dir)."""
    data_dir = tempfile.mkdtemp(prefix="readerfund-e2e-blocked-")
    with demo_server(MIRRORS, data_dir=data_dir) as base:
        yield base, base.replace("127.0.0.1", MIRROR), data_dir


@pytest.fixture(scope="module")
def mirror_browser(browser):
    """A Chromium in which mirror.test is the server's address."""
    rules = f"--host-resolver-rules=MAP {MIRROR} 127.0.0.1"
    mirrored = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, rules], headless=True
    )
    yield mirrored
    mirrored.close()


def test_a_reader_reads_the_newsroom_through_a_mirror_without_leaving_it(
    mirror_browser, blocked_site
):
    main, mirror, _ = blocked_site
    context = mirror_browser.new_context(base_url=mirror)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto("/")
    page.get_by_role("navigation", name="Sections").get_by_role("link").first.click()
    expect(page.locator(".section-header h1")).to_be_visible()
    link = page.locator(CARD_LINKS).first
    headline = link.inner_text()
    link.click()
    expect(page.locator("h1.article__headline")).to_have_text(headline)
    assert urlsplit(page.url).hostname == MIRROR
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical == main + urlsplit(page.url).path

    page.goto("/support/?frequency=monthly")
    page.get_by_text("$10", exact=True).click()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(mirror)}/support/checkout/"))
    assert page.goto("/feed/").ok
    assert page.goto("/sitemap.xml").ok

    assert len(requested) > 5
    assert {origin(url) for url in requested} == {mirror}
    context.close()


@pytest.fixture(scope="module")
def static_copy(blocked_site):
    """`readerfund export-static` of the demo newsroom, served by nginx under /copy/."""
    main, _, data_dir = blocked_site
    copy = Path(data_dir) / "copy"
    env = {**_server_env(Path(data_dir), main), **MIRRORS}
    _readerfund("export-static", str(copy), "--jobs", "2", env=env)
    with serve_directory(copy, prefix="/copy/") as base:
        yield base


def test_the_copy_rendered_by_two_processes_is_the_one_rendered_by_one(blocked_site, static_copy):
    main, _, data_dir = blocked_site
    one = Path(data_dir) / "copy-in-one-process"
    env = {**_server_env(Path(data_dir), main), **MIRRORS}
    _readerfund("export-static", str(one), "--jobs", "1", env=env)
    two = Path(data_dir) / "copy"
    files = {p.relative_to(one) for p in one.rglob("*") if p.is_file()} - {Path("export.json")}
    assert files == {p.relative_to(two) for p in two.rglob("*") if p.is_file()} - {
        Path("export.json")
    }
    differ = [name for name in files if (one / name).read_bytes() != (two / name).read_bytes()]
    assert not differ


def test_a_reader_reads_the_static_copy_served_by_nginx_without_leaving_it(
    browser, static_copy, blocked_site
):
    main = blocked_site[0]
    context = browser.new_context()
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(static_copy + "index.html")
    page.get_by_role("navigation", name="Sections").get_by_role("link").first.click()
    expect(page.locator(".section-header h1")).to_be_visible()
    link = page.locator(CARD_LINKS).first
    headline = link.inner_text()
    link.click()
    expect(page.locator("h1.article__headline")).to_have_text(headline)
    # The appeals script runs from the copy: its config's links resolve within the copy.
    button = page.locator(".appeal-slot--letter a[data-appeal-button]")
    expect(button).to_have_attribute("href", static_copy + "support/index.html")
    image = page.locator(".lead-image img")
    width = image.evaluate(
        """img => img.complete ? img.naturalWidth : new Promise(done => img.addEventListener(
            "load", () => done(img.naturalWidth), {once: true}))"""
    )
    assert width > 0
    page.get_by_role("link", name="Lite version (text only)").click()
    expect(page.locator("h1")).to_have_text(headline)
    page.get_by_role("link", name="Support our work").click()
    expect(page.get_by_role("heading", name="Support our work")).to_be_visible()
    expect(page.get_by_role("link", name=f"{main}/support/")).to_be_visible()
    expect(page.get_by_role("link", name=f"http://{MIRROR}/support/")).to_be_visible()

    # The other edition is in the copy too: the language switch leads into it.
    page.goto(static_copy + "index.html")
    page.get_by_role("navigation", name="Other editions").get_by_role("link").first.click()
    expect(page).to_have_url(static_copy + "ru/index.html")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.get_by_role("navigation", name="Рубрики").get_by_role("link").first.click()
    expect(page.locator(".section-header h1")).to_be_visible()
    assert page.url.startswith(static_copy + "ru/"), page.url

    assert all(url.startswith(static_copy) for url in requested), requested
    assert static_copy + "appeals/config.json" in requested
    context.close()


def test_without_javascript_a_reader_on_a_mirror_reads_and_finds_how_to_give(
    mirror_browser, blocked_site
):
    """Tor Browser's Safest level: no JavaScript at all."""
    main, mirror, _ = blocked_site
    context = mirror_browser.new_context(base_url=mirror, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("navigation", name="Sections").get_by_role("link").first.click()
    link = page.locator(CARD_LINKS).first
    headline = link.inner_text()
    link.click()
    expect(page.locator("h1.article__headline")).to_have_text(headline)

    letter = page.locator(".appeal-slot--letter")
    expect(letter.locator(".appeal-letter__title")).to_be_visible()
    letter.locator("a[data-appeal-button]").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(mirror)}/support/\?appeal="))
    expect(page.get_by_role("heading", name="Ways to give")).to_be_visible()
    expect(
        page.get_by_text("By bank transfer: needs neither a card nor JavaScript.")
    ).to_be_visible()
    expect(page.get_by_role("link", name=f"{main}/support/")).to_be_visible()
    page.get_by_text("$10", exact=True).click()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Card payments need JavaScript")).to_be_visible()

    page.goto("/")
    page.get_by_role("link", name="Lite version (text only)").click()
    expect(page).to_have_url(f"{mirror}/lite/")
    page.locator("main a").first.click()
    expect(page.locator("h1")).to_be_visible()
    assert page.locator("img, script").count() == 0
    context.close()
