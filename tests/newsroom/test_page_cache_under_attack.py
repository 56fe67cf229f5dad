"""The page cache under hostile traffic: floods of query strings, cold renders competing with
warm hits, publishing while readers read. Over real WSGI, real Django, the real file caches."""

import threading
import time

import pytest
from django.core.cache import cache, caches

from readerfund.lib import pagegen, ratelimit
from readerfund.lib.pagecache import PageCacheApp
from readerfund.lib.pagekey import page_key
from tests.factories import make_article
from tests.wsgi import CountingApp, request


@pytest.fixture
def django_app(transactional_db):
    return CountingApp()


def test_a_flood_of_tracking_query_strings_is_served_from_one_kept_page(django_app, article):
    app = PageCacheApp(django_app)
    first = request(app, article.url)
    for n in range(300):
        query = f"utm_source=x{n}&fbclid={n}&gclid={n}&{n}={n}"
        status, _, body = request(app, f"{article.url}?{query}")
        assert status == 200 and body == first[2]
    assert django_app.calls == 1


def test_django_renders_only_the_parameters_a_page_reads(transactional_db):
    seen = []

    def inner(environ, start_response):
        seen.append(environ["QUERY_STRING"])
        start_response("200 OK", [("Cache-Control", "public, max-age=60")])
        return [b"page"]

    app = PageCacheApp(inner)
    request(app, "/news/?utm_medium=email&page=2&page=3&evil=%3Cscript%3E")
    request(app, "/news/?page=<script>")
    request(app, "/support/?amount=25&frequency=monthly&utm_campaign=x")
    assert seen == ["page=2", "", "amount=25&frequency=monthly"]


def test_a_flood_of_distinct_urls_leaves_rate_limit_counters_intact(django_app, newsroom):
    """Each busting URL used to be written to the default cache, whose culling evicted a third
    of all entries on overflow: rate-limit counters and the breaker's state included."""
    for n in range(13):
        make_article(newsroom["news"], f"Item {n:02}")
    for _ in range(3):
        ratelimit.hit("checkout-ip", "203.0.113.9", limit=3, window=600)
    app = PageCacheApp(django_app)
    request(app, "/")  # the first request creates the publish generation counter
    keys_before = _default_cache_files()
    for n in range(400):  # the tests' default cache keeps 300 entries before culling
        request(app, f"/?utm_source={n}")
        request(app, f"/news/?page={n % 2 + 1}&ref={n}")
        request(app, f"/no-such-page-{n}/")
    assert _default_cache_files() == keys_before
    assert ratelimit.hit("checkout-ip", "203.0.113.9", limit=3, window=600)  # the 4th: over


def _default_cache_files() -> set[str]:
    from pathlib import Path

    return {p.name for p in Path(cache._dir).glob("*.djcache")}


def test_a_host_that_is_not_ours_is_never_kept(django_app, article):
    app = PageCacheApp(django_app)
    for n in range(3):
        status, _, _ = request(app, article.url, host=f"evil{n}.example")
        assert status == 400
    assert django_app.calls == 3
    assert app.memo.entries == {}


def test_a_host_that_was_ours_is_not_once_allowed_hosts_change(settings):
    environ = {"HTTP_HOST": "news.example", "PATH_INFO": "/", "QUERY_STRING": ""}
    settings.ALLOWED_HOSTS = ["news.example"]
    assert page_key(environ) == ("news.example", "/", "")
    assert page_key(environ) == ("news.example", "/", "")  # found allowed once, then kept
    settings.ALLOWED_HOSTS = ["other.example"]
    assert page_key(environ) is None


def test_publishing_an_article_keeps_the_pages_that_do_not_show_it(django_app, newsroom):
    news = make_article(newsroom["news"], "Dam inquiry opens", tags=["courts"])
    culture = make_article(newsroom["culture"], "A choir in exile", tags=["music"])
    app = PageCacheApp(django_app)
    pages = ["/", "/news/", "/culture/", news.url, culture.url, "/news/feed/", "/culture/feed/"]
    for path in pages:
        request(app, path)
    rendered = django_app.calls

    news.title = "Dam inquiry opens: day two"
    news.save_revision().publish()
    for path in pages:
        request(app, path)

    assert django_app.calls - rendered == 4  # home, /news/, the article, its section's feed
    assert b"day two" in request(app, "/")[2]
    assert b"day two" in request(app, "/news/feed/")[2]


