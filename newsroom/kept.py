"""What every reader page reads and only a publish changes, kept per generation in memory
(readerfund.lib.fragments): the sites and whether staff restricted any page at all. The
newsroom's settings and the menu's sections are kept the same way in newsroom/models.py.
newsroom/signals.py bumps the generation on every change to these, so a render reads none of
them from the database.
"""

from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import PageViewRestriction, Site

from readerfund.lib.fragments import kept


def site_for(request: HttpRequest) -> Site | None:
    """The request's Site as Wagtail finds it, with its home page (specific) loaded.

    Any host name that is no Site's own gets the default site, whatever the port: those
    share one entry, so a flood of made-up Host headers keeps nothing new."""
    hostname = split_domain_port(request._get_raw_host())[0]
    if hostname not in _site_hostnames():
        hostname, port = "", None
    else:
        port = request.get_port()
    # Wagtail's own lookup (the private half of Site.find_for_request, which caches nothing).
    build = lambda: _with_specific_root(Site._find_for_request(request))  # noqa: E731
    return kept(("site", hostname, port), build)


def _site_hostnames() -> frozenset[str]:
    build = lambda: frozenset(Site.objects.values_list("hostname", flat=True))  # noqa: E731
    return kept("site-hostnames", build)


def _with_specific_root(site: Site | None) -> Site | None:
    # Wagtail routes from site.root_page.specific: load it once here, not on every request.
    if site is not None:
        site.root_page = site.root_page.specific
    return site


def default_site() -> Site | None:
    return kept("default-site", _default_site)


def _default_site() -> Site | None:
    # Built only when not kept: making the queryset cost more than finding the kept site.
    return Site.objects.select_related("root_page").filter(is_default_site=True).first()


def site_root_paths() -> list:
    """Wagtail's root paths of every site (read on every page URL), without its cache's
    round trip (a file read, or Redis) on each request."""
    return kept("site-root-paths", Site.get_site_root_paths)


def any_view_restrictions() -> bool:
    """Whether staff restricted who may view any page (rare in a newsroom: usually never)."""
    return kept("any-view-restrictions", PageViewRestriction.objects.exists)
