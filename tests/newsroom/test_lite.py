"""Lite pages (/lite/…): text versions of the home page, sections and articles for slow or
filtered networks — no images, no scripts, at most 15 KB an article."""

import base64
import hashlib
import re

import pytest

from newsroom.models import ArticlePage
from tests.factories import make_article, make_image

LIMIT = 15 * 1024


def lite(url: str) -> str:
    """The lite version of a page's URL, in its edition (/ru/news/x/: /ru/lite/news/x/)."""
    from readerfund.lib import editions

    return editions.prefix(editions.language_of_path(url)) + "/lite" + editions.unprefixed(url)


def test_an_article_has_a_lite_version_with_its_words_and_no_images_or_scripts(client, article):
    response = client.get(lite(article.url))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dam inquiry opens" in html and "First paragraph of Dam inquiry opens." in html
    assert "We will keep reporting." in html and "What happened next" in html
    for outside in ("<img", "<script", "<picture", '<link rel="stylesheet', "<iframe"):
        assert outside not in html
    assert len(response.content) <= LIMIT


def test_an_image_in_the_body_leaves_only_its_caption(client, newsroom):
    image = make_image()
    body = [
        ("paragraph", "<p>Before.</p>"),
        ("image", {"image": image, "caption": "The dam at dawn", "credit": "Ledger"}),
        ("paragraph", f'<p>After.<embed embedtype="image" id="{image.pk}" format="left"/></p>'),
    ]
    article = make_article(newsroom["news"], "Pictures", body=body, image=image)
    html = client.get(lite(article.url)).content.decode()
    assert "[Image: The dam at dawn]" in html
    assert "Before." in html and "After." in html and "<img" not in html


def test_the_inline_css_is_allowed_by_its_hash_and_nothing_else_inline(client, article):
    response = client.get(lite(article.url))
    css = re.search(r"<style>(.*?)</style>", response.content.decode(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    policy = dict(p.strip().split(" ", 1) for p in response["Content-Security-Policy"].split(";"))
    assert policy["style-src"] == f"'self' 'sha256-{digest}'"
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_a_lite_article_carries_the_letter_and_a_plain_link_to_give(client, article, db):
    from appeals.demo import load as load_appeals

    load_appeals()
    html = client.get(lite(article.url)).content.decode()
    assert re.search(r'<a href="/support/\?appeal=[^"]+">', html)
    assert 'href="/reminders/new/?appeal=' in html
    assert "<form" not in html


def test_lite_pages_link_to_each_other_and_to_the_full_version(client, newsroom, article):
    home = client.get("/lite/").content.decode()
    assert f'href="{lite(article.url)}"' in home and 'href="/lite/news/"' in home
    section = client.get("/lite/news/").content.decode()
    assert f'href="{lite(article.url)}"' in section
    page = client.get(lite(article.url)).content.decode()
    assert f'<a href="{article.url}">Full version</a>' in page
    assert f'<link rel="canonical" href="http://testserver{article.url}">' in page


def test_every_full_page_links_to_its_lite_version(client, newsroom, article):
    for url in ["/", "/news/", article.url]:
        html = client.get(url).content.decode()
        assert f'href="{lite(url)}"' in html, url


def test_lite_pages_are_public_like_the_full_ones(client, article):
    response = client.get(lite(article.url))
    assert "public" in response["Cache-Control"] and not response.cookies


def test_a_lite_section_is_paginated(client, newsroom):
    for n in range(31):
        make_article(newsroom["culture"], f"Review {n:02}")
    first = client.get("/lite/culture/").content.decode()
    assert first.count("<li>") == 30 and 'href="?page=2"' in first
    assert client.get("/lite/culture/?page=2").content.decode().count("<li>") == 1


@pytest.mark.parametrize("path", ["/lite/nowhere/", "/lite/news/nothing-here/", "/lite/news/x/y/"])
def test_a_lite_page_that_does_not_exist_is_404(client, newsroom, path):
    assert client.get(path).status_code == 404


def test_an_unpublished_article_has_no_lite_version(client, newsroom):
    draft = make_article(newsroom["news"], "Draft", live=False)
    assert client.get(lite(draft.url_path.removeprefix("/home"))).status_code == 404


def test_every_demo_article_fits_in_15_kb_as_a_lite_page(client, db):
    from newsroom import demo

    demo.load()
    articles = list(ArticlePage.objects.live())
    assert len(articles) >= 28
    assert any(a.url.startswith("/ru/") for a in articles)  # both editions
    sizes = {a.url: len(client.get(lite(a.url)).content) for a in articles}
    assert max(sizes.values()) <= LIMIT, sorted(sizes.items(), key=lambda s: -s[1])[:3]


def test_publishing_an_edit_refreshes_the_kept_lite_pages(transactional_db, newsroom, article):
    from readerfund.lib.pagecache import PageCacheApp
    from tests.wsgi import CountingApp, request

    app = PageCacheApp(CountingApp())
    for url in (lite(article.url), "/lite/", "/lite/news/"):
        assert request(app, url)[0] == 200
    article.title = "Dam inquiry opens: day two"
    article.save_revision().publish()
    for url in (lite(article.url), "/lite/", "/lite/news/"):
        assert b"Dam inquiry opens: day two" in request(app, url)[2], url
