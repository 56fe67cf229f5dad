"""Reader views outside Wagtail's own routing: the JSON feeds, and finding the page a path
names (for them and for the lite pages)."""

import json

from django.http import Http404, HttpResponse
from wagtail.models import Site

from newsroom import kept
from newsroom.feeds import json_feed
from newsroom.models import (
    READ_AHEAD,
    ArticlePage,
    HomePage,
    SectionPage,
    _child_as_its_type,
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
        read_ahead = request.META.get(READ_AHEAD)
        page = _page_on_path(home, components, read_ahead) if isinstance(home, HomePage) else None
        if page is None:
            raise Http404
    if not isinstance(page, HomePage | SectionPage | ArticlePage) or not page.live:
        raise Http404
    if kept.any_view_restrictions() and page.get_view_restrictions().exists():
        raise Http404  # not public: no lite version, no feed
    return page


def _page_on_path(home: HomePage, components: list[str], read_ahead=None):
    """The live page at `components` below `home`, as its own type; None when there is none.
    A section is found among the home page's kept children, an article under it in one
    query (as HomePage.route finds them); anything deeper one level at a time."""
    section = home.children_by_slug().get(components[0])
    if section is not None and len(components) == 2 and section.live:
        article = _child_as_its_type(section, components[1], read_ahead)
        if article is not None:
            return article if article.live else None
    chain = home._pages_on_path(components)
    if len(chain) != len(components) or not chain[-1].live:
        return None
    return _specific(chain[-1])
