"""What makes a response public: cacheable by anyone, identical for every reader."""

import json
from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control


def make_public(response, max_age: int | None = None):
    """Mark a response as the same for every reader, so browsers, CDNs and mirrors may keep it."""
    patch_cache_control(
        response, public=True, max_age=settings.PAGE_MAX_AGE if max_age is None else max_age
    )
    return response


def public(view=None, *, max_age: int | None = None):
    """Decorator for views whose output is the same for every reader."""

    def decorate(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            return make_public(func(request, *args, **kwargs), max_age)

        return wrapper

    return decorate(view) if view is not None else decorate


def json_object(request, *, typed: bool = True) -> dict | None:
    """The request's body as a JSON object; None when it is not one (or, when `typed`, not
    sent as application/json, which a cross-site HTML form cannot send)."""
    if typed and request.content_type != "application/json":
        return None
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def tag(response, *tags: str):
    """Name what a public response shows ("page:12", "list:4"), so that a publish forgets
    only the kept pages that show what changed (readerfund/lib/pagegen.py). The page cache
    reads and removes the header; it never leaves the server."""
    response["X-Cache-Tags"] = " ".join(tags)
    return response


def tagged(view, *tags: str):
    """A view whose responses carry `tags` (see `tag`)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return tag(view(request, *args, **kwargs), *tags)

    return wrapper
