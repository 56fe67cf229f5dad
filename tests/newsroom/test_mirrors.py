"""Mirrors (READERFUND_MIRRORS): every public page answers on each mirror host, links to that
host, names the main site as canonical, and is kept once per host."""

import json
import re
from urllib.parse import urlsplit

import pytest

from readerfund.lib.pagecache import PageCacheApp
from tests.wsgi import CountingApp, request

MIRROR = "mirror.example.net"
MAIN = "testserver"
PUBLIC = ["/", "/news/", "/news/?page=1", "ARTICLE", "/feed/", "/news/feed/", "/sitemap.xml"]
PUBLIC += ["/robots.txt", "/support/", "/support/?amount=25&frequency=monthly"]
# XML namespaces are names, not links.
NAMESPACES = ("www.w3.org", "www.sitemaps.org")


@pytest.fixture
def mirrored(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, MIRROR]
    settings.MIRRORS = [f"https://{MIRROR}"]


@pytest.fixture
def public_urls(article):
    return [article.url if url == "ARTICLE" else url for url in PUBLIC]


def absolute_hosts(text: str, without_canonical: bool = True) -> set[str]:
    if without_canonical:
        # hreflang alternates name the editions' canonical pages, on the main site too.
        text = re.sub(
            r'<link rel="canonical"[^>]*>|<meta property="og:url"[^>]*>'
            r'|<link rel="alternate" hreflang=[^>]*>',
            "",
            text,
        )
        # The support page lists the site's other addresses on purpose.
        text = re.sub(r'<ul class="small-print other-addresses">.*?</ul>', "", text, flags=re.S)
    hosts = {urlsplit(url).hostname for url in re.findall(r"https?://[^\s\"'<>]+", text)}
    return hosts - set(NAMESPACES)


def test_every_public_page_on_a_mirror_links_only_to_the_mirror(client, mirrored, public_urls):
    for url in public_urls:
        response = client.get(url, HTTP_HOST=MIRROR)
        assert response.status_code == 200, url
        assert absolute_hosts(response.content.decode()) <= {MIRROR}, url


def test_links_between_pages_are_relative_so_they_stay_on_any_host(client, mirrored, article):
    html = client.get(article.url, HTTP_HOST=MIRROR).content.decode()
    hrefs = re.findall(r'<a [^>]*href="([^"]+)"', html)
    assert "/news/" in hrefs
    assert all(href.startswith(("/", "?", "#")) for href in hrefs), hrefs


def test_a_page_on_a_mirror_names_the_main_site_as_canonical(client, mirrored, article):
    html = client.get(article.url, HTTP_HOST=MIRROR).content.decode()
    (canonical,) = re.findall(r'<link rel="canonical" href="([^"]+)"', html)
    assert canonical == f"http://{MAIN}{article.url}"


def test_feeds_and_the_sitemap_fetched_on_a_mirror_point_to_the_mirror(client, mirrored, article):
    import feedparser

    feed = feedparser.parse(client.get("/feed/", HTTP_HOST=MIRROR).content)
    assert feed.entries[0].link == f"http://{MIRROR}{article.url}"
    sitemap = client.get("/sitemap.xml", HTTP_HOST=MIRROR).content.decode()
    assert f"<loc>http://{MIRROR}{article.url}</loc>" in sitemap
    assert f"<loc>http://{MAIN}" not in sitemap


def test_a_host_that_is_neither_the_site_nor_a_mirror_is_refused(client, mirrored, article):
    assert client.get(article.url, HTTP_HOST="evil.example.com").status_code == 400


def test_the_page_cache_keeps_one_copy_per_host(transactional_db, mirrored, newsroom, article):
    django_app = CountingApp()
    app = PageCacheApp(django_app)
    main = request(app, article.url)
    on_mirror = request(app, article.url, environ={"HTTP_HOST": MIRROR})
    assert main[0] == on_mirror[0] == 200
    assert f"http://{MIRROR}/".encode() in on_mirror[2]
    assert f"http://{MIRROR}/".encode() not in main[2]
    request(app, article.url)
    request(app, article.url, environ={"HTTP_HOST": MIRROR})
    assert django_app.calls == 2


def test_a_reader_on_a_mirror_can_start_a_checkout(client, mirrored, stripe_settings, db):
    body = {"frequency": "once", "amount": 2500, "currency": "USD", "email": "r@example.org"}
    response = client.post(
        "/api/checkout",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_HOST=MIRROR,
        HTTP_ORIGIN=f"https://{MIRROR}",
    )
    assert response.status_code == 201, response.content
    checkout = client.get("/support/checkout/?amount=25&frequency=once", HTTP_HOST=MIRROR)
    assert checkout.status_code == 200
    assert "default-src 'self'" in checkout["Content-Security-Policy"]


def test_the_support_page_lists_the_other_addresses_of_the_site(client, mirrored, settings, db):
    settings.ONION_URL = "http://" + "d" * 56 + ".onion"
    on_mirror = client.get("/support/", HTTP_HOST=MIRROR).content.decode()
    assert 'href="http://testserver/support/"' in on_mirror
    assert f'href="{settings.ONION_URL}/support/"' in on_mirror
    assert f'href="https://{MIRROR}/support/"' not in on_mirror
    on_main = client.get("/support/").content.decode()
    listed = re.search(r'<ul class="small-print other-addresses">.*?</ul>', on_main, re.S)[0]
    assert 'href="http://testserver/support/"' not in listed  # not itself
    assert f'href="https://{MIRROR}/support/"' in on_main
