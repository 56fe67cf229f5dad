"""readerfund/lib/editions.py: which edition a path belongs to, the URL patterns each edition
has, and the rules written per path (the page cache's, the metrics') holding in every edition;
kept pages and kept fragments one per edition."""

import pytest
from django.urls import reverse
from django.utils import translation

from readerfund.lib import editions
from readerfund.lib.metrics import route_group
from readerfund.lib.pagecache import PageCacheApp
from readerfund.lib.pagekey import canonical_query
from tests.factories import make_article, make_edition, make_section
from tests.wsgi import CountingApp, request


@pytest.mark.parametrize(
    ("path", "language", "unprefixed"),
    [
        ("/", "en", "/"),
        ("/ru/", "ru", "/"),
        ("/ru", "ru", "/"),
        ("/ru/support/checkout/", "ru", "/support/checkout/"),
        ("/russia/", "en", "/russia/"),  # a section's slug, not a prefix
        ("/en/news/", "en", "/en/news/"),  # the default edition has no prefix
        ("/de/news/", "en", "/de/news/"),  # a language no edition speaks
        ("/news/ru/", "en", "/news/ru/"),
    ],
)
def test_the_edition_is_the_paths_language_prefix_or_the_default(path, language, unprefixed):
    assert editions.language_of_path(path) == language
    assert editions.unprefixed(path) == unprefixed


def test_the_default_language_follows_readerfund_language(settings):
    assert editions.unprefixed("/ru/news/") == "/news/"  # read once, then kept
    settings.LANGUAGE_CODE = "ru"
    assert editions.languages() == ["ru", "en"]
    assert editions.language_of_path("/ru/news/") == "ru"
    assert editions.language_of_path("/en/news/") == "en"
    assert editions.unprefixed("/ru/news/") == "/ru/news/"  # what is kept follows the setting
    assert editions.unprefixed("/en/news/") == "/news/"
    assert editions.prefix("ru") == "" and editions.prefix("en") == "/en"


def test_pages_are_reversed_into_the_active_edition_and_the_api_never_is():
    with translation.override("ru"):
        assert reverse("contributions:support") == "/ru/support/"
        assert reverse("reminders:new") == "/ru/reminders/new/"
        assert reverse("appeals:config") == "/ru/appeals/config.json"
        assert reverse("contributions:api-checkout") == "/api/checkout"
        assert reverse("appeals:events") == "/api/appeals/events"
        assert reverse("funding:json") == "/funding.json"  # one funding gap
    assert reverse("contributions:support") == "/support/"


def test_rules_written_per_path_hold_under_every_editions_prefix():
    query = "amount=1000&utm_source=x&frequency=monthly"
    assert canonical_query("/ru/support/", query) == canonical_query("/support/", query)
    assert canonical_query("/ru/support/", query) == "amount=1000&frequency=monthly"
    assert route_group("/ru/support/checkout/") == "support"
    assert route_group("/ru/lite/news/") == "lite"
    assert route_group("/ru/news/x/") == "pages"


def test_a_donors_page_in_an_edition_is_never_kept(client, db):
    for path in ("/ru/support/checkout/", "/ru/support/thanks/x/", "/ru/support/manage/"):
        assert PageCacheApp._key({"REQUEST_METHOD": "GET", "PATH_INFO": path}) is None
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/ru/support/", "HTTP_HOST": "testserver"}
    assert PageCacheApp._key(environ) is not None


@pytest.fixture
def django_app(transactional_db):
    return CountingApp()


def test_each_edition_of_a_page_is_kept_apart(django_app, newsroom, article):
    ru = make_edition(newsroom["home"])
    news = make_section(ru, "Новости", slug="news", translation_of=newsroom["news"])
    make_article(news, "Расследование", slug=article.slug, translation_of=article)
    app = PageCacheApp(django_app)
    for _ in range(2):
        english = request(app, "/news/")
        russian = request(app, "/ru/news/")
        assert "Dam inquiry opens" in english[2].decode()
        assert "Расследование" in russian[2].decode()
        assert "Расследование" not in english[2].decode()
    assert django_app.calls == 2  # each rendered once, then served from memory
