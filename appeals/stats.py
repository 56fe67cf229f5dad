"""How each variant of an appeal does: impressions, clicks, closes and reminders (the daily
counts), conversions and money raised (contributions whose support URL carried the appeal and
variant), the conversion rate with a 95% confidence interval, and a winner only when the
difference is significant.

A conversion is a contribution whose first payment succeeded. Money raised is the sum of its
ledger charges (renewals included), converted to the base currency at each day's rate, as the
funding figures are; what has no rate is listed apart. Rates are ratios, so floats are fine
here; money stays in integer minor units.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from appeals.models import Appeal, AppealCount
from appeals.services import fill, newsroom_name
from contributions.models import Contribution, LedgerEntry, Payment
from contributions.money import Money
from funding.models import base_currency
from funding.rates import RateBook

Z_95 = 1.959963984540054  # two-sided 95%
ALPHA = 0.05
MIN_IMPRESSIONS = 100  # per variant, before any winner is named


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion: sound for small counts and rates near 0."""
    if trials <= 0:
        return (0.0, 0.0)
    successes = min(successes, trials)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    margin = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return (max(0.0, centre - margin), min(1.0, centre + margin))


def two_proportion_p_value(c1: int, n1: int, c2: int, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test (1.0 when it cannot tell)."""
    if n1 <= 0 or n2 <= 0:
        return 1.0
    c1, c2 = min(c1, n1), min(c2, n2)
    pooled = (c1 + c2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if spread == 0:
        return 1.0
    z = (c1 / n1 - c2 / n2) / spread
    return math.erfc(abs(z) / math.sqrt(2))


def percent_text(ratio: float) -> str:
    return _("%(percent)s%%") % {"percent": number_format(ratio * 100, decimal_pos=2)}


@dataclass
class VariantStats:
    key: str
    label: str = ""
    current: bool = True  # False: no longer a variant of the appeal
    weight: int = 0
    impressions: int = 0
    clicks: int = 0
    dismissals: int = 0
    reminders: int = 0
    conversions: int = 0
    raised: int = 0  # base currency, minor units
    currency: str = ""
    unconverted: dict = field(default_factory=dict)  # currency → minor units

    @property
    def rate(self) -> float | None:
        return min(self.conversions / self.impressions, 1.0) if self.impressions else None

    @property
    def click_rate(self) -> float | None:
        return min(self.clicks / self.impressions, 1.0) if self.impressions else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.conversions, self.impressions) if self.impressions else None

    @property
    def rate_text(self) -> str:
        return percent_text(self.rate) if self.rate is not None else ""

    @property
    def interval_text(self) -> str:
        if self.interval is None:
            return ""
        low, high = self.interval
        return f"{percent_text(low)} – {percent_text(high)}"

    @property
    def raised_money(self) -> Money:
        return Money(self.raised, self.currency)

    @property
    def unconverted_money(self) -> list[Money]:
        return [Money(amount, code) for code, amount in sorted(self.unconverted.items())]


@dataclass
class AppealStats:
    appeal: Appeal
    variants: list[VariantStats]
    winner: VariantStats | None
    p_value: float | None  # of the best variant against the closest other, when compared


def appeal_stats(appeal: Appeal) -> AppealStats:
    rows = _rows(appeal)
    _add_counts(appeal, rows)
    _add_conversions(appeal, rows)
    _add_raised(appeal, rows)
    variants = [rows[key] for key in sorted(rows, key=lambda k: (not rows[k].current, _order(k)))]
    winner, p_value = pick_winner([v for v in variants if v.current])
    return AppealStats(appeal, variants, winner, p_value)


def _order(key: str):
    return (key == "", key)


def _rows(appeal: Appeal) -> dict[str, VariantStats]:
    currency = base_currency()
    values = {"newsroom": newsroom_name()}  # the heading as readers see it, not "{newsroom}"
    rows = {}
    for variant in appeal.variants.all():
        label = fill(variant.heading, values) or variant.key
        rows[variant.key] = VariantStats(
            variant.key, label, weight=variant.weight, currency=currency
        )
    return rows


def _row(rows, key: str) -> VariantStats:
    if key not in rows:
        rows[key] = VariantStats(key, key, current=False, currency=base_currency())
    return rows[key]


def _add_counts(appeal: Appeal, rows) -> None:
    sums = (
        AppealCount.objects.filter(appeal=appeal)
        .values("variant")
        .annotate(
            impressions=Sum("impressions"),
            clicks=Sum("clicks"),
            dismissals=Sum("dismissals"),
            reminders=Sum("reminders"),
        )
        .order_by()
    )
    for total in sums:
        row = _row(rows, total["variant"])
        for name in ("impressions", "clicks", "dismissals", "reminders"):
            setattr(row, name, total[name] or 0)


def _add_conversions(appeal: Appeal, rows) -> None:
    converted = (
        Contribution.objects.filter(
            appeal=appeal.slug, payments__period=0, payments__status=Payment.Status.SUCCEEDED
        )
        .values("variant")
        .annotate(count=Count("id", distinct=True))
        .order_by()
    )
    for total in converted:
        _row(rows, total["variant"]).conversions = total["count"]


def _add_raised(appeal: Appeal, rows) -> None:
    charges = list(
        LedgerEntry.objects.filter(contribution__appeal=appeal.slug, kind=LedgerEntry.Kind.CHARGE)
        .annotate(day=TruncDate("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values_list("contribution__variant", "currency", "day")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    if not charges:
        return
    book = RateBook(
        {currency for _, currency, _, _ in charges},
        until=max(day for _, _, day, _ in charges),
        since=min(day for _, _, day, _ in charges),
    )
    missing = defaultdict(lambda: defaultdict(int))
    for variant, currency, day, total in charges:
        converted = book.convert(total, currency, day)
        if converted is None:
            missing[variant][currency] += total
        else:
            _row(rows, variant).raised += converted
    for variant, amounts in missing.items():
        _row(rows, variant).unconverted = dict(amounts)


def pick_winner(variants: list[VariantStats], alpha: float = ALPHA):
    """The variant with the best conversion rate, named only when it beats every other one
    significantly (two-proportion z-test, Bonferroni-corrected for the comparisons) and
    each has at least MIN_IMPRESSIONS impressions. Returns (winner or None, p-value of the
    least certain comparison, or None when nothing was compared)."""
    shown = [v for v in variants if v.impressions]
    if len(shown) < 2:
        return None, None
    best = max(shown, key=lambda v: (v.rate, v.impressions))
    others = [v for v in shown if v is not best]
    p_value = max(
        two_proportion_p_value(best.conversions, best.impressions, v.conversions, v.impressions)
        for v in others
    )
    enough = all(v.impressions >= MIN_IMPRESSIONS for v in shown)
    better = all(best.rate > v.rate for v in others)
    if enough and better and p_value < alpha / len(others):
        return best, p_value
    return None, p_value
