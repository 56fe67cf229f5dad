from django import template

from contributions.money import Money

register = template.Library()


@register.filter
def money(amount, currency):
    """{{ month.revenue|money:month.currency }} → '$1,234.00' ('—' for None)."""
    return "—" if amount is None else Money(amount, currency).format()
