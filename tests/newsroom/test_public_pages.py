"""Every public page type is the same for every reader, cacheable and tracker-free."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import feedparser
import pytest

from tests.factories import make_article

PUBLIC_PAGES = [
    "/",
    "/news/",
    "/news/?page=1",
    "ARTICLE",
    "/feed/",
    "/news/feed/",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.fixture
def public_urls(article):
    return [article.url if url == "ARTICLE" else url for url in PUBLIC_PAGES]


class _Resources(HTMLParser):
    """Every URL the browser would fetch by itself: scripts, styles, images, frames, fonts."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio", "embed"):
            self.urls += [attrs.get("src"), *(attrs.get("srcset") or "").split(",")]
        if tag == "link" and attrs.get("rel") in ("stylesheet", "preload", "icon", "modulepreload"):
            self.urls.append(attrs.get("href"))
        if tag == "object":
            self.urls.append(attrs.get("data"))
        self.urls = [url.strip().split(" ")[0] for url in self.urls if url and url.strip()]


def test_every_public_page_sends_a_strict_content_security_policy(client, public_urls):
    for url in public_urls:
        csp = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
        assert directives["default-src"] == "'self'", url
        assert directives["script-src"] == "'self'", url
        assert directives["style-src"] == "'self'", url
        assert directives["frame-ancestors"] == "'none'", url
        assert "unsafe-inline" not in csp and "http" not in csp, url


def test_no_public_page_sets_a_cookie(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert "Set-Cookie" not in response, url
        assert "Cookie" not in response.get("Vary", ""), url


def test_every_public_page_is_cacheable_by_anyone_with_a_validator(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert re.search(r"\bpublic\b", response["Cache-Control"]), url
        assert re.search(r"max-age=\d+", response["Cache-Control"]), url
        assert response.has_header("ETag") or response.has_header("Last-Modified"), url


def test_a_repeated_request_with_the_etag_gets_304(client, article):
    etag = client.get(article.url)["ETag"]
    assert client.get(article.url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_html_pages_load_nothing_from_another_origin(client, newsroom, article):
    for url in ["/", "/news/", article.url]:
        parser = _Resources()
        parser.feed(client.get(url).content.decode())
        assert parser.urls, url
        for resource in parser.urls:
            parts = urlsplit(resource)
            assert not parts.netloc and not parts.scheme, f"{url} loads {resource}"


def test_article_html_is_identical_for_every_reader(client, article):
    first = client.get(article.url, HTTP_USER_AGENT="Reader A", HTTP_ACCEPT_LANGUAGE="ru")
    client.cookies["returning"] = "1"
    second = client.get(article.url, HTTP_USER_AGENT="Reader B", HTTP_ACCEPT_LANGUAGE="de")
    assert first.content == second.content


def test_staff_pages_are_not_public(client, db):
    response = client.get("/admin/login/")
    assert "public" not in response.get("Cache-Control", "")


def test_sitemap_lists_every_live_page(client, newsroom, article):
    draft = make_article(newsroom["news"], "Embargoed", live=False)
    xml = client.get("/sitemap.xml").content.decode()
    assert f"<loc>http://testserver{article.url}</loc>" in xml
    assert "<loc>http://testserver/news/</loc>" in xml
    assert draft.slug not in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, db):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_site_feed_is_valid_full_text_atom(client, newsroom, article):
    make_article(newsroom["culture"], "Opera returns")
    feed = feedparser.parse(client.get("/feed/").content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "The Test Ledger"
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Opera returns", "Dam inquiry opens"]
    entry = feed.entries[1]
    assert entry.link == "http://testserver/news/dam-inquiry-opens/"
    assert entry.author == "Mira Kovac"
    assert {tag.term for tag in entry.tags} == {"courts", "energy"}
    assert "First paragraph of Dam inquiry opens." in entry.content[0].value
    assert "We will keep reporting." in entry.content[0].value


def test_section_feed_holds_only_that_section(client, newsroom, article):
    make_article(newsroom["culture"], "Opera returns")
    feed = feedparser.parse(client.get("/culture/feed/").content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Opera returns"]
    assert feed.feed.title == "Culture — The Test Ledger"


def test_feeds_leave_out_unpublished_articles(client, newsroom):
    make_article(newsroom["news"], "Embargoed", live=False)
    assert "Embargoed" not in client.get("/feed/").content.decode()
