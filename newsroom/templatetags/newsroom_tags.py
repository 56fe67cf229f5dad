from django import template
from wagtail.models import Site

from newsroom.models import SectionPage

register = template.Library()


@register.simple_tag(takes_context=True)
def sections(context):
    """The live sections under the site's home page, in their menu order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return []
    return list(SectionPage.objects.child_of(site.root_page).live().public().in_menu())


@register.filter
def byline(authors):
    names = [author.name for author in authors]
    if len(names) <= 1:
        return "".join(names)
    from django.utils.translation import gettext

    return gettext("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
