"""readerfund.lib.prepared: a query compiled once gives what the ORM gives, in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from newsroom.models import ArticlePage, _child_query
from readerfund.lib.prepared import Prepared
from tests import factories


def by_orm(section, slug):
    low, high = Page._get_children_path_interval(section.path)
    found = ArticlePage.objects.select_related("lead_image")
    return list(found.filter(depth=section.depth + 1, slug=slug, path__range=(low, high)))


@pytest.fixture
def articles(newsroom, author):
    made = [
        factories.make_article(
            newsroom[section],
            f"Story {n}",
            authors=[author],
            image=factories.make_image(f"Picture {n}") if n % 2 else None,
        )
        for n, section in enumerate(["news", "culture", "news", "culture"])
    ]
    # The same slug in two sections: only the asked section's is found.
    made.append(factories.make_article(newsroom["culture"], "Story 0", authors=[author]))
    return made


def test_the_route_query_finds_what_the_orm_finds_with_its_image_loaded(newsroom, articles):
    query = _child_query(ArticlePage)
    for article in articles:
        section = article.get_parent()
        low, high = Page._get_children_path_interval(section.path)
        with CaptureQueriesContext(connection) as captured:
            (found,) = query(depth=section.depth + 1, slug=article.slug, low=low, high=high)
            image = found.lead_image  # loaded with it: no query of its own
        assert len(captured) == 1
        (expected,) = by_orm(section, article.slug)
        assert found.pk == expected.pk == article.pk
        assert type(found) is ArticlePage
        assert found._state.adding is False and found._state.db == "default"
        fields = [field.attname for field in ArticlePage._meta.concrete_fields]
        assert [getattr(found, name) for name in fields] == [
            getattr(expected, name) for name in fields
        ]
        assert image == expected.lead_image
        if image is not None:
            assert image.title == expected.lead_image.title


def test_the_sql_is_built_once_and_sent_again_with_each_calls_values(newsroom, articles):
    query = _child_query(ArticlePage)
    news = newsroom["news"]
    low, high = Page._get_children_path_interval(news.path)
    with CaptureQueriesContext(connection) as captured:
        for slug in ["story-0", "story-2", "no-such-story"]:
            query(depth=news.depth + 1, slug=slug, low=low, high=high)
    assert len({entry["sql"].split(" WHERE ")[0] for entry in captured}) == 1
    assert "no-such-story" in captured[-1]["sql"]
    missing = query(depth=news.depth + 1, slug="no-such-story", low=low, high=high)
    assert missing == []


def test_a_value_is_given_as_is_and_never_spliced_into_the_sql(newsroom, articles):
    query = Prepared(lambda slug: Page.objects.filter(slug=slug), slug=str)
    assert query(slug="x' OR '1'='1") == []
    assert [page.pk for page in query(slug="story-1")] == [articles[1].pk]


def test_a_placeholder_the_query_does_not_hold_exactly_once_is_refused(db):
    twice = Prepared(
        lambda slug: Page.objects.filter(slug=slug) | Page.objects.filter(title=slug), slug=str
    )
    with pytest.raises(ValueError, match="slug is 2 of the query's values"):
        twice(slug="a")
    unused = Prepared(lambda slug: Page.objects.filter(depth=1), slug=str)
    with pytest.raises(ValueError, match="slug is 0 of the query's values"):
        unused(slug="a")
