"""`readerfund export-static`: the public site as files, served here by a real nginx under a
path prefix and crawled link by link."""

import json
import re
import urllib.error
import urllib.request
import xml.dom.minidom
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command

from readerfund.export import export_site, file_for, lite
from tests.factories import make_article, make_image
from tests.nginx import nginx_available, serve_directory
from tests.wsgi import connections_kept

needs_nginx = pytest.mark.skipif(
    not nginx_available(), reason="nginx is missing (make test installs nginx-light)"
)


class Links(HTMLParser):
    """What a browser would fetch by itself (`loads`) and what a reader may follow (`links`)."""

    def __init__(self):
        super().__init__()
        self.loads, self.links = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "srcset", "data-config"):
            for item in (attrs.get(name) or "").split(","):
                if item.strip():
                    self.loads.append(item.strip().split(" ")[0])
        rel = attrs.get("rel") or ""
        if tag == "link" and rel in ("stylesheet", "icon", "preload"):
            self.loads.append(attrs["href"])
        elif tag == "link" and (rel == "canonical" or attrs.get("hreflang")):
            pass  # the live page's address (as the canonical link): named, not fetched
        elif tag in ("a", "link") and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form" and attrs.get("action"):
            self.links.append(attrs["action"])


@pytest.fixture
def site(newsroom, author):
    """A newsroom with images, two pages of News (the copy's first page holds one to two
    pages' worth), and an article in Culture."""
    image = make_image()
    articles = [
        make_article(newsroom["news"], f"Story {n:02}", image=image, tags=["courts"])
        for n in range(24)
    ]
    articles.append(make_article(newsroom["culture"], "A review", authors=[author]))
    return {**newsroom, "articles": articles}


@pytest.fixture
def russian(site):
    """The Russian edition: its home page, its News (the translation of News) with two
    articles, one the translation of a News article."""
    from tests.factories import make_edition, make_section

    ru = make_edition(site["home"])
    news = make_section(ru, "Новости", slug="news", translation_of=site["news"])
    articles = [make_article(news, "Только по-русски", slug="only-in-russian")]
    original = site["articles"][0]
    articles.append(make_article(news, "История 00", slug=original.slug, translation_of=original))
    return {"home": ru, "news": news, "articles": articles}


@pytest.fixture
def kept_connections():
    """Rendering through the WSGI handler by hand, as the exporter does: its request signals
    would close the test's connection, which on PostgreSQL ends the test's transaction."""
    with connections_kept():
        yield


def export(tmp_path, since=None):
    with connections_kept():
        return export_site(tmp_path / "copy", since)


def feed_links(url: str, body: bytes) -> list[str]:
    """The links in a feed, the sitemap or the appeals config (not the ids: they name an
    article, they are not fetched), and in the HTML a feed carries."""
    if url.endswith("config.json"):
        config = json.loads(body)
        variants = [v for appeal in config["appeals"] for v in appeal["variants"]]
        return [config["reminders"], *(v["url"] for v in variants)]
    if url.endswith(".json"):
        feed = json.loads(body)
        links = [feed["home_page_url"], feed["feed_url"]]
        for item in feed["items"]:
            links += [item["url"], *html_links(item["content_html"])]
        return links
    document = xml.dom.minidom.parseString(body)
    links = [node.getAttribute("href") for node in document.getElementsByTagName("link")]
    links += [node.firstChild.data for node in document.getElementsByTagName("loc")]
    for content in document.getElementsByTagName("content"):
        links += html_links(content.firstChild.data)
    return links


def html_links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.loads + parser.links


