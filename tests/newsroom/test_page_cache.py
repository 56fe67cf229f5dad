"""The in-process page cache in front of Django (readerfund.lib.pagecache), over real WSGI."""

import pytest

from readerfund.lib.pagecache import PageCacheApp
from tests.wsgi import CountingApp, request


@pytest.fixture
def django_app(transactional_db):
    return CountingApp()


@pytest.fixture
def live_article(django_app, newsroom, article):
    return article


def test_a_page_is_rendered_once_then_served_from_memory(django_app, live_article):
    app = PageCacheApp(django_app)
    first = request(app, live_article.url)
    second = request(app, live_article.url)
    assert first[0] == second[0] == 200
    assert first[2] == second[2]
    assert django_app.calls == 1


def test_publishing_an_edit_is_seen_at_once_by_every_process(django_app, live_article):
    this_process, other_process = PageCacheApp(django_app), PageCacheApp(django_app)
    request(this_process, live_article.url)
    request(other_process, live_article.url)
    live_article.title = "Dam inquiry opens: day two"
    live_article.save_revision().publish()
    for app in (this_process, other_process):
        status, _, body = request(app, live_article.url)
        assert b"Dam inquiry opens: day two" in body


def test_publishing_a_new_article_refreshes_the_home_page_and_read_more(
    django_app, live_article, newsroom
):
    from tests.factories import make_article

    app = PageCacheApp(django_app)
    request(app, "/")
    request(app, live_article.url)
    make_article(newsroom["news"], "Fresh news", tags=["courts"])
    assert b"Fresh news" in request(app, "/")[2]
    assert b"Fresh news" in request(app, live_article.url)[2]


def test_an_unpublished_article_is_gone_at_once(django_app, live_article):
    app = PageCacheApp(django_app)
    assert request(app, live_article.url)[0] == 200
    live_article.unpublish()
    assert request(app, live_article.url)[0] == 404


def test_staff_with_a_session_always_reach_django(django_app, live_article):
    app = PageCacheApp(django_app)
    request(app, live_article.url)
    request(app, live_article.url, cookie="csrftoken=x; sessionid=abc")
    assert django_app.calls == 2


def test_head_gets_headers_without_a_body_and_the_etag_gets_304(django_app, live_article):
    app = PageCacheApp(django_app)
    status, headers, body = request(app, live_article.url)
    head = request(app, live_article.url, method="HEAD")
    assert head[0] == 200 and head[2] == b""
    assert request(app, live_article.url, if_none_match=headers["ETag"])[0] == 304
    assert django_app.calls == 1


def test_query_strings_are_kept_apart(django_app, newsroom):
    from tests.factories import make_article

    for n in range(13):
        make_article(newsroom["news"], f"Item {n:02}")
    app = PageCacheApp(django_app)
    assert request(app, "/news/?page=1")[2] != request(app, "/news/?page=2")[2]


def _fake(status, headers):
    calls = []

    def app(environ, start_response):
        calls.append(1)
        start_response(status, headers)
        return [b"body"]

    return app, calls


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        ("200 OK", [("Cache-Control", "private")]),
        ("200 OK", []),
        ("200 OK", [("Cache-Control", "public"), ("Set-Cookie", "a=b")]),
        ("200 OK", [("Cache-Control", "public"), ("Vary", "Cookie")]),
        ("404 Not Found", [("Cache-Control", "public")]),
        ("302 Found", [("Cache-Control", "public"), ("Location", "/")]),
    ],
)
def test_only_public_cookie_free_successes_are_kept(db, status, headers):
    inner, calls = _fake(status, headers)
    app = PageCacheApp(inner)
    request(app, "/some/page/")
    request(app, "/some/page/")
    assert len(calls) == 2


@pytest.mark.parametrize(
    "path", ["/admin/", "/api/checkout", "/healthz", "/static/a.css", "/media/x.jpg"]
)
def test_staff_api_and_file_paths_are_never_kept(db, path):
    inner, calls = _fake("200 OK", [("Cache-Control", "public")])
    app = PageCacheApp(inner)
    request(app, path)
    request(app, path)
    assert len(calls) == 2


def test_post_is_never_served_from_memory(db):
    inner, calls = _fake("200 OK", [("Cache-Control", "public")])
    app = PageCacheApp(inner)
    request(app, "/page/")
    request(app, "/page/", method="POST")
    assert len(calls) == 2


def test_other_processes_see_a_bump_within_the_generation_ttl(db, settings, monkeypatch):
    from readerfund.lib import pagegen

    settings.PAGE_CACHE_GENERATION_TTL = 1.0
    clock = [1000.0]
    monkeypatch.setattr(pagegen.time, "monotonic", lambda: clock[0])
    before = pagegen.generation()
    pagegen.cache.incr(pagegen.GENERATION_KEY)  # another process published
    assert pagegen.generation() == before  # trusted for up to a second
    clock[0] += 1.01
    assert pagegen.generation() == before + 1


def test_while_one_thread_renders_after_a_publish_the_others_serve_the_previous_page(db):
    import threading

    from readerfund.lib import pagecache

    started, release = threading.Event(), threading.Event()
    versions = iter([b"first", b"second"])

    def slow_app(environ, start_response):
        body = next(versions)
        if body == b"second":
            started.set()
            release.wait(5)
        start_response("200 OK", [("Cache-Control", "public, max-age=60")])
        return [body]

    app = PageCacheApp(slow_app)
    assert request(app, "/story/")[2] == b"first"
    pagecache.bump()
    renderer = threading.Thread(target=request, args=(app, "/story/"))
    renderer.start()
    assert started.wait(5)
    assert request(app, "/story/")[2] == b"first"  # served at once, not piled up
    release.set()
    renderer.join()
    assert request(app, "/story/")[2] == b"second"


def test_a_kept_page_is_rendered_again_after_its_max_age(db, settings):
    import time_machine

    settings.PAGE_STALE = 0
    inner, calls = _fake("200 OK", [("Cache-Control", "public, max-age=60")])
    app = PageCacheApp(inner)
    with time_machine.travel(1_800_000_000, tick=False) as clock:
        request(app, "/funding.json")
        clock.shift(59)
        request(app, "/funding.json")
        assert len(calls) == 1
        clock.shift(2)
        request(app, "/funding.json")
        assert len(calls) == 2


def test_a_public_response_without_max_age_is_not_kept(db):
    inner, calls = _fake("200 OK", [("Cache-Control", "public")])
    app = PageCacheApp(inner)
    request(app, "/page/")
    request(app, "/page/")
    assert len(calls) == 2
