"""A reader, a donor and staff, in each language the newsroom can publish in, at 320 px (the
WCAG reflow width) and 1280 px: every page they meet passes axe-core (tests/e2e/axe.py:
nothing of impact moderate or above) and, at 320 px, nothing scrolls sideways.

The story goes home → section → three articles (the modal) → /support/ → checkout, with a
declined card and with an empty card field → a card that works → thank-you → "Remind me
later" → the page where donors manage their giving → a page that does not exist; then staff
sign in and open the dashboard and the funding figures. Emails are not pages: axe does not
read them (their HTML is written for mail clients, tables and inline styles by rule).
"""

import json
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_violations, violations
from tests.e2e.conftest import ARTIFACTS, admin_sign_in, demo_server

pytestmark = pytest.mark.e2e

NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
VISA = {"number": "4242424242424242", "exp_month": "12", "exp_year": "30", "cvc": "123"}
DECLINED = {**VISA, "number": "4000000000000341"}  # the card saves; its charge is declined
MANAGE_TOKEN = """
import json, pathlib
from contributions.manage import manage_token
from contributions.models import Contribution
gift = Contribution.objects.filter(status="active").order_by("pk").first()
pathlib.Path({out!r}).write_text(json.dumps({{"token": manage_token(gift.contributor)}}))
"""
# What each language calls the things the story clicks.
WORDS = {
    "en": {"continue": "Continue", "pay": r"^Give ", "email": "Email", "thanks": "Thank you"},
    "ru": {
        "continue": "Продолжить",
        "pay": r"^(Пожертвовать|Поддерживать по)",
        "email": "Электронная почта",
        "thanks": "Спасибо",
    },
}


STRIPE = {
    "STRIPE_SECRET_KEY": "sk_test_x",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_x",
    "STRIPE_WEBHOOK_SECRET": "whsec_x",
}


@pytest.fixture(scope="module")
def both_editions(stripe_emulator):
    """One demo install serving both editions (English at /, Russian under /ru/), taking cards
    through the Stripe emulator; yields (base URL, manage token)."""
    env = {
        **STRIPE,
        "STRIPE_API_BASE": stripe_emulator,
        "STRIPE_JS_URL": f"{stripe_emulator}/js.stripe.com/v3/",
    }
    with tempfile.TemporaryDirectory() as scratch:
        out = str(Path(scratch) / "token.json")
        setup = ("shell", "-c", MANAGE_TOKEN.format(out=out))
        with demo_server(env, setup) as base_url:
            yield base_url, json.loads(Path(out).read_text())["token"]


@pytest.fixture(params=["en", "ru"])
def edition(request, both_editions):
    """One edition of the install: (language, base URL, manage token, path prefix)."""
    language = request.param
    base_url, token = both_editions
    return language, base_url, token, "" if language == "en" else f"/{language}"


@pytest.fixture(scope="module", params=["en", "ru"])
def install(request, stripe_emulator):
    """A demo install whose default language (READERFUND_LANGUAGE, the admin's) is one of
    each: (language, base URL)."""
    env = {"READERFUND_LANGUAGE": request.param, **STRIPE, "STRIPE_API_BASE": stripe_emulator}
    with demo_server(env) as base_url:
        yield request.param, base_url


@pytest.fixture
def open_page(browser, request):
    contexts = []
    name = "edition" if "edition" in request.fixturenames else "install"
    base_url = request.getfixturevalue(name)[1]

    def make(viewport):
        context = browser.new_context(base_url=base_url, viewport=viewport)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def no_sideways_scroll(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} is {width[0]} px wide in a {width[1]} px window"


def nothing_cut_off(page, selector: str) -> None:
    """Each element's text fits its box (no word cut by overflow: hidden)."""
    for element in page.locator(selector).all():
        sizes = element.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert sizes[0] <= sizes[1] + 1, f"{selector} {element.inner_text()!r} is cut off"