def crawl(base: str, start=("index.html", "sitemap.xml")) -> dict[str, bytes]:
    """Every URL reachable from the copy's home page and its sitemap: {url: body}. Fails on
    a broken link, on anything loaded from another origin, and on a link out of the copy,
    in pages, feeds, the sitemap and the appeals config alike."""
    seen, queue = {}, [base + name for name in start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                seen[url] = body = response.read()
        except urllib.error.HTTPError as error:
            pytest.fail(f"broken link: {url} answered {error.code}", pytrace=False)
        if url.endswith((".xml", ".json")) and not url.endswith("funding.json"):
            for link in feed_links(url, body):
                target = urldefrag(urljoin(url, link))[0]
                assert target.startswith(base), f"{url} links out of the copy: {link}"
                queue.append(target)
        if not url.endswith(".html"):
            continue
        parser = Links()
        parser.feed(body.decode())
        for load in parser.loads:
            target = urljoin(url, load)
            assert target.startswith(base), f"{url} loads {load} from elsewhere"
            queue.append(target)
        for link in parser.links:
            target = urldefrag(urljoin(url, link))[0]
            if url.endswith("support/index.html") and not target.startswith(base):
                continue  # the live addresses, listed on purpose
            assert target.startswith(base), f"{url} links out of the copy: {link}"
            queue.append(target)
    return seen


@needs_nginx
def test_the_copy_served_by_nginx_under_a_prefix_has_every_page_and_no_broken_link(
    tmp_path, site, russian, settings
):
    settings.MIRRORS = ["https://mirror.example.net"]
    export(tmp_path)
    with serve_directory(tmp_path / "copy", prefix="/copy/") as base:
        pages = crawl(base, start=("index.html", "sitemap.xml", "ru/sitemap.xml"))
    paths = {urlsplit(url).path.removeprefix("/copy/") for url in pages}
    for article in site["articles"]:
        assert file_for(article.url) in paths, article.url
        assert "lite/" + file_for(article.url) in paths, article.url
    for article in russian["articles"]:  # the Russian edition's, under ru/
        assert file_for(article.url) in paths, article.url
        assert file_for(lite(article.url)) in paths, article.url
    assert {"ru/index.html", "ru/news/index.html", "ru/lite/index.html"} <= paths
    assert {"ru/feed.xml", "ru/news/feed.xml", "ru/feed.json", "ru/sitemap.xml"} <= paths
    assert "ru/appeals/config.json" in paths
    assert {"news/index.html", "news/page-2.html", "culture/index.html"} <= paths
    assert {"lite/index.html", "feed.xml", "news/feed.xml", "feed.json", "news/feed.json"} <= paths
    assert {"sitemap.xml", "appeals/config.json", "static/appeals/appeals.js"} <= paths
    assert any(p.startswith("media/images/") for p in paths)
    assert any(p.startswith("static/newsroom/site") and p.endswith(".css") for p in paths)
    support = pages[base + "support/index.html"].decode()
    assert "http://testserver/support/" in support
    assert "https://mirror.example.net/support/" in support
    html = [body.decode() for url, body in pages.items() if url.endswith(".html")]
    scripts = {tag for page in html for tag in re.findall(r"<script\b[^>]*>", page)}
    appeals = [tag for tag in scripts if "appeals.js" in tag]
    assert appeals and all('data-config="' in tag for tag in appeals)
    assert not any("data-events" in tag or "data-country" in tag for tag in scripts)
    assert all(" src=" in tag or 'type="application/json"' in tag for tag in scripts)


def test_the_copy_has_the_data_files_and_valid_feeds(tmp_path, site):
    export(tmp_path)
    copy = tmp_path / "copy"
    for name in ("appeals/config.json", "funding.json", "sitemap.xml", "robots.txt"):
        assert (copy / name).is_file(), name
    for feed in ("feed.xml", "news/feed.xml", "culture/feed.xml"):
        xml.dom.minidom.parse(str(copy / feed))


def test_a_second_export_renders_only_what_was_published_since(tmp_path, site):
    first = export(tmp_path)
    untouched = site["articles"][0]
    fresh = make_article(site["culture"], "Fresh review")
    second = export(tmp_path)
    assert fresh.url in second.urls and untouched.url not in second.urls
    assert len(second.urls) < len(first.urls) / 2
    culture = (tmp_path / "copy" / "culture" / "index.html").read_text()
    assert "Fresh review" in culture
    assert (tmp_path / "copy" / file_for(fresh.url)).is_file()


def test_a_publish_renders_again_the_first_page_of_its_list_not_the_older_ones(tmp_path, site):
    export(tmp_path)
    older = (tmp_path / "copy" / "news" / "page-2.html").read_bytes()
    fresh = make_article(site["news"], "Breaking")
    report = export(tmp_path)
    assert {"/news/", "/lite/news/", fresh.url} <= set(report.urls)
    assert "/news/?page=2" not in report.urls
    assert "Breaking" in (tmp_path / "copy" / "news" / "index.html").read_text()
    assert (tmp_path / "copy" / "news" / "page-2.html").read_bytes() == older


def test_the_copys_older_pages_keep_their_articles_and_link_to_each_other(tmp_path, site):
    for n in range(12):  # 37 in News: the first page and two blocks of twelve
        make_article(site["news"], f"Later {n:02}")
    export(tmp_path)
    copy = tmp_path / "copy" / "news"
    oldest, newer = (copy / "page-2.html").read_text(), (copy / "page-3.html").read_text()
    assert "Story 00" in oldest and "Story 11" in oldest and "Story 12" not in oldest
    assert "Story 12" in newer and 'href="page-2.html"' in newer and 'href="index.html"' in newer
    assert 'href="page-3.html"' in (copy / "index.html").read_text()
    assert 'href="page-3.html"' in oldest and "Page 1 of" not in oldest


def test_an_unpublished_article_leaves_the_copy(tmp_path, site):
    export(tmp_path)
    gone = site["articles"][-1]
    gone.unpublish()
    report = export(tmp_path)
    assert not (tmp_path / "copy" / file_for(gone.url_path.removeprefix("/home"))).exists()
    assert report.removed >= 2  # the page and its lite version
    assert "A review" not in (tmp_path / "copy" / "culture" / "index.html").read_text()


def test_the_command_takes_since_and_says_what_it_did(tmp_path, site, capsys):
    with connections_kept():
        call_command("export-static", str(tmp_path / "copy"), "--since", "2026-11-02")
    out = capsys.readouterr().out
    assert re.search(r"\d+ pages rendered, \d+ files written", out)
    # Published on 1 November: not rendered again, but missing from the copy, so written.
    assert (tmp_path / "copy" / file_for(site["articles"][0].url)).is_file()


def test_all_renders_every_page_again(tmp_path, site):
    first = export(tmp_path)
    with connections_kept():
        again = export_site(tmp_path / "copy", everything=True)
    assert sorted(again.urls) == sorted(first.urls)
    assert again.written == 0  # nothing changed: no file was rewritten


def test_a_publish_refreshes_the_copy_when_a_directory_is_set(
    tmp_path, site, settings, django_capture_on_commit_callbacks
):
    settings.STATIC_EXPORT_DIR = str(tmp_path / "auto")
    with connections_kept(), django_capture_on_commit_callbacks(execute=True):
        fresh = make_article(site["news"], "Breaking")
    assert (tmp_path / "auto" / file_for(fresh.url)).is_file()
    assert "Breaking" in (tmp_path / "auto" / "news" / "index.html").read_text()


def test_a_publish_renders_again_only_the_section_it_is_in(tmp_path, site):
    export(tmp_path)
    make_article(site["culture"], "Fresh review")
    report = export(tmp_path)
    assert "/culture/" in report.urls and "/lite/culture/" in report.urls
    assert "/news/" not in report.urls and "/news/?page=2" not in report.urls
    assert "/lite/news/" not in report.urls


def test_articles_read_ahead_render_the_same_bytes_with_fewer_queries(
    tmp_path, site, kept_connections
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from readerfund.export import Exporter, _read_ahead

    urls = [a.url for a in site["articles"][:3]] + ["/lite" + a.url for a in site["articles"][:3]]
    exporter = Exporter(tmp_path)
    exporter.render(urls[0])  # kept fragments (menu, letter) for both runs
    with CaptureQueriesContext(connection) as routed:
        plain = [exporter.render(url) for url in urls]
    exporter.read_ahead = _read_ahead(urls)
    assert len(exporter.read_ahead) == 3
    with CaptureQueriesContext(connection) as read_ahead:
        ahead = [exporter.render(url) for url in urls]
    assert ahead == plain
    assert len(read_ahead) <= len(routed) - len(urls)


def test_the_copy_carries_the_russian_edition_in_russian_and_its_switch_links_within(
    tmp_path, site, russian
):
    export(tmp_path)
    copy = tmp_path / "copy"
    home, only = (copy / "ru" / "index.html").read_text(), russian["articles"][0]
    assert file_for(only.url) == "ru/news/only-in-russian/index.html"
    article = (copy / file_for(only.url)).read_text()
    assert "Только по-русски" in article and 'lang="ru"' in article
    assert "Тестовый вестник" in home and 'lang="ru"' in home
    assert "Только по-русски" in (copy / "ru" / "news" / "index.html").read_text()
    assert "Только по-русски" in (copy / "ru" / "lite" / "news" / "index.html").read_text()
    assert "Только по-русски" in (copy / "ru" / "feed.xml").read_text()
    assert "Только по-русски" not in (copy / "news" / "index.html").read_text()
    # The switch: from a translated article to its translation, else to the other home page.
    switch = re.compile(r'<nav class="editions".*?href="([^"]*)"', re.S)
    original, translation = site["articles"][0], russian["articles"][1]
    here = copy / file_for(original.url)
    link = switch.search(here.read_text())[1]
    assert (here.parent / link).resolve() == (copy / file_for(translation.url)).resolve()
    there = copy / file_for(translation.url)
    link = switch.search(there.read_text())[1]
    assert (there.parent / link).resolve() == here.resolve()
    link = switch.search(article)[1]  # no translation: the default edition's home page
    assert (copy / file_for(only.url)).parent.joinpath(link).resolve() == copy / "index.html"
    assert link == "../../../index.html"
    # The sitemap and the feed link within the copy, relative to them.
    assert "news/only-in-russian/index.html" in (copy / "ru" / "sitemap.xml").read_text()
    # What only the server does: the edition's own support page in the copy, in Russian.
    assert 'href="../../support/index.html"' in article
    support = (copy / "ru" / "support" / "index.html").read_text()
    assert 'lang="ru"' in support and "http://testserver/ru/support/" in support
    assert 'lang="en"' in (copy / "support" / "index.html").read_text()


def test_a_publish_in_the_russian_edition_renders_again_its_first_page_only(
    tmp_path, site, russian
):
    export(tmp_path)
    fresh = make_article(russian["news"], "Свежая новость", slug="fresh")
    report = export(tmp_path)
    assert {fresh.url, lite(fresh.url), "/ru/news/", "/ru/lite/news/", "/ru/"} <= set(report.urls)
    assert "/news/" not in report.urls and site["articles"][1].url not in report.urls
    assert "Свежая новость" in (tmp_path / "copy" / "ru" / "news" / "index.html").read_text()
    fresh.unpublish()
    export(tmp_path)
    assert not (tmp_path / "copy" / file_for(fresh.url)).exists()


def test_a_publish_renders_again_the_home_feeds_and_sitemap_of_its_edition_only(
    tmp_path, site, russian
):
    export(tmp_path)
    fresh = make_article(site["culture"], "Fresh review")
    report = export(tmp_path)
    assert {"/", "/lite/", "/feed/", "/sitemap.xml", "/culture/feed/", fresh.url} <= set(
        report.urls
    )
    assert "/news/feed/" not in report.urls  # another section's
    # The Russian edition lists no English article: only its appeals config is asked again.
    assert {url for url in report.urls if url.startswith("/ru/")} == {"/ru/appeals/config.json"}
    copy = tmp_path / "copy"
    assert "Fresh review" in (copy / "feed.xml").read_text()
    # What the copy kept is what a whole export writes.
    with connections_kept():
        export_site(tmp_path / "whole")
    for name in ("ru/index.html", "ru/lite/index.html", "ru/feed.xml", "ru/feed.json"):
        assert (copy / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    for name in ("ru/sitemap.xml", "ru/news/feed.xml", "news/feed.xml", "news/feed.json"):
        assert (copy / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    # An article leaving the Russian edition renders its home again, not the English one.
    russian["articles"][0].unpublish()
    report = export(tmp_path)
    assert {"/ru/", "/ru/feed/", "/ru/sitemap.xml", "/ru/news/feed/"} <= set(report.urls)
    assert "/" not in report.urls and "/feed/" not in report.urls
    assert "Только по-русски" not in (copy / "ru" / "index.html").read_text()
    assert "Только по-русски" not in (copy / "ru" / "feed.xml").read_text()


def test_an_article_published_again_is_in_the_copys_feeds_as_it_is_now(tmp_path, site):
    """The export renders an article's feed entry once per publish (newsroom/feeds.py): a
    second publish, in the same process, is rendered anew."""
    article = site["articles"][-1]  # the newest: in the feeds
    export(tmp_path)
    assert "First paragraph of" in (tmp_path / "copy" / "feed.xml").read_text()
    article.body = [("paragraph", "<p>Corrected since.</p>")]
    article.save_revision().publish()
    report = export(tmp_path)
    assert "/feed/" in report.urls and "/culture/feed.json" in report.urls
    for name in ("feed.xml", "feed.json", "culture/feed.xml", "culture/feed.json"):
        text = (tmp_path / "copy" / name).read_text()
        assert "Corrected since." in text, name


def test_the_russian_editions_articles_are_read_ahead_too(
    tmp_path, site, russian, kept_connections
):
    from readerfund.export import Exporter, _read_ahead

    urls = [a.url for a in russian["articles"]] + [lite(a.url) for a in russian["articles"]]
    exporter = Exporter(tmp_path)
    plain = [exporter.render(url) for url in urls]
    exporter.read_ahead = _read_ahead(urls)
    assert {page.pk for page in exporter.read_ahead.values()} == {a.pk for a in russian["articles"]}
    assert [exporter.render(url) for url in urls] == plain
