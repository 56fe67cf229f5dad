"""What a reader page costs to render: query ceilings, so they cannot creep back, and the
fragments kept per publish generation (readerfund.lib.fragments) staying correct."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from appeals.models import Appeal, AppealVariant
from contributions.models import AmountPreset, CurrencyOption
from funding.models import FundingSettings
from newsroom.renditions import prepare
from readerfund.lib import fragments, pagecache
from tests import factories
from tests.appeals.conftest import make_appeal
from tests.funding.conftest import TODAY
from tests.page_helpers import CEILINGS

# The first render of all, nothing kept yet (the letter's appeals, figures and form, the
# settings, the sites, the menu, Read more's lists of each tag's and the section's newest
# articles; the ways to give staff switched off, for the form's marks); before fragments an
# article took 39 queries every time.
# Editions (readerfund/lib/editions.py) cost a cold render a few queries, once per generation:
# the locales, the edition's home page, the page's translations (hreflang, the switch) and
# the other edition's home; warm renders cost what they did.
COLD_CEILINGS = {"article": 35, "home": 16, "section": 16, "site feed": 9, "section feed": 11}


@pytest.fixture
def newsroom_with_news(newsroom, author, monthly_cost, giving):
    """Several articles in two sections with images, tags and authors, and a live letter
    whose copy shows this month's figures."""
    second = factories.make_author("Ivo Petrin")
    articles = [
        factories.make_article(
            newsroom["news" if n % 3 else "culture"],
            f"Story {n}",
            tags=["courts", f"tag-{n % 4}"],
            authors=[author, second] if n % 2 else [author],
            image=factories.make_image(f"Picture {n}"),
            published=TODAY - timedelta(days=n),
        )
        for n in range(10)
    ]
    funding = FundingSettings.load()
    funding.disclosure = FundingSettings.Disclosure.TOTALS
    funding.save()
    usd, _ = CurrencyOption.objects.get_or_create(code="USD")
    AmountPreset.objects.get_or_create(
        currency=usd, frequency="monthly", defaults={"amounts": [500, 1000], "default_amount": 500}
    )
    letter = make_appeal("editors-letter", Appeal.Kind.LETTER, name="Letter")
    AppealVariant.objects.filter(appeal=letter).update(body="<p>{raised} raised so far.</p>")
    giving.charge(100_000)
    return {**newsroom, "articles": articles, "letter": letter}


def pages(news) -> dict[str, str]:
    article = news["articles"][1]
    return {
        "article": article.url,
        "home": "/",
        "section": news["news"].url,
        "site feed": "/feed/",
        "section feed": f"{news['news'].url}feed/",
    }


