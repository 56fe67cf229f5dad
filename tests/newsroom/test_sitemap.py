"""/sitemap.xml is written from rows (newsroom/sitemap.py): the same bytes as Wagtail's."""

from datetime import UTC, datetime

from django.test import RequestFactory
from django.utils import timezone
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from newsroom.sitemap import sitemap
from tests.factories import make_article


def test_the_sitemap_is_wagtails_own_byte_for_byte_in_the_sites_time_zone(newsroom, settings):
    settings.TIME_ZONE = "Asia/Vladivostok"  # 23:30 UTC is the next day there
    late = datetime(2026, 11, 1, 23, 30, tzinfo=UTC)
    article = make_article(newsroom["news"], "Late & <loud>", published=late)
    type(article).objects.filter(pk=article.pk).update(last_published_at=late)
    make_article(newsroom["culture"], "Übersetzung")
    factory = RequestFactory()

    def fetch(view):
        with timezone.override("Asia/Vladivostok"):
            return view(factory.get("/sitemap.xml", HTTP_HOST="testserver")).render().content

    ours = fetch(sitemap)
    assert ours == fetch(wagtail_sitemap)
    assert b"<lastmod>2026-11-02</lastmod>" in ours
    assert ours.count(b"<url>") >= 4
