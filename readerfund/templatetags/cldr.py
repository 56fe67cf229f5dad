"""Template filters for dates and money in the page's language (readerfund/lib/l10n.py):
`{{ day|long_date }}` → '1 января 2027 г.', `{{ day|month_year }}` → 'декабрь 2026'.
Loaded everywhere (a builtin in settings.TEMPLATES), like Django's own `date` filter."""

from datetime import date, datetime

from django import template
from django.utils import timezone

from readerfund.lib import l10n

register = template.Library()


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value if isinstance(value, date) else None


@register.filter
def long_date(value) -> str:
    day = _day(value)
    return l10n.long_date(day) if day else ""


@register.filter
def month_year(value) -> str:
    day = _day(value)
    return l10n.month(day) if day else ""
