from django import template
from django.template.loader import render_to_string
from wagtail.models import Site

from newsroom import kept, models, readmore
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
