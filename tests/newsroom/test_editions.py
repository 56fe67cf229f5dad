"""Two editions from one install: the English one at the root, the Russian one under /ru/,
each with its own pages, menu, feeds, sitemap, appeals and Read more; hreflang alternates and
a language switch between an article and its translation; the language from the path only."""

import json
import re

import pytest

from appeals.models import Appeal, AppealVariant
from tests.factories import make_article, make_edition, make_section

SLUG = "dam-inquiry-opens"


@pytest.fixture
def editions(newsroom, article):
    """The newsroom's Russian edition: its news section, the article's translation, and a
    Russian article of its own; the English culture section has no translation."""
    ru = make_edition(newsroom["home"])
    news = make_section(ru, "Новости", slug="news", translation_of=newsroom["news"])
    translation = make_article(
        news, "Расследование о плотине", tags=["courts"], slug=SLUG, translation_of=article
    )
    own = make_article(news, "Только по-русски", tags=["courts"], slug="only-in-russian")
    english_only = make_article(newsroom["culture"], "A review", tags=["courts"])
    return {
        "ru": ru,
        "news": news,
        "translation": translation,
        "own": own,
        "english_only": english_only,
    }


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response, response.content.decode()


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def switch(html: str) -> list[tuple[str, str, str]]:
    nav = re.search(r'<nav class="editions".*?</nav>', html, re.S)
    if nav is None:
        return []
    return re.findall(r'<a href="([^"]+)" hreflang="([^"]+)" lang="[^"]+">([^<]+)</a>', nav[0])


def test_the_russian_edition_is_served_under_ru_in_russian(client, editions):
    response, html = page(client, "/ru/")
    assert '<html lang="ru">' in html and response["Content-Language"] == "ru"
    assert "Тестовый вестник" in html and "Только по-русски" in html
    assert "Новости" in html and "Culture" not in html and "A review" not in html
    response, html = page(client, "/")
    assert '<html lang="en">' in html and response["Content-Language"] == "en"
    assert "The Test Ledger" in html and "Только по-русски" not in html


def test_each_edition_keeps_its_own_menu_and_words_in_one_process(client, editions):
    for _ in range(2):  # the second round is served from kept fragments
        _, english = page(client, "/news/")
        _, russian = page(client, "/ru/news/")
        assert ">Culture<" in english and "Новости" not in english
        assert "Новости" in russian and ">Culture<" not in russian
        assert "Skip to content" in english and "Skip to content" not in russian


def test_an_article_and_its_translation_name_each_other_with_hreflang_and_x_default(
    client, editions, article
):
    english_url = f"http://testserver{article.url}"
    russian_url = f"http://testserver/ru/news/{editions['translation'].slug}/"
    for url in (article.url, f"/ru/news/{editions['translation'].slug}/"):
        _, html = page(client, url)
        assert alternates(html) == {"en": english_url, "ru": russian_url, "x-default": english_url}
    _, html = page(client, article.url)
    assert switch(html) == [(russian_url.removeprefix("http://testserver"), "ru", "Русский")]
    _, html = page(client, russian_url.removeprefix("http://testserver"))
    assert switch(html) == [(article.url, "en", "English")]


def test_without_a_translation_the_switch_goes_to_the_other_editions_home(client, editions):
    _, html = page(client, editions["english_only"].url)
    assert alternates(html) == {}
    assert switch(html) == [("/ru/", "ru", "Русский")]
    _, html = page(client, "/ru/news/only-in-russian/")
    assert alternates(html) == {}
    assert switch(html) == [("/", "en", "English")]


