"""Editions: one install, one newsroom, a page tree per language.

The default edition (READERFUND_LANGUAGE, `settings.LANGUAGE_CODE`) is served at the root,
every other language of `settings.LANGUAGES` under its own prefix (`/ru/…`): its pages, its
sections and feeds, and the reader-facing forms (`/ru/support/`, `/ru/reminders/new/`), so
a gift or a reminder made there keeps the language of the page it came from.

The language comes from the path only, never from `Accept-Language` or a cookie: a page must
be the same for every reader (any cache or mirror may serve it), so nothing about the reader
may choose its words. `EditionMiddleware` activates it for the request; `prefixed(…)` marks
the URL patterns an edition has (Django's `LocalePrefixPattern`, which `i18n_patterns`
allows only at the root of the URLconf; here an app keeps its API paths unprefixed beside
its pages), so `reverse()` and Wagtail's page URLs name the active edition's paths.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import URLResolver
from django.utils import translation
from django.utils.translation import get_language


def languages() -> list[str]:
    """The editions' languages, the default (root) one first."""
    others = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    return [settings.LANGUAGE_CODE, *others]


def language_of_path(path: str) -> str:
    """The edition a path belongs to: a known language's prefix (`/ru/…`), else the default."""
    default, others = _editions()
    match = _PREFIX.match(path)
    if match and match[1] in others:
        return match[1]
    return default


def unprefixed(path: str) -> str:
    """The path as the default edition names it (`/ru/support/` is `/support/`): for rules
    written per path (the page cache's query parameters and private paths, metrics)."""
    match = _PREFIX.match(path)
    if match and match[1] in _editions()[1]:
        return path[len(match[1]) + 1 :] or "/"
    return path


def prefix(language: str) -> str:
    """The edition's path prefix: '' for the default edition, '/ru' for Russian."""
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


_PREFIX = re.compile(r"^/([a-z]{2,3}(?:-[a-z0-9]+)?)(?:/|$)")


@lru_cache(maxsize=1)
def _editions() -> tuple[str, frozenset[str]]:
    """(the default language, the others): read once, as every request asks (the page
    cache's key, the metrics' route group); read again when a test changes the settings."""
    default = settings.LANGUAGE_CODE
    return default, frozenset(code for code, _ in settings.LANGUAGES if code != default)


def _settings_changed(setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE"):
        _editions.cache_clear()


setting_changed.connect(_settings_changed)


class EditionPrefix:
    """A URL pattern's prefix: '' in the default edition, 'ru/' in the Russian one; what it
    is follows the active language, as Django's LocalePrefixPattern (prefix_default_language
    off)."""

    converters: dict = {}

    @property
    def regex(self):
        # Only reverse() reads this; Django keeps its reverse table per active language.
        return re.compile(re.escape(self.language_prefix))

    @property
    def language_prefix(self) -> str:
        language = get_language() or settings.LANGUAGE_CODE
        return "" if language == settings.LANGUAGE_CODE else f"{language}/"

    def match(self, path):
        language_prefix = self.language_prefix
        if path.startswith(language_prefix):
            return path.removeprefix(language_prefix), (), {}
        return None

    def check(self):
        return []

    def describe(self):
        return f"'{self}'"

    def __str__(self):
        return self.language_prefix


def prefixed(*patterns) -> URLResolver:
    """`patterns`, served in every edition: at the root and under each other language."""
    return URLResolver(EditionPrefix(), list(patterns))


class EditionMiddleware:
    """Speak the edition's language for the whole request (its path's prefix decides), and
    say so in a page's Content-Language. Nothing about the reader is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of_path(request.path_info)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        # A page's, not the API's (one for every edition; its fast path answers without us).
        page = not request.path_info.startswith(("/api/", "/webhooks/"))
        if page and response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Language", language)
        return response
