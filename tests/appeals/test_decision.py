"""The decision in the reader's browser (appeals/static/appeals/appeals.js), run in Chromium:
targeting, weights, frequency caps, closing, giving, countries.

No server: the script is loaded into a blank page and its functions called directly."""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).parents[2] / "appeals" / "static" / "appeals" / "appeals.js"
NOW = "2026-11-15T12:00:00Z"
DAY = 86_400_000


# Module scope: Playwright's sync API runs an event loop that Django's ORM refuses to share, so
# the browser is gone before any test that touches the database.
@pytest.fixture(scope="module")
def js():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `make test` installs it.", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page()
        page.add_script_tag(content=SCRIPT.read_text())
        yield page
        browser.close()


def appeal(id="modal", kind="modal", variants=(("a", 1),), **fields):
    data = {
        "id": id, "kind": kind, "priority": 0, "starts": None, "ends": None,
        "sections": [], "excludeSections": [], "tags": [], "excludeTags": [],
        "minArticles": 0, "everyDays": 0, "dismissDays": 30, "gaveDays": 180,
        "countries": [], "ticker": False,
        "variants": [{"id": key, "weight": weight} for key, weight in variants],
    }  # fmt: skip
    return data | fields


def decide(js, appeals, *, state=None, page=None, now=NOW, gave=None, country="",
           countries=False, random=0.0, reads=0):  # fmt: skip
    """Run decide(); return ({kind: "appeal/variant" or None}, the state after)."""
    return js.evaluate(
        """([appeals, state, page, now, gave, country, countries, random, reads]) => {
            const A = window.ReaderfundAppeals;
            const time = Date.parse(now);
            state = Object.assign(A.emptyState(), state || {});
            for (let i = 0; i < reads; i++) A.recordRead(state, "article-" + i, time);
            const choice = A.decide({appeals, countryTargeting: countries}, {
                state, now: time, gave, country, random: () => random,
                page: Object.assign({article: "", section: "", tags: []}, page || {}),
            });
            const named = {};
            for (const kind of ["header", "modal", "letter"]) {
                const c = choice[kind];
                named[kind] = c ? c.appeal.id + "/" + c.variant.id : null;
            }
            return [named, state];
        }""",
        [appeals, state, page, now, gave, country, countries, random, reads],
    )


def ago(days):
    from datetime import UTC, datetime, timedelta

    moment = datetime(2026, 11, 15, 12, tzinfo=UTC) - timedelta(days=days)
    return moment.isoformat().replace("+00:00", "Z")


def test_a_newcomer_gets_the_header_message_and_no_modal_before_reading_enough(js):
    appeals = [appeal("header", "header"), appeal("modal", "modal", minArticles=3)]
    chosen, _ = decide(js, appeals, reads=1)
    assert chosen == {"header": "header/a", "modal": None, "letter": None}


def test_the_modal_comes_once_the_reader_has_read_enough_articles(js):
    chosen, _ = decide(js, [appeal(minArticles=3)], reads=3)
    assert chosen["modal"] == "modal/a"


def test_an_article_read_twice_counts_once_and_reads_older_than_30_days_are_forgotten(js):
    counted = js.evaluate(
        """(now) => {
            const A = window.ReaderfundAppeals, time = Date.parse(now), state = A.emptyState();
            A.recordRead(state, "7", time - 31 * 86400000);
            A.recordRead(state, "8", time - 29 * 86400000);
            A.recordRead(state, "9", time);
            A.recordRead(state, "9", time);
            return [A.articlesRead(state, time), Object.keys(state.reads).length];
        }""",
        NOW,
    )
    assert counted == [2, 2]


def test_weights_split_readers_between_variants(js):
    appeals = [appeal(variants=(("a", 3), ("b", 1)))]
    assert decide(js, appeals, random=0.0)[0]["modal"] == "modal/a"
    assert decide(js, appeals, random=0.74)[0]["modal"] == "modal/a"
    assert decide(js, appeals, random=0.76)[0]["modal"] == "modal/b"


def test_a_reader_keeps_their_variant_and_a_paused_one_is_never_drawn(js):
    appeals = [appeal(variants=(("a", 1), ("b", 1), ("off", 0)))]
    chosen, state = decide(js, appeals, random=0.9)
    assert chosen["modal"] == "modal/b"
    assert state["variants"] == {"modal": "b"}
    assert decide(js, appeals, state=state, random=0.0)[0]["modal"] == "modal/b"
    assert decide(js, appeals, state={"variants": {"modal": "off"}}, random=0.0)[0]["modal"] == (
        "modal/a"
    )


