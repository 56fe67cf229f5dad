"""A web process renders a few pages before its first request (newsroom/warmup.py)."""

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsroom import warmup
from readerfund.lib.pagecache import PageCacheApp
from tests.factories import make_article, make_edition, make_section
from tests.page_helpers import CEILINGS
from tests.wsgi import CountingApp, request


@pytest.fixture
def editions(transactional_db, newsroom, article):
    ru = make_edition(newsroom["home"])
    news = make_section(ru, "Новости", slug="news", translation_of=newsroom["news"])
    newest_ru = make_article(news, "Только по-русски", tags=["courts"], slug="only-in-russian")
    newest = make_article(newsroom["culture"], "A review", tags=["courts"], slug="a-review")
    return {"newest": newest, "newest_ru": newest_ru}


def test_each_editions_home_its_newest_article_and_that_articles_section(editions):
    assert warmup.paths() == [
        "/",
        "/culture/",
        "/culture/a-review/",
        "/ru/",
        "/ru/news/",
        "/ru/news/only-in-russian/",
    ]


def test_warm_renders_them_through_django_and_keeps_no_page(editions):
    django = CountingApp()
    assert warmup.warm(django) == 6
    assert django.calls == 6
    # Nothing was kept in the page cache: the first reader's request still renders...
    app = PageCacheApp(django)
    assert request(app, "/culture/a-review/")[0] == 200
    assert django.calls == 7
    # ...but what the warm-up built is kept (fragments), so it costs what a warm render does.
    with CaptureQueriesContext(connection) as queries:
        assert request(PageCacheApp(django), "/ru/news/only-in-russian/")[0] == 200
    assert len(queries) <= CEILINGS["article"]


def test_no_warm_up_when_turned_off_or_the_site_url_is_not_an_allowed_host(editions, settings):
    django = CountingApp()
    settings.WARM_UP = False
    assert warmup.warm(django) == 0
    settings.WARM_UP = True
    settings.SITE_URL = "https://news.example.org"  # not in ALLOWED_HOSTS: Django would 400
    assert warmup.warm(django) == 0
    assert django.calls == 0


SERVER_ENV = ("DJANGO_SETTINGS_MODULE", "TEST_DATABASE_URL", "DATABASE_URL", "REDIS_URL")


@pytest.mark.database_independent
def test_a_process_whose_database_is_not_migrated_still_starts(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("READERFUND_") and key not in SERVER_ENV
    }
    env["READERFUND_DATA_DIR"] = str(tmp_path)  # an empty data dir: no tables at all
    started = subprocess.run(
        [sys.executable, "-c", FROZEN],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr[-2000:]
    assert "warm-up stopped: OperationalError" in started.stderr
    # What it holds once started is out of the collector's way (readerfund/wsgi.py).
    frozen, tracked = map(int, started.stdout.split())
    assert frozen > 50_000 and tracked < frozen / 10


FROZEN = "import gc, readerfund.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
