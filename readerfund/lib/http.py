"""What makes a response public: cacheable by anyone, identical for every reader."""

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


def private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response