def test_an_article_sharing_a_tag_lists_a_new_article_at_once(django_app, newsroom):
    culture = make_article(newsroom["culture"], "A choir in exile", tags=["courts"])
    app = PageCacheApp(django_app)
    request(app, culture.url)
    make_article(newsroom["news"], "Court hears the choir", tags=["courts"])
    assert b"Court hears the choir" in request(app, culture.url)[2]


def test_editing_the_newsroom_settings_forgets_every_page(django_app, article, newsroom):
    from newsroom.models import NewsroomSettings

    app = PageCacheApp(django_app)
    request(app, article.url)
    settings_row = NewsroomSettings.for_site(newsroom["home"].get_site())
    settings_row.name = "The Renamed Ledger"
    settings_row.save()
    assert b"The Renamed Ledger" in request(app, article.url)[2]


def test_a_page_tag_header_never_leaves_the_server(django_app, article, settings):
    app = PageCacheApp(django_app)
    for _ in range(2):
        _, headers, _ = request(app, article.url)
        assert "X-Cache-Tags" not in headers
    settings.PAGE_CACHE = False
    _, headers, _ = request(django_app, article.url)  # no page cache in front
    assert "X-Cache-Tags" not in headers


def test_a_flushed_shared_cache_never_makes_an_old_page_current(db):
    versions = iter([b"before", b"after"])

    def inner(environ, start_response):
        start_response("200 OK", [("Cache-Control", "public, max-age=60")])
        return [next(versions)]

    app = PageCacheApp(inner)
    assert request(app, "/story/")[2] == b"before"
    cache.clear()  # Redis restarted: the counter starts again, at a random value
    caches["pages"].clear()
    assert request(app, "/story/")[2] == b"after"


# Cold renders and warm hits ---------------------------------------------------------------


def _one_render_hanging():
    """A page cache whose render of /cold/ hangs (in a thread) until `pages.release` is set."""
    pages = SlowPages()
    app = PageCacheApp(pages)
    pages.release.clear()
    cold = threading.Thread(target=request, args=(app, "/cold/"))
    cold.start()
    time.sleep(0.1)
    return pages, app, cold


class SlowPages:
    """A WSGI app whose pages take `delay` seconds to render, counting renders per path."""

    def __init__(self, delay=0.0):
        self.delay, self.calls, self.lock = delay, {}, threading.Lock()
        self.release = threading.Event()
        self.release.set()

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        with self.lock:
            self.calls[path] = self.calls.get(path, 0) + 1
        self.release.wait(10)
        time.sleep(self.delay)
        start_response("200 OK", [("Cache-Control", "public, max-age=60")])
        return [path.encode()]


def test_concurrent_misses_for_one_page_wait_for_one_render(db):
    pages = SlowPages(delay=0.2)
    app = PageCacheApp(pages)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(request(app, "/hot/"))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert pages.calls == {"/hot/": 1}
    assert [r[2] for r in results] == [b"/hot/"] * 8


def test_warm_hits_are_served_while_every_render_slot_is_busy(db, settings):
    settings.PAGE_RENDER_SLOTS = 1
    pages = SlowPages()
    app = PageCacheApp(pages)
    request(app, "/warm/")
    pages.release.clear()  # the next render hangs
    cold = threading.Thread(target=request, args=(app, "/cold/"))
    cold.start()
    time.sleep(0.1)
    started = time.monotonic()
    assert request(app, "/warm/")[2] == b"/warm/"
    assert time.monotonic() - started < 0.1
    pages.release.set()
    cold.join()


