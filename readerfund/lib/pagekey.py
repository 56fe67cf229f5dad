"""Which page a request asks for: the page cache's key, and the query string Django sees.

A link shared with `?utm_source=…`, `?fbclid=…` or any random string is the same page, so it
must be the same cache entry: otherwise a flood of distinct query strings renders the page
cold on every request. Only the parameters a page reads count (PAGE_QUERY_PARAMS: for each
path prefix, each parameter's name and the pattern its value must match); everything else is
dropped before Django sees the request, so what is rendered is exactly what is keyed. Only
hosts in ALLOWED_HOSTS are keyed; any other Host goes to Django, which refuses it.
"""

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.signals import setting_changed
from django.http.request import split_domain_port, validate_host

from readerfund.lib.editions import unprefixed

MAX_PARAMS = 64  # parameters looked at in one query string; the rest are ignored
MAX_HOSTS = 64  # allowed Host headers remembered (with a port, in any case: a few each)
_allowed: set[str] = set()  # Host headers found allowed: checked once, as every request asks


def page_key(environ) -> tuple[str, str, str] | None:
    """(host, path, canonical query) for a cacheable request; None when the host is not one
    of ours."""
    host = environ.get("HTTP_HOST", "").lower()
    if host not in _allowed:
        domain, _port = split_domain_port(host)
        if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
            return None
        if len(_allowed) < MAX_HOSTS:  # a wildcard allows any name: the rest are checked
            _allowed.add(host)
    path = environ.get("PATH_INFO", "")
    return host, path, canonical_query(path, environ.get("QUERY_STRING", ""))


def canonical_query(path: str, query: str) -> str:
    """The parameters of `query` that the page at `path` reads, valid, sorted, each once."""
    if not query:
        return ""
    rules = _rules_for(path)
    if not rules:
        return ""
    kept = {}
    for name, value in parse_qsl(query, max_num_fields=None)[:MAX_PARAMS]:
        rule = rules.get(name)
        if rule is not None and name not in kept and rule.fullmatch(value):
            kept[name] = value
    return urlencode(sorted(kept.items()))


def _rules_for(path: str) -> dict[str, re.Pattern]:
    path = unprefixed(path)  # every edition's /support/ reads the same parameters
    prefix = max((p for p in _compiled() if path.startswith(p)), key=len, default=None)
    return _compiled()[prefix] if prefix is not None else {}


def _settings_changed(setting, **kwargs):
    if setting == "ALLOWED_HOSTS":
        _allowed.clear()
    elif setting == "PAGE_QUERY_PARAMS":
        _compiled.cache_clear()


setting_changed.connect(_settings_changed)


@lru_cache(maxsize=1)
def _compiled() -> dict[str, dict[str, re.Pattern]]:
    return {
        prefix: {name: re.compile(pattern) for name, pattern in params.items()}
        for prefix, params in settings.PAGE_QUERY_PARAMS.items()
    }
