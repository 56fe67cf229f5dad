"""Appeals: the public config the reader's browser decides from, the daily counts, and the
copy with this month's figures filled in.

The config is the same for every reader (no country, no state): targeting is sent as data and
applied in the browser. When a CDN names the reader's country (READERFUND_COUNTRY_HEADER),
the browser asks the uncached /appeals/country for it, only if an appeal targets countries.
"""

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from appeals import counting
from appeals.models import PLACEHOLDER, Appeal, AppealVariant
from contributions.money import Money, short_money
from funding import services as funding
from funding.models import FundingSettings
from newsroom.models import NewsroomSettings, edition_words
from readerfund.lib import l10n

# The events the browser reports, and the counter each one adds to.
EVENTS = {
    "impression": "impressions",
    "click": "clicks",
    "dismiss": "dismissals",
    "reminder": "reminders",
}


class BadEvent(ValueError):
    """The event names no active appeal and variant."""


class UnknownEvent(BadEvent):
    """The event's kind is not one we count, or a field is not text."""


# Figures and copy ------------------------------------------------------------------------


def figures() -> dict:
    """This month's public figures (funding's own service) and what the copy may say."""
    public = funding.public_figures()
    currency = public["currency"]
    ads_off = FundingSettings.load().ads_off_since
    values = {
        "newsroom": newsroom_name(),
        "ad_free_since": l10n.long_date(ads_off) if ads_off else "",
        "percent": _percent(public["percent"]),
        "monthly_cost": "",
        "raised": "",
        "gap": "",
        "supporters": "",
    }
    if "cost" in public:  # staff chose to disclose totals
        values |= {
            "monthly_cost": short_money(Money(public["cost"], currency)),
            "raised": short_money(Money(max(public["raised"], 0), currency)),
            "gap": short_money(Money(max(public["cost"] - public["raised"], 0), currency)),
            "supporters": l10n.number(public["supporters"]),
        }
    return {"public": public, "values": values}


def _percent(value: int | None) -> str:
    return "" if value is None else _("%(percent)s%%") % {"percent": value}


def newsroom_name() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    return edition_words(NewsroomSettings.for_site(site)).name if site else ""


def fill(text: str, values: dict, *, html: bool = False) -> str:
    """The text with {placeholders} replaced; unknown ones are left as written."""

    def replace(match):
        if match[1] not in values:
            return match[0]
        value = values[match[1]]
        return str(conditional_escape(value)) if html else value

    return PLACEHOLDER.sub(replace, text)


def ticker(public: dict) -> dict | None:
    """The gap ticker: percent of this month's cost raised, and how to say it."""
    if public["percent"] is None:
        return None
    percent = _percent(public["percent"])
    if "cost" in public:
        cost = short_money(Money(public["cost"], public["currency"]))
        label = _("%(percent)s of this month's %(cost)s raised") % {
            "percent": percent,
            "cost": cost,
        }
    else:
        label = _("%(percent)s of this month's costs raised") % {"percent": percent}
    return {"percent": public["percent"], "label": label, "month": public["month"]}


def support_url(appeal_slug: str, variant_key: str = "") -> str:
    query = {"appeal": appeal_slug} | ({"variant": variant_key} if variant_key else {})
    return f"{reverse('contributions:support')}?{urlencode(query)}"


def reminder_url(appeal_slug: str, variant_key: str = "") -> str:
    query = {"appeal": appeal_slug} | ({"variant": variant_key} if variant_key else {})
    return f"{reminders_url()}?{urlencode(query)}"


def reminders_url() -> str:
    """The reminders app's form (query: appeal, variant, …), in the active edition."""
    return reverse("reminders:new")


@dataclass
class Copy:
    """One variant's words as readers see them."""

    appeal: str
    variant: str
    heading: str
    body: str  # HTML
    button: str
    url: str


def copy_of(appeal: Appeal, variant: AppealVariant, values: dict) -> Copy:
    return Copy(
        appeal=appeal.slug,
        variant=variant.key,
        heading=fill(variant.heading, values),
        body=fill(expand_db_html(variant.body), values, html=True),
        button=variant.button_label or _("Support us"),
        url=support_url(appeal.slug, variant.key),
    )


# The public config ---------------------------------------------------------------------------


def current_appeals(now: datetime | None = None):
    """The active edition's active appeals (its own and those for every edition) that have
    not ended, including those that start later: the config may be kept until staff change
    an appeal, so the browser checks the dates itself."""
    now = now or timezone.now()
    return (
        Appeal.objects.filter(live=True)
        .filter(Q(language="") | Q(language=get_language()))
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .prefetch_related("variants", "include_sections", "exclude_sections")
        .prefetch_related("include_tags", "exclude_tags")
        .order_by("kind", "priority", "pk")
    )