def test_a_miss_gets_503_with_retry_after_when_no_render_slot_frees_in_time(db, settings):
    settings.PAGE_RENDER_SLOTS = 1
    settings.PAGE_RENDER_QUEUE = 1
    settings.PAGE_RENDER_WAIT = 1
    pages, app, cold = _one_render_hanging()
    status, headers, body = request(app, "/other-cold/")
    pages.release.set()
    cold.join()
    assert status == 503
    assert headers["Retry-After"] == "5"
    assert headers["Cache-Control"] == "no-store"
    assert b"busy" in body
    assert "/other-cold/" not in pages.calls


def test_after_its_max_age_a_page_is_served_stale_while_one_thread_renders_it(db):
    import time_machine

    pages = SlowPages()
    app = PageCacheApp(pages)
    with time_machine.travel(1_800_000_000, tick=False) as clock:
        request(app, "/ticker/")
        clock.shift(61)
        for _ in range(5):
            assert request(app, "/ticker/")[0] == 200  # served at once, not rendered
        app.refresher.wait_idle()
    assert pages.calls == {"/ticker/": 2}


def test_a_page_past_its_stale_window_is_rendered_before_it_is_served(db, settings):
    import time_machine

    settings.PAGE_STALE = 10
    pages = SlowPages()
    app = PageCacheApp(pages)
    with time_machine.travel(1_800_000_000, tick=False) as clock:
        request(app, "/quiet/")
        clock.shift(71)
        request(app, "/quiet/")
    assert pages.calls == {"/quiet/": 2}
    assert app.refresher.asked == set()


def test_a_process_takes_the_page_another_process_rendered(db):
    pages = SlowPages()
    one, other = PageCacheApp(pages), PageCacheApp(pages)
    request(one, "/shared/")
    request(other, "/shared/")
    assert pages.calls == {"/shared/": 1}


def test_memory_per_process_is_bounded_by_bytes(db):
    pages = SlowPages()
    app = PageCacheApp(pages, max_bytes=100)
    for n in range(50):
        request(app, f"/page-{n:03}/")  # 10 bytes each
    assert app.memo.size <= 100
    assert list(app.memo.entries)[0][1] == "/page-040/"  # the newest ten


def test_a_bump_naming_tags_forgets_only_those_pages(db):
    pagegen.generation()

    def inner(environ, start_response):
        tags = {"/a/": "page:1", "/b/": "page:2"}[environ["PATH_INFO"]]
        start_response("200 OK", [("Cache-Control", "public, max-age=60"), ("X-Cache-Tags", tags)])
        return [b"x"]

    calls = []

    def counting(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    app = PageCacheApp(counting)
    request(app, "/a/")
    request(app, "/b/")
    pagegen.bump(["page:1"])
    request(app, "/a/")
    request(app, "/b/")
    assert calls == ["/a/", "/b/", "/a/"]


def test_misses_beyond_those_that_may_wait_get_503_at_once(db, settings):
    settings.PAGE_RENDER_SLOTS = 1  # one rendering, one waiting
    settings.PAGE_RENDER_QUEUE = 1
    settings.PAGE_RENDER_WAIT = 5
    pages = SlowPages()
    app = PageCacheApp(pages)
    pages.release.clear()
    waiting = [threading.Thread(target=request, args=(app, f"/cold-{n}/")) for n in range(2)]
    for thread in waiting:
        thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    assert request(app, "/cold-3/")[0] == 503
    assert time.monotonic() - started < 0.5
    pages.release.set()
    for thread in waiting:
        thread.join()
    assert set(pages.calls) == {"/cold-0/", "/cold-1/"}


def test_a_flood_of_head_requests_for_cold_pages_is_bounded_like_gets(db, settings):
    settings.PAGE_RENDER_SLOTS = 1
    settings.PAGE_RENDER_QUEUE = 0
    pages, app, cold = _one_render_hanging()
    assert request(app, "/other/", method="HEAD")[0] == 503
    pages.release.set()
    cold.join()
    status, _, body = request(app, "/kept-by-head/", method="HEAD")
    assert (status, body) == (200, b"")
    assert request(app, "/kept-by-head/")[2] == b"/kept-by-head/"
    assert pages.calls == {"/cold/": 1, "/kept-by-head/": 1}
