"""Reader views outside Wagtail's own routing: the JSON feeds, and finding the page a path
names (for them and for the lite pages)."""

import json

from django.http import Http404, HttpResponse
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.models import Page, Site

from newsroom import kept
from newsroom.feeds import json_feed
from newsroom.models import (
    ArticlePage,
    HomePage,
    SectionPage,
    _newsroom_name,
    _specific,
    edition_home,
    live_articles,
)
from readerfund.lib.http import make_public, tag


def json_feed_view(request, path: str = ""):
    """/feed.json (every article) and /<section>/feed.json: JSON Feed 1.1, full text."""
    page = page_at(request, path)
    if isinstance(page, SectionPage):
        articles = page.articles()
    elif isinstance(page, HomePage):
        articles = live_articles(page)
    else:
        raise Http404
    feed = json_feed(page, articles, _newsroom_name(request), request)
    body = json.dumps(feed, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/feed+json; charset=utf-8")
    return tag(make_public(response), *page.cache_tags({}))


class EditionSitemap(Sitemap):
    """The pages of the request's edition: /sitemap.xml the default one's, /ru/sitemap.xml
    the Russian one's (Wagtail's own lists the site's root page's tree only)."""

    def items(self):
        home = edition_home(self.get_wagtail_site())
        if home is None:
            return Page.objects.none()
        pages = home.get_descendants(inclusive=True).live().public().order_by("path")
        return pages.defer_streamfields().specific()


def edition_sitemap(request):
    return sitemap(request, sitemaps={"pages": EditionSitemap})


def page_at(request, path: str):
    """The live, public home page, section or article at /<path> in the request's edition
    of its site."""
    site = Site.find_for_request(request) or kept.default_site()
    home = edition_home(site) if site is not None else None
    if home is None:
        raise Http404
    components = [part for part in path.split("/") if part]
    page = home
    if components:
        chain = home._pages_on_path(components) if isinstance(home, HomePage) else []
        if len(chain) != len(components) or not chain[-1].live:
            raise Http404
        page = _specific(chain[-1])
    if not isinstance(page, HomePage | SectionPage | ArticlePage) or not page.live:
        raise Http404
    if kept.any_view_restrictions() and page.get_view_restrictions().exists():
        raise Http404  # not public: no lite version, no feed
    return page