def check(page, viewport, name: str) -> None:
    """axe on the page as it is now, no sideways scroll at 320 px, no English on a Russian
    page, and a screenshot."""
    assert_no_violations(page, name)
    if name.startswith("ru-"):
        assert not english_words(page), f"English on {name}: {sorted(english_words(page))}"
    if viewport is NARROW:
        no_sideways_scroll(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    size = "320" if viewport is NARROW else "1280"
    page.screenshot(path=ARTIFACTS / f"a11y-{name}-{size}.png", full_page=True)


CONTRAST = """([a, b]) => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}"""


def focus_ring_contrast(page) -> float:
    """Contrast between the focused option's ring and the option's own fill (the ring is
    drawn inside it)."""
    colors = page.evaluate(
        """() => { const label = document.activeElement.labels[0], s = getComputedStyle(label);
                   return [s.outlineColor, s.backgroundColor, s.outlineStyle]; }"""
    )
    assert colors[2] != "none", "the focused option has no focus ring"
    return page.evaluate(CONTRAST, colors[:2])


def tab_to(page, selector: str) -> None:
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


# Words in Latin letters a Russian page may carry: names of formats, brands and currencies,
# and the demo's fictional bank details. Anything else is English left untranslated.
NOT_ENGLISH = {
    "Atom", "VPN", "cookie", "JavaScript", "IBAN", "XX", "READER", "Stripe", "USD", "EUR",
    "GBP", "Visa", "VISA", "Mastercard", "American", "Express", "AMEX",
}  # fmt: skip


def english_words(page) -> set[str]:
    """Latin-letter words the reader sees or hears on the page (text, labels, titles), outside
    the card field (the payment provider's own)."""
    text = page.evaluate(
        """() => { const card = document.querySelector('#checkout-card');
                   const parts = [document.title];
                   const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                   while (walk.nextNode()) { const node = walk.currentNode;
                     if (card && card.contains(node)) continue;
                     const parent = node.parentElement;
                     if (parent.closest('script, style, template, noscript, [hidden]')) continue;
                     // A part marked as another language (the switch to the English edition).
                     const part = parent.closest('[lang]');
                     if (part && part.lang !== document.documentElement.lang) continue;
                     parts.push(node.textContent); }
                   const named = '[aria-label], [title], [alt], [placeholder]';
                   for (const e of document.querySelectorAll(named)) {
                     if (card && card.contains(e)) continue;
                     for (const a of ['aria-label', 'title', 'alt', 'placeholder'])
                       parts.push(e.getAttribute(a) || ''); }
                   return parts.join(' '); }"""
    )
    return set(re.findall(r"[A-Za-z][A-Za-z'’]+", text)) - NOT_ENGLISH


def fill_card(page, card: dict) -> None:
    for placeholder, value in card.items():
        page.locator(f"#checkout-card input[placeholder={placeholder}]").fill(value)


@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["320px", "1280px"])
def test_a_reader_reads_and_gives_and_every_page_passes_axe(open_page, edition, viewport):
    """Both editions of one install: the Russian one under /ru/, in Russian from the home
    page to the donor's pages, and its gift receipted in Russian (test_editions_giving)."""
    language, _, token, prefix = edition
    words = WORDS[language]
    page = open_page(viewport)
    page.goto(prefix + "/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    check(page, viewport, f"{language}-home")

    page.locator("nav.sections a").first.click()
    expect(page.locator(".section-header h1")).to_be_visible()
    check(page, viewport, f"{language}-section")
    articles = [a.get_attribute("href") for a in page.locator(".card__headline a").all()[:3]]
    for path in articles:
        page.goto(path)
        expect(page.locator("h1.article__headline")).to_be_visible()
    modal = page.locator("dialog[data-appeal-kind=modal]")
    expect(modal).to_be_visible()
    check(page, viewport, f"{language}-article-modal")
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()
    expect(page.locator("[data-appeal-kind=letter]")).to_be_visible()
    check(page, viewport, f"{language}-article")
    other = page.locator("nav.editions a").first  # the switch: to the translation or home
    expect(other).to_be_visible()
    assert other.get_attribute("hreflang") == ("ru" if language == "en" else "en")

    page.goto(prefix + "/support/")
    nothing_cut_off(page, ".segmented__option")
    tab_to(page, "input[name=frequency]:checked")  # by keyboard: the checked option, filled
    assert focus_ring_contrast(page) >= 3, "the focus ring cannot be seen on the checked option"
    check(page, viewport, f"{language}-support")
    page.get_by_role("button", name=words["continue"]).click()
    pay = page.get_by_role("button", name=re.compile(words["pay"]))
    expect(pay).to_be_visible()
    check(page, viewport, f"{language}-checkout")

    page.get_by_label(words["email"], exact=True).fill("reader@example.org")
    pay.click()  # the card field left empty: the site's words, never a script's error
    card_error = page.locator("#checkout-card-error")
    expect(card_error).to_be_visible()
    expect(card_error).not_to_contain_text("undefined")
    check(page, viewport, f"{language}-checkout-empty-card")

    fill_card(page, DECLINED)
    pay.click()
    expect(card_error).to_be_visible(timeout=20_000)
    expect(pay).to_be_enabled(timeout=20_000)
    expect(card_error).to_be_focused()  # not dropped to <body> with the disabled button
    expect(pay).to_be_enabled()
    check(page, viewport, f"{language}-checkout-declined")

    fill_card(page, VISA)
    pay.click()
    expect(page).to_have_url(re.compile(prefix + r"/support/thanks/"), timeout=20_000)
    expect(page.get_by_role("heading", name=words["thanks"])).to_be_visible()
    check(page, viewport, f"{language}-thanks")

    page.goto(prefix + "/reminders/new/")
    check(page, viewport, f"{language}-reminder")
    page.goto(f"{prefix}/support/manage/{token}/")
    check(page, viewport, f"{language}-manage")
    page.goto(prefix + "/support/manage/")
    check(page, viewport, f"{language}-manage-ask")

    missing = page.goto(prefix + "/no-such-page/")
    assert missing.status == 404
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(".masthead__name")).to_be_visible()  # in the site's design
    check(page, viewport, f"{language}-404")


@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["320px", "1280px"])
def test_staff_pages_pass_axe(open_page, install, viewport):
    language, base_url = install
    page = open_page(viewport)
    page.goto("/admin/login/")
    assert_no_violations(page, f"{language}-admin-login")
    admin_sign_in(page, base_url)
    page.goto("/admin/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_no_violations(page, f"{language}-admin-home")
    page.goto("/admin/funding/")
    assert_no_violations(page, f"{language}-admin-funding")
    # A chart's smallest labels (10 units) are drawn at least 9 px tall, or it is not shown.
    smallest = page.evaluate(
        """[...document.querySelectorAll('svg.funding-chart')]
             .filter(svg => svg.getClientRects().length)
             .map(svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width * 10)"""
    )
    assert all(size >= 9 for size in smallest), f"chart labels {smallest} px tall"
    expect(page.locator(".funding-table")).to_be_visible()


def test_axe_finds_a_heading_that_skips_a_level_and_text_too_faint(browser):
    """The check itself can fail: a page with both faults is refused."""
    page = browser.new_page()
    try:
        page.set_content(
            '<html lang="en"><title>Faults</title><main><h1>A</h1><h3>B</h3>'
            '<p style="color:#aaa;background:#fff">Faint</p></main></html>'
        )
        found = {violation["id"] for violation in violations(page)}
        assert {"heading-order", "color-contrast"} <= found
    finally:
        page.close()
