"""`{% appeal_letter %}`: the end-of-article letter, the same for every reader."""

from django import template
from django.template.loader import render_to_string

from appeals import services
from readerfund.lib.fragments import kept

register = template.Library()

# This month's figures change without a publish (each gift): the kept letter is rendered
# again after this many seconds, well within the pages' max-age (60 s by default).
LETTER_TTL = 15


@register.simple_tag
def appeal_letter():
    """The rendered letter with its contribution form, identical on every article: built
    once per generation (appeals, currencies and presets bump it) and LETTER_TTL seconds,
    not on each page (it cost about a dozen queries)."""
    return kept("appeal-letter", _render_letter, ttl=LETTER_TTL)


def _render_letter() -> str:
    context = {"letter": services.default_letter(), "show_form": False}
    return render_to_string("appeals/includes/letter.html", context)


@register.simple_tag
def appeal_letter_lite():
    """The letter's words with plain links to give and to be reminded, for lite pages."""
    return kept("appeal-letter-lite", _render_lite_letter, ttl=LETTER_TTL)


def _render_lite_letter() -> str:
    context = {"letter": services.default_letter()}
    return render_to_string("appeals/includes/letter_lite.html", context)
