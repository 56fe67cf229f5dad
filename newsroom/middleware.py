"""Hands Wagtail what it would otherwise look up on every request (newsroom.kept)."""

from newsroom import kept
from readerfund.lib.pagecache import BYPASS_PREFIXES


class KeptSiteMiddleware:
    """The request's Site and the sites' root paths, from memory: Wagtail reads the Site
    from `request._wagtail_site` and the root paths (every page URL needs them) from
    `request._wagtail_cached_site_root_paths` when they are there.

    Reader pages only: the admin (and everything else the page cache passes by) looks them
    up as before. After CommonMiddleware, so a Host outside ALLOWED_HOSTS never gets here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(BYPASS_PREFIXES):
            request._wagtail_site = kept.site_for(request)
            request._wagtail_cached_site_root_paths = kept.site_root_paths()
        return self.get_response(request)
