from datetime import UTC, datetime, timedelta

import pytest

from newsroom import readmore
from tests.factories import make_article

SEPTEMBER = [datetime(2026, 9, day, tzinfo=UTC) for day in range(1, 31)]


def test_article_page_shows_headline_standfirst_byline_date_image_credit_and_body(client, article):
    response = client.get(article.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="article__headline">Dam inquiry opens</h1>' in html
    assert "What you need to know about dam inquiry opens." in html
    assert "By Mira Kovac" in html
    assert 'datetime="2026-11-01T09:00:00+00:00"' in html
    assert "Kremlin Archive" in html
    assert "<picture>" in html
    assert "First paragraph of Dam inquiry opens." in html
    assert '<h2 class="subhead">What happened next</h2>' in html
    assert "We will keep reporting." in html and "— An editor" in html


def test_article_page_has_named_slots_for_appeals(client, article):
    html = client.get(article.url).content.decode()
    assert 'data-appeal-slot="header"' in html
    assert 'data-appeal-slot="letter"' in html
    # The letter slot comes after the body and before Read more.
    assert html.index("article__body") < html.index('data-appeal-slot="letter"')


def test_updated_time_is_shown_only_when_staff_set_it(client, article):
    assert "Updated" not in client.get(article.url).content.decode()
    article.updated_at = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    article.save_revision().publish()
    assert "Updated" in client.get(article.url).content.decode()


def test_read_more_puts_shared_tags_first_then_same_section_newest_first(newsroom):
    news, culture = newsroom["news"], newsroom["culture"]
    start = datetime(2026, 10, 1, tzinfo=UTC)
    current = make_article(news, "Current", tags=["courts", "energy"], published=start)
    both_tags = make_article(culture, "Both tags", tags=["courts", "energy"], published=start)
    one_tag_old = make_article(culture, "One tag old", tags=["energy"], published=start)
    one_tag_new = make_article(
        culture, "One tag new", tags=["courts"], published=start + timedelta(days=2)
    )
    section_new = make_article(news, "Section new", published=start + timedelta(days=5))
    section_old = make_article(news, "Section old", published=start + timedelta(days=1))
    make_article(culture, "Unrelated", published=start + timedelta(days=9))
    make_article(news, "Unpublished", tags=["courts"], live=False)
    titles = [page.title for page in readmore.pick(current)]
    assert titles == [
        both_tags.title,
        one_tag_new.title,
        one_tag_old.title,
        section_new.title,
        section_old.title,
    ]


def test_read_more_shows_at_most_six_and_never_the_article_itself(newsroom):
    articles = [
        make_article(
            newsroom["news"],
            f"Story {n}",
            tags=["courts"],
            published=datetime(2026, 9, n + 1, tzinfo=UTC),
        )
        for n in range(9)
    ]
    more = readmore.pick(articles[0])
    assert len(more) == 6
    assert articles[0] not in more


def test_read_more_costs_no_query_once_its_lists_and_pages_are_kept(
    newsroom, django_assert_num_queries
):
    articles = [
        make_article(newsroom["news" if n % 2 else "culture"], f"Story {n}", tags=["courts"])
        for n in range(12)
    ]
    tag_ids = list(articles[0].tags.values_list("pk", flat=True))
    first = readmore.pick(articles[0], tag_ids=tag_ids)  # keeps the lists and these pages
    with django_assert_num_queries(1):  # only the pages not yet read: one query for them all
        second = readmore.pick(articles[10], tag_ids=tag_ids)  # one of them: lists one more
    assert len(second) == 6 and set(second) - set(first)
    with django_assert_num_queries(0):  # whatever the archive's size
        assert len(readmore.pick(articles[8], tag_ids=tag_ids)) == 6  # all read already


def test_read_more_never_lists_an_article_unpublished_since_its_page_was_kept(
    newsroom, django_capture_on_commit_callbacks
):
    articles = [make_article(newsroom["news"], f"Story {n}", tags=["courts"]) for n in range(4)]
    assert articles[3] in readmore.pick(articles[0])
    with django_capture_on_commit_callbacks(execute=True):
        articles[3].unpublish()  # bumps the generation: the kept pages are forgotten
    assert articles[3] not in readmore.pick(articles[0])
    assert articles[3] not in readmore.pick(articles[1])


def test_read_more_draws_on_each_tags_newest_articles_only(newsroom, monkeypatch):
    monkeypatch.setattr(readmore, "CANDIDATES", 3)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    old = make_article(newsroom["culture"], "Old, both tags", tags=["courts", "energy"],
                       published=start)  # fmt: skip
    for n in range(3):
        make_article(newsroom["culture"], f"Courts {n}", tags=["courts"],
                     published=start + timedelta(days=n + 1))  # fmt: skip
        make_article(newsroom["culture"], f"Energy {n}", tags=["energy"],
                     published=start + timedelta(days=n + 1))  # fmt: skip
    current = make_article(newsroom["news"], "Current", tags=["courts", "energy"])
    titles = [page.title for page in readmore.pick(current)]
    assert old.title not in titles  # older than each tag's three newest
    assert titles[:2] == ["Energy 2", "Courts 2"]


def test_read_more_renders_on_the_article_page(client, newsroom):
    first = make_article(newsroom["news"], "First", tags=["energy"])
    make_article(newsroom["culture"], "Neighbour", tags=["energy"])
    html = client.get(first.url).content.decode()
    assert "Read more" in html and "Neighbour" in html


def test_home_page_lists_latest_articles_and_a_block_per_section(client, newsroom):
    make_article(newsroom["news"], "News story")
    make_article(newsroom["culture"], "Culture story")
    html = client.get("/").content.decode()
    assert "Latest" in html
    assert 'id="section-news"' in html and 'id="section-culture"' in html
    assert "News story" in html and "Culture story" in html


def test_section_page_is_paginated(client, newsroom):
    for n in range(14):
        make_article(
            newsroom["news"], f"Item {n:02}", published=datetime(2026, 9, n + 1, tzinfo=UTC)
        )
    first = client.get("/news/").content.decode()
    second = client.get("/news/?page=2").content.decode()
    assert "Item 13" in first and "Item 02" in first and "Item 01" not in first
    assert "Item 01" in second and "Item 00" in second and "Page 2 of 2" in second


@pytest.mark.parametrize("page", ["0", "-1", "999", "abc"])
def test_a_bad_page_number_shows_the_first_page_not_an_error(client, newsroom, page):
    make_article(newsroom["news"], "Only one")
    response = client.get(f"/news/?page={page}")
    assert response.status_code == 200
    assert "Only one" in response.content.decode()


def test_unpublished_articles_are_not_reachable(client, newsroom):
    draft = make_article(newsroom["news"], "Embargoed", live=False)
    assert client.get(f"/news/{draft.slug}/").status_code == 404
    assert "Embargoed" not in client.get("/").content.decode()


def test_article_has_canonical_link_and_opengraph_meta(client, article):
    html = client.get(article.url).content.decode()
    assert '<link rel="canonical" href="http://testserver/news/dam-inquiry-opens/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Dam inquiry opens">' in html
    assert 'property="og:image" content="http://testserver/media/' in html


def test_pages_run_no_inline_script_and_need_none_to_be_read(client, article):
    # Scripts only enhance (appeals): each is a same-origin file or a JSON data block, and
    # the article's text is in the HTML itself.
    import re

    html = client.get(article.url).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assert "First paragraph of Dam inquiry opens." in html