def test_the_modal_shows_at_most_once_every_few_days(js):
    appeals = [appeal(everyDays=7)]
    assert decide(js, appeals, state={"shown": {"modal": ago(6)}})[0]["modal"] is None
    assert decide(js, appeals, state={"shown": {"modal": ago(8)}})[0]["modal"] == "modal/a"


def test_after_closing_it_the_reader_is_left_alone_for_the_set_days(js):
    appeals = [appeal(dismissDays=14)]
    assert decide(js, appeals, state={"dismissed": {"modal": ago(13)}})[0]["modal"] is None
    assert decide(js, appeals, state={"dismissed": {"modal": ago(15)}})[0]["modal"] == "modal/a"


def test_a_reader_who_gave_recently_sees_no_appeal(js):
    appeals = [appeal("h", "header"), appeal("m", "modal"), appeal("l", "letter")]
    chosen, _ = decide(js, appeals, gave=ago(10))
    assert chosen == {"header": None, "modal": None, "letter": None}
    chosen, _ = decide(js, appeals, gave=ago(200))
    assert chosen == {"header": "h/a", "modal": "m/a", "letter": "l/a"}
    # gaveDays 0: donors are asked too.
    assert decide(js, [appeal(gaveDays=0)], gave=ago(1))[0]["modal"] == "modal/a"


def test_sections_and_tags_include_and_exclude(js):
    news = {"article": "1", "section": "news", "tags": ["courts", "energy"]}
    culture = {"article": "2", "section": "culture", "tags": ["film"]}
    only_news = [appeal(sections=["news"])]
    assert decide(js, only_news, page=news)[0]["modal"] == "modal/a"
    assert decide(js, only_news, page=culture)[0]["modal"] is None
    assert decide(js, only_news, page={})[0]["modal"] is None  # the home page has no section
    assert decide(js, [appeal(excludeSections=["news"])], page=news)[0]["modal"] is None
    assert decide(js, [appeal(tags=["energy"])], page=news)[0]["modal"] == "modal/a"
    assert decide(js, [appeal(tags=["energy"])], page=culture)[0]["modal"] is None
    assert decide(js, [appeal(excludeTags=["courts"])], page=news)[0]["modal"] is None
    assert decide(js, [appeal(excludeTags=["courts"])], page=culture)[0]["modal"] == "modal/a"


def test_start_and_end_dates_are_checked_in_the_browser(js):
    assert decide(js, [appeal(starts="2026-11-16T00:00:00Z")])[0]["modal"] is None
    assert decide(js, [appeal(starts="2026-11-15T00:00:00Z")])[0]["modal"] == "modal/a"
    assert decide(js, [appeal(ends="2026-11-15T11:00:00Z")])[0]["modal"] is None


def test_the_lowest_priority_number_wins_within_a_kind(js):
    appeals = [appeal("later", priority=5), appeal("first", priority=1, minArticles=9),
               appeal("second", priority=2)]  # fmt: skip
    assert decide(js, appeals)[0]["modal"] == "second/a"


def test_countries_count_only_when_the_site_says_a_cdn_names_them(js):
    appeals = [appeal(countries=["RU", "BY"])]
    assert decide(js, appeals, countries=True, country="RU")[0]["modal"] == "modal/a"
    assert decide(js, appeals, countries=True, country="DE")[0]["modal"] is None
    assert decide(js, appeals, countries=True, country="")[0]["modal"] is None
    assert decide(js, appeals, countries=False, country="")[0]["modal"] == "modal/a"
    needs = js.evaluate(
        "(a) => [window.ReaderfundAppeals.needsCountry({countryTargeting: true, appeals: a}),"
        " window.ReaderfundAppeals.needsCountry({countryTargeting: false, appeals: a})]",
        appeals,
    )
    assert needs == [True, False]


def test_the_script_is_small():
    text = SCRIPT.read_text()
    # A rough minification: comments and indentation out. The budget is 15 KB minified.
    import re

    stripped = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    stripped = re.sub(r"^\s+|\s*//[^\n\"']*$", "", stripped, flags=re.M)
    assert len(stripped.encode()) < 15_000
