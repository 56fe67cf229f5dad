"""The contribution form, one component for every place that asks readers to give.

`/support/` renders it, and so does the end-of-article appeal: `{% load giving %}
{% contribution_form choice %}` (or `{% contribution_form appeal="…" variant="…" %}` for the
defaults), with `contributions/support.js` on the page. The form is a plain GET form to the
checkout step, so it works without JavaScript; the script only swaps the preset amounts when
the reader changes the frequency or the currency. What the reader chose is read by
contributions/choice.py.
"""

from django import template

from contributions.choice import Choice, read_choice, ways_marks
from contributions.models import Frequency
from contributions.money import Money, short_money
from readerfund.lib import l10n

register = template.Library()


# Display --------------------------------------------------------------------------------------


def currency_prefix(code: str) -> str:
    return l10n.currency_symbol(code)


def presets_for_script(choice: Choice) -> dict:
    """Every currency's presets per frequency, for support.js to switch between."""
    data = {}
    for option in choice.currencies:
        data[option.code] = {"prefix": currency_prefix(option.code), "frequencies": {}}
        for preset in option.presets.all():
            amounts = [Money(int(value), option.code) for value in preset.amounts]
            data[option.code]["frequencies"][preset.frequency] = {
                "amounts": [{"value": str(m.major), "label": short_money(m)} for m in amounts],
                "default": str(Money(preset.default_amount, option.code).major),
            }
    return data


@register.inclusion_tag("contributions/includes/contribution_form.html")
def contribution_form(choice=None, prefix="give", appeal="", variant=""):
    """The form: frequency, amount (presets and other), currency, Continue."""
    if choice is None:
        choice = read_choice({"appeal": appeal, "variant": variant})
    presets = [
        {"value": str(money.major), "label": short_money(money), "checked": money == choice.amount}
        for money in choice.presets()
    ]
    return {
        "choice": choice,
        "prefix": prefix,
        "presets_id": f"{prefix}-presets",
        "frequencies": Frequency.choices,
        "presets": presets,
        "presets_data": presets_for_script(choice),
        "currency_prefix": currency_prefix(choice.currency) if choice.currency else "",
        "open": bool(choice.currencies),
        "marks": ways_marks(choice),
    }


@register.filter
def money(value: Money) -> str:
    return value.format() if value is not None else ""