def reader_config(now: datetime | None = None) -> dict:
    """What /appeals/config.json says: the same for every reader, with no personal data."""
    known = figures()
    appeals = [_appeal_config(appeal, known["values"]) for appeal in current_appeals(now)]
    return {
        "version": 1,
        "countryTargeting": bool(settings.READERFUND_COUNTRY_HEADER),
        "ticker": ticker(known["public"]),
        "reminders": reminders_url(),
        "appeals": [appeal for appeal in appeals if appeal["variants"]],
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _appeal_config(appeal: Appeal, values: dict) -> dict:
    variants = [variant for variant in appeal.variants.all() if variant.weight > 0]
    return {
        "id": appeal.slug,
        "kind": appeal.kind,
        "priority": appeal.priority,
        "starts": _iso(appeal.starts_at),
        "ends": _iso(appeal.ends_at),
        "sections": [section.slug for section in appeal.include_sections.all()],
        "excludeSections": [section.slug for section in appeal.exclude_sections.all()],
        "tags": [tag.slug for tag in appeal.include_tags.all()],
        "excludeTags": [tag.slug for tag in appeal.exclude_tags.all()],
        "minArticles": appeal.min_articles,
        "everyDays": appeal.cap_days,
        "dismissDays": appeal.dismiss_days,
        "gaveDays": appeal.gave_days,
        "countries": appeal.country_codes,
        "ticker": appeal.show_ticker,
        "variants": [
            {"id": variant.key, "weight": variant.weight} | _copy_config(appeal, variant, values)
            for variant in variants
        ],
    }


def _copy_config(appeal, variant, values) -> dict:
    words = copy_of(appeal, variant, values)
    return {"heading": words.heading, "body": words.body, "button": words.button, "url": words.url}


def reader_country(request) -> str:
    """The reader's country as the trusted CDN header names it, or '' (not configured,
    missing, or not a two-letter code, such as Cloudflare's XX and T1)."""
    header = settings.READERFUND_COUNTRY_HEADER
    if not header:
        return ""
    value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "").strip().upper()
    return value if len(value) == 2 and value.isalpha() and value not in ("XX", "T1") else ""


# The letter every reader's page carries ----------------------------------------------------


def default_letter(now: datetime | None = None) -> dict | None:
    """The end-of-article letter the server renders for everyone (and readers without
    JavaScript see): the first active letter's first variant. The browser may swap in
    another variant or letter, or hide it, from the config."""
    now = now or timezone.now()
    appeal = (
        current_appeals(now)
        .filter(kind=Appeal.Kind.LETTER)
        .filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now))
        .first()
    )
    if appeal is None:
        return None
    variant = next((v for v in appeal.variants.all() if v.weight > 0), None)
    if variant is None:
        return None
    words = copy_of(appeal, variant, figures()["values"])
    # No variant in the links: readers without JavaScript were assigned none.
    return {
        "copy": words,
        "variant": "",
        "support_url": support_url(appeal.slug),
        "reminder_url": reminder_url(appeal.slug),
    }


def preview(appeal: Appeal, variant: AppealVariant | None) -> dict:
    """The context of the admin's preview: the variant as readers see it, figures filled in."""
    known = figures()
    words = copy_of(appeal, variant, known["values"]) if variant else None
    key = words.variant if words else ""
    letter = {
        "copy": words,
        "variant": key,
        "support_url": support_url(appeal.slug, key),
        "reminder_url": reminder_url(appeal.slug, key),
    }
    return {
        "appeal": appeal,
        "copy": words,
        "ticker": ticker(known["public"]) if appeal.show_ticker else None,
        "letter": letter if words else None,
        "show_form": True,
    }


# Counting ---------------------------------------------------------------------------------------


def record_event(appeal: str, variant: str, event: str, day: date | None = None) -> None:
    """Add one to the day's counter of this appeal's variant: in this process's memory, in the
    database within READERFUND_APPEAL_EVENTS_FLUSH seconds (appeals/counting.py). BadEvent
    when the appeal, the variant or the event is unknown. Nothing about the reader is kept."""
    field = EVENTS.get(event) if isinstance(event, str) else None
    if field is None or not isinstance(appeal, str) or not isinstance(variant, str):
        raise UnknownEvent("unknown event")
    appeal_id = counting.appeal_id(appeal, variant)
    if appeal_id is None:
        raise BadEvent("unknown appeal or variant")
    counting.add(appeal_id, variant, day or timezone.localdate(), field)
