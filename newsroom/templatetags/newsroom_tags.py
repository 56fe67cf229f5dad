from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page, Site

from newsroom import kept, models, readmore
from readerfund.lib import editions
from readerfund.lib.fragments import kept as kept_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def sections(context):
    """The live sections under the site's home page, in their menu order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    site = site or kept.default_site()
    if site is None:
        return []
    return models.menu_sections(site)


@register.simple_tag
def newsroom_settings():
    """What `{% get_settings use_default_site=True %}` gave the templates as `settings`
    (`settings.newsroom.NewsroomSettings`), read from memory, not the database."""
    site = kept.default_site()
    # No site yet (a fresh database): the defaults, so that a 404 or 500 page still renders.
    found = models.newsroom_settings(site) if site is not None else models.NewsroomSettings()
    return {"newsroom": {"NewsroomSettings": found}}


@register.filter
def byline(authors):
    names = [author.name for author in authors]
    if len(names) <= 1:
        return "".join(names)
    from django.utils.translation import gettext

    return gettext("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


@register.simple_tag(takes_context=True)
def card(context, article, large=False, with_standfirst=False, level=3):
    """An article's card (home, sections, Read more), rendered once per publish generation:
    the same article shows the same card on every page that lists it. `level` is its
    headline's: 3 under a page's h2 (home, Read more), 2 straight under a section's h1."""
    request = context.get("request")
    site = getattr(request, "_wagtail_site", None)
    level = 2 if level == 2 else 3
    key = ("card", article.pk, bool(large), bool(with_standfirst), level, getattr(site, "pk", None))
    values = {
        "article": article,
        "large": large,
        "with_standfirst": with_standfirst,
        "level": level,
    }
    return kept_fragment(key, lambda: render_to_string(CARD, values, request=request))


CARD = "newsroom/includes/card.html"


@register.simple_tag(takes_context=True)
def read_more_section(context, article, tags):
    """The article's "Read more" (newsroom/readmore.py), rendered once per publish
    generation: any publish that could change it bumps the generation."""
    request = context.get("request")
    site = getattr(request, "_wagtail_site", None)

    def build():
        more = readmore.pick(article, tag_ids=[tag.pk for tag in tags])
        return render_to_string(READ_MORE, {"read_more": more}, request=request)

    return kept_fragment(("read-more", article.pk, getattr(site, "pk", None)), build)


READ_MORE = "newsroom/includes/read_more.html"


@register.simple_tag
def in_edition(path: str) -> str:
    """`path` (/feed/, /) in the active edition: /ru/feed/ in the Russian one."""
    return editions.prefix(get_language()) + path


@register.simple_tag(takes_context=True)
def edition_links(context):
    """The page in the other editions: `alternates` [(language, full URL)] for hreflang
    (only real translations, this page included), `x_default` (the default edition's), and
    `switch` [{language, name, url}] for the language switch: the translation, or the other
    edition's home page when there is none. Kept per generation (one query)."""
    request = context.get("request")
    page = context.get("page")
    if request is None:
        return {"alternates": [], "x_default": None, "switch": []}
    if isinstance(page, Page) and page.pk and page.translation_key:
        return _page_links(request, page)
    return _path_links(request)


def _page_links(request, page) -> dict:
    found = models.translations(page)
    current = get_language()
    alternates = [
        (language, found[language].get_full_url(request))
        for language in editions.languages()
        if language in found
    ]
    switch = []
    for language in editions.languages():
        if language == current:
            continue
        if language in found:
            url = found[language].get_url(request)
        else:
            url = _other_home_url(request, language)
        if url:
            switch.append(_switch(language, url))
    return {
        "alternates": alternates if len(alternates) > 1 else [],
        "x_default": dict(alternates).get(editions.languages()[0]),
        "switch": switch,
    }


def _other_home_url(request, language: str) -> str | None:
    site = getattr(request, "_wagtail_site", None) or kept.default_site()
    if site is None:
        return None
    with translation.override(language):
        home = models.edition_home(site)
        return home.get_url(request) if home is not None else None


# Pages outside Wagtail's tree that every edition has: the switch goes to the same form.
SWITCHABLE = ("/support/", "/reminders/new/")


def _path_links(request) -> dict:
    path = editions.unprefixed(request.path)
    if path not in SWITCHABLE:
        return {"alternates": [], "x_default": None, "switch": []}
    query = request.META.get("QUERY_STRING", "")
    current = get_language()
    site = settings.SITE_URL.rstrip("/")
    alternates = [
        (language, site + editions.prefix(language) + path) for language in editions.languages()
    ]
    switch = [
        _switch(language, editions.prefix(language) + path + (f"?{query}" if query else ""))
        for language in editions.languages()
        if language != current
    ]
    return {"alternates": alternates, "x_default": alternates[0][1], "switch": switch}


def _switch(language: str, url: str) -> dict:
    return {"language": language, "name": get_language_info(language)["name_local"], "url": url}


@register.simple_tag(takes_context=True)
def lite_url(context, page) -> str:
    """The lite version's address of a page: /lite/news/x/, /ru/lite/news/x/."""
    url = page.get_url(context.get("request"))
    return editions.prefix(get_language()) + "/lite" + editions.unprefixed(url)
