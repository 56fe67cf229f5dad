"""`{% appeal_letter %}`: the end-of-article letter, the same for every reader."""

from django import template

from appeals import services

register = template.Library()


@register.inclusion_tag("appeals/includes/letter.html")
def appeal_letter():
    return {"letter": services.default_letter(), "show_form": False}