def queries_of(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", CEILINGS)
def test_a_reader_page_renders_within_its_query_ceiling(client, frozen, newsroom_with_news, page):
    path = pages(newsroom_with_news)[page]
    client.get(path)  # the renditions are made, the fragments kept
    assert queries_of(client, path) <= CEILINGS[page]


@pytest.mark.parametrize("page", COLD_CEILINGS)
def test_the_first_render_of_all_stays_within_its_own_ceiling(
    client, frozen, newsroom_with_news, page
):
    path = pages(newsroom_with_news)[page]
    client.get(path)
    fragments.forget()  # as a process that just started, renditions already made
    assert queries_of(client, path) <= COLD_CEILINGS[page]


def test_an_article_renders_the_same_page_warm_as_cold(client, frozen, newsroom_with_news):
    path = pages(newsroom_with_news)["article"]
    cold = client.get(path).content
    assert client.get(path).content == cold


def test_a_restriction_added_by_staff_protects_the_page_at_once(
    client, frozen, newsroom_with_news, django_capture_on_commit_callbacks
):
    article = newsroom_with_news["articles"][1]
    assert "public" in client.get(article.url)["Cache-Control"]
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=newsroom_with_news["news"], restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([Group.objects.create(name="Trusted readers")])
    assert pagecache.generation() > before
    response = client.get(article.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert article.title not in client.get("/").content.decode()


def test_removing_the_last_restriction_makes_the_page_public_again(
    client, frozen, newsroom_with_news, django_capture_on_commit_callbacks
):
    article = newsroom_with_news["articles"][1]
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.LOGIN
        )
    assert client.get(article.url).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    response = client.get(article.url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]


def test_the_letters_figures_change_within_its_ttl(client, newsroom_with_news, giving):
    article = newsroom_with_news["articles"][1]
    with time_machine.travel(TODAY, tick=False) as clock:
        assert "$1,000 raised so far." in client.get(article.url).content.decode()
        giving.charge(50_000, when=TODAY)  # a gift changes the figures, not the generation
        assert "$1,000 raised so far." in client.get(article.url).content.decode()
        clock.shift(timedelta(seconds=16))
        assert "$1,500 raised so far." in client.get(article.url).content.decode()


def test_the_letter_changes_at_once_after_a_publish(
    client, frozen, newsroom_with_news, giving, django_capture_on_commit_callbacks
):
    article = newsroom_with_news["articles"][1]
    assert "$1,000 raised so far." in client.get(article.url).content.decode()
    giving.charge(50_000)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert "$1,500 raised so far." in client.get(article.url).content.decode()


def test_a_changed_newsroom_name_is_seen_at_once(
    client, frozen, newsroom_with_news, django_capture_on_commit_callbacks
):
    from newsroom.models import NewsroomSettings

    client.get("/")
    settings = NewsroomSettings.objects.get()
    settings.name = "The Renamed Ledger"
    with django_capture_on_commit_callbacks(execute=True):
        settings.save()
    assert "The Renamed Ledger" in client.get("/").content.decode()


def test_the_kept_menu_marks_the_section_each_page_is_in(client, frozen, newsroom_with_news):
    # The menu is kept per section ({% keep %} in base.html): a page of one section must
    # never get the menu kept for another, nor the home page one that marks a section.
    news, culture = newsroom_with_news["news"], newsroom_with_news["culture"]
    in_news = next(a for a in newsroom_with_news["articles"] if a.get_parent().pk == news.pk)
    in_culture = next(a for a in newsroom_with_news["articles"] if a.get_parent().pk == culture.pk)
    current = re.compile(r'<a href="([^"]+)" aria-current="page">')
    for _ in range(2):  # cold, then kept
        assert current.findall(client.get(in_news.url).content.decode()) == [news.url]
        assert current.findall(client.get(in_culture.url).content.decode()) == [culture.url]
        assert current.findall(client.get(culture.url).content.decode()) == [culture.url]
        assert current.findall(client.get("/").content.decode()) == []


def test_tags_and_authors_read_in_one_query_are_what_the_orm_gives(client, frozen, newsroom):
    # ArticlePage.tags_and_authors writes its own SQL for pages routing reads: same lists,
    # same order (tags as added, authors by name) as the ORM's, on either database.
    zed, ann = factories.make_author("Zed Orlov"), factories.make_author("Ann Berg")
    article = factories.make_article(
        newsroom["news"], "Ordered", tags=["zeta", "alpha", "mid"], authors=[zed, ann]
    )
    page = client.get(article.url)
    tags, authors = page.context["tags"], page.context["authors"]
    assert (
        [t.name for t in tags] == [t.name for t in article.tags.all()] == ["zeta", "alpha", "mid"]
    )
    assert [(a.pk, a.name, a.bio) for a in authors] == [
        (a.pk, a.name, a.bio) for a in article.authors.all()
    ]
    assert [a.name for a in authors] == ["Ann Berg", "Zed Orlov"]
    assert "By Ann Berg and Zed Orlov" in page.content.decode()


def test_an_article_of_the_long_tail_renders_in_few_queries(client, frozen, newsroom_with_news):
    """The first render of an article in a process that has rendered others (a crawler
    walking the archive): everything but the article itself is kept. Its queries: the route
    (the article with its image, one prepared query), its tags and authors, its Read more's
    articles, its image's renditions. Its translations cost none while it has none (a set of
    the keys pages share, kept per generation): before, a query of their own each time."""
    first, other = newsroom_with_news["articles"][1:3]
    for article in newsroom_with_news["articles"]:
        prepare(article.lead_image)  # as the worker does when an image is saved
    client.get(first.url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(other.url).status_code == 200
    sqls = [query["sql"] for query in captured]
    assert not [sql for sql in sqls if '"translation_key" = ' in sql]  # its translations
    assert len(sqls) <= LONG_TAIL_CEILING, "\n\n".join(sqls)


LONG_TAIL_CEILING = 4
