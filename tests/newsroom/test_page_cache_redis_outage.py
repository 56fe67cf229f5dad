"""Reader pages while Redis is down: served and rendered without it, and back by themselves.
A private redis-server (tests/redis_server.py) is stopped and started again."""

import pytest
from django.core.cache import caches

from readerfund.lib.pagecache import PageCacheApp
from tests.redis_server import needs_redis_server
from tests.wsgi import CountingApp, request

pytestmark = needs_redis_server


@pytest.fixture
def django_app(transactional_db):
    return CountingApp()


def test_pages_are_served_and_rendered_while_redis_is_down(redis_caches, django_app, newsroom):
    from tests.factories import make_article

    kept = make_article(newsroom["news"], "Kept before the outage")
    cold = make_article(newsroom["news"], "Never asked before the outage")
    app = PageCacheApp(django_app)
    assert request(app, kept.url)[0] == 200
    assert caches["pages"].get("anything") is None  # the store answers

    redis_caches.stop()
    assert request(app, kept.url)[0] == 200  # from memory
    status, _, body = request(app, cold.url)  # rendered without the shared cache
    assert status == 200 and b"Never asked before the outage" in body
    assert request(app, "/")[0] == 200

    redis_caches.start()  # empty: everything it held is gone
    calls = django_app.calls
    assert request(app, cold.url)[0] == 200
    assert django_app.calls == calls + 1  # the flushed counter: nothing old is trusted
    assert request(app, cold.url)[0] == 200
    assert django_app.calls == calls + 1  # kept again


def test_a_publish_during_the_outage_is_seen_at_once_by_its_own_process(
    redis_caches, django_app, newsroom
):
    from tests.factories import make_article

    article = make_article(newsroom["news"], "Before the correction")
    app = PageCacheApp(django_app)
    request(app, article.url)
    redis_caches.stop()
    article.title = "After the correction"
    article.save_revision().publish()
    assert b"After the correction" in request(app, article.url)[2]