def test_the_language_comes_from_the_path_never_from_the_reader(client, editions):
    response, html = page(client, "/", HTTP_ACCEPT_LANGUAGE="ru", HTTP_COOKIE="django_language=ru")
    assert '<html lang="en">' in html and "Accept-Language" not in response.get("Vary", "")
    response, html = page(client, "/ru/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="ru">' in html


def test_an_edition_without_a_home_page_answers_404_not_the_other_editions_pages(
    client, newsroom, article
):
    assert client.get("/ru/").status_code == 404
    assert client.get(f"/ru{article.url}").status_code == 404
    assert client.get(article.url).status_code == 200


def test_english_pages_are_not_reachable_under_the_russian_prefix(client, editions):
    assert client.get("/ru/culture/").status_code == 404
    assert client.get(f"/ru/culture/{editions['english_only'].slug}/").status_code == 404


def test_each_edition_has_its_own_feeds(client, editions, article):
    _, atom = page(client, "/ru/feed/")
    assert "Только по-русски" in atom and "Расследование о плотине" in atom
    assert "Dam inquiry opens" not in atom and "A review" not in atom
    _, atom = page(client, "/feed/")
    assert "Dam inquiry opens" in atom and "Только" not in atom and "плотине" not in atom
    feed = json.loads(page(client, "/ru/feed.json")[1])
    assert feed["home_page_url"] == "http://testserver/ru/"
    assert {item["url"] for item in feed["items"]} == {
        "http://testserver/ru/news/only-in-russian/",
        f"http://testserver/ru/news/{editions['translation'].slug}/",
    }
    feed = json.loads(page(client, "/ru/news/feed.json")[1])
    assert len(feed["items"]) == 2
    _, html = page(client, "/ru/")
    assert 'href="/ru/feed/"' in html and 'href="/ru/feed.json"' in html


def test_each_edition_has_its_own_sitemap_and_robots_names_both(client, editions):
    _, russian = page(client, "/ru/sitemap.xml")
    _, english = page(client, "/sitemap.xml")
    russian_urls = re.findall(r"<loc>(.*?)</loc>", russian)
    english_urls = re.findall(r"<loc>(.*?)</loc>", english)
    assert russian_urls and all(url.startswith("http://testserver/ru/") for url in russian_urls)
    assert "http://testserver/ru/news/only-in-russian/" in russian_urls
    assert english_urls and not any("/ru/" in url for url in english_urls)
    _, robots = page(client, "/robots.txt")
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert "Sitemap: http://testserver/ru/sitemap.xml" in robots


def test_read_more_lists_only_the_editions_own_articles(client, editions):
    # Every article here shares the tag "courts": tags are shared by the editions.
    _, html = page(client, "/ru/news/only-in-russian/")
    more = html[html.index('class="read-more') :]
    assert "Расследование о плотине" in more
    assert "Dam inquiry opens" not in more and "A review" not in more


def test_lite_pages_per_edition(client, editions):
    _, html = page(client, "/ru/lite/")
    assert "Только по-русски" in html and "A review" not in html
    assert 'href="/ru/lite/news/only-in-russian/"' in html
    _, html = page(client, "/ru/news/only-in-russian/")
    assert 'href="/ru/lite/news/only-in-russian/"' in html


def test_each_edition_asks_with_its_own_appeals(client, editions):
    for slug, language, heading in [
        ("english", "en", "Support us"),
        ("russian", "ru", "Поддержите нас"),
        ("both", "", "{newsroom}"),
    ]:
        appeal = Appeal(slug=slug, name=slug, kind=Appeal.Kind.HEADER, language=language)
        appeal.variants = [AppealVariant(key="a", heading=heading, body=f"<p>{heading}</p>")]
        appeal.save()
    russian = json.loads(page(client, "/ru/appeals/config.json")[1])
    english = json.loads(page(client, "/appeals/config.json")[1])
    assert {a["id"] for a in russian["appeals"]} == {"russian", "both"}
    assert {a["id"] for a in english["appeals"]} == {"english", "both"}
    assert russian["reminders"] == "/ru/reminders/new/"
    assert english["reminders"] == "/reminders/new/"
    assert all(
        v["url"].startswith("/ru/support/") for a in russian["appeals"] for v in a["variants"]
    )


def test_the_support_page_and_its_forms_stay_in_the_edition(client, editions):
    response, html = page(client, "/ru/support/?amount=1000&frequency=monthly")
    assert '<html lang="ru">' in html
    assert 'action="/ru/support/' in html
    assert alternates(html)["en"] == "http://testserver/support/"
    assert switch(html) == [("/support/?amount=1000&amp;frequency=monthly", "en", "English")]
    _, html = page(client, "/ru/reminders/new/")
    assert '<html lang="ru">' in html and 'action="/ru/reminders/new/"' in html


def test_the_russian_support_page_lists_the_other_addresses_of_its_own_edition(
    client, editions, settings
):
    settings.ONION_URL = "http://" + "d" * 56 + ".onion"
    _, html = page(client, "/ru/support/")
    assert f'href="{settings.ONION_URL}/ru/support/"' in html
