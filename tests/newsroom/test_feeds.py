"""Feeds anyone can mirror: JSON Feed 1.1 beside Atom, links on the host the feed was fetched
from, and valid XML and JSON whatever text an article holds."""

import json
import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.rich_text import RichText

from newsroom.feeds import xml_safe
from newsroom.models import ArticlePage
from tests.factories import make_article

MIRROR = "mirror.example.net"
ATOM = "{http://www.w3.org/2005/Atom}"


def json_feed(client, url="/feed.json", **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    assert "public" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_json_feed_carries_every_article_in_full(client, newsroom, article):
    feed = json_feed(client)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["home_page_url"] == "http://testserver/"
    assert feed["feed_url"] == "http://testserver/feed.json"
    (item,) = feed["items"]
    assert item["url"] == item["id"] == f"http://testserver{article.url}"
    assert item["title"] == "Dam inquiry opens"
    assert "First paragraph of Dam inquiry opens." in item["content_html"]
    assert item["tags"] == ["courts", "energy"] and item["authors"][0]["name"]
    assert item["date_published"].startswith("2026-11-01T09:00:00")


def test_a_sections_json_feed_has_only_its_articles(client, newsroom, article):
    make_article(newsroom["culture"], "A review")
    assert [i["title"] for i in json_feed(client, "/culture/feed.json")["items"]] == ["A review"]
    assert len(json_feed(client)["items"]) == 2
    assert client.get("/nowhere/feed.json").status_code == 404


def test_both_feeds_fetched_on_a_mirror_link_to_the_mirror(client, settings, newsroom, article):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, MIRROR]
    (item,) = json_feed(client, HTTP_HOST=MIRROR)["items"]
    assert item["url"] == f"http://{MIRROR}{article.url}"
    assert f'src="http://{MIRROR}/media/' in item["content_html"]
    atom = client.get("/news/feed/", HTTP_HOST=MIRROR).content.decode()
    assert f'href="http://{MIRROR}{article.url}"' in atom
    assert "testserver" not in atom


def test_pages_name_both_feeds(client, newsroom, article):
    html = client.get("/news/").content.decode()
    assert 'type="application/feed+json" title="The Test Ledger" href="/feed.json"' in html
    assert 'href="/news/feed.json"' in html and 'href="/news/feed/"' in html


# Any character an article can hold: every code point but surrogates (no UTF-8 for them) and
# NUL (refused by PostgreSQL, and by Django's forms).
ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=ANY_TEXT, standfirst=ANY_TEXT, paragraph=ANY_TEXT)
def test_feeds_stay_valid_xml_and_json_whatever_an_article_holds(
    client, article, title, standfirst, paragraph
):
    article.title, article.standfirst = title, standfirst
    article.body = [("paragraph", RichText(f"<p>{paragraph}</p>"))]
    article.save(clean=False, update_fields=["title", "standfirst", "body"])
    ArticlePage.objects.filter(pk=article.pk).update(title=title)

    atom = client.get("/feed/")
    assert atom.status_code == 200
    entry = ElementTree.fromstring(atom.content).find(f"{ATOM}entry")
    # An XML parser reads a carriage return as a line feed.
    expected = xml_safe(title).replace("\r\n", "\n").replace("\r", "\n")
    assert (entry.find(f"{ATOM}title").text or "") == expected
    (item,) = json_feed(client)["items"]
    assert item["title"] == title and item["summary"] == standfirst
