"""The funding gap: what the ad-free commitment costs, exchange rates, and the rollups that
keep revenue figures without reading the ledger on a request.

Amounts are minor units (`int`) of the base currency (settings.READERFUND_BASE_CURRENCY)
unless a row says its currency. Rates are Decimals.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from contributions.models import Contributor, Frequency
from contributions.money import Money


def base_currency() -> str:
    return settings.READERFUND_BASE_CURRENCY


@register_setting(icon="view")
class FundingSettings(BaseGenericSetting):
    class Disclosure(models.TextChoices):
        TOTALS = "totals", _("Cost, amount raised, supporters and percent")
        PERCENT = "percent", _("Percent of the cost only")

    ads_off_since = models.DateField(
        _("ads switched off on"), null=True, blank=True, help_text=_("Shown on the dashboard.")
    )
    disclosure = models.CharField(
        _("public figures"),
        max_length=10,
        choices=Disclosure.choices,
        default=Disclosure.TOTALS,
        help_text=_(
            "What /funding.json and the ticker tell readers. Some newsrooms never disclose "
            "totals: 'percent only' leaves out the cost, the amount raised and supporters."
        ),
    )

    panels = [FieldPanel("ads_off_since"), FieldPanel("disclosure")]

    class Meta:
        verbose_name = _("funding")


class MonthlyCost(models.Model):
    """What the ad-free commitment costs a month, from a date until the next row's date."""

    effective_from = models.DateField(_("from"), unique=True)
    amount = models.PositiveBigIntegerField(
        _("monthly cost (minor units)"), help_text=_("In the base currency; 0 ends the cost.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["effective_from"]
        verbose_name = _("monthly cost")
        verbose_name_plural = _("monthly costs")
        permissions = [("view_dashboard", _("Can see the funding dashboard"))]

    def __str__(self):
        return _("%(amount)s a month from %(day)s") % {
            "amount": self.money,
            "day": self.effective_from.isoformat(),
        }

    @property
    def money(self) -> Money:
        return Money(self.amount, base_currency())


class ExchangeRate(models.Model):
    """How much one unit of `currency` is worth in the base currency on `day`."""

    day = models.DateField(_("day"))
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217"))
    rate = models.DecimalField(
        _("rate"),
        max_digits=24,
        decimal_places=12,
        help_text=_("Units of the base currency for one unit of this currency."),
    )
    source = models.CharField(_("source"), max_length=20, default="staff")

    class Meta:
        ordering = ["-day", "currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "day"], name="one_rate_per_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_is_positive"),
        ]

    def __str__(self):
        return f"{self.day.isoformat()} 1 {self.currency} = {self.rate} {base_currency()}"

    def clean(self):
        self.currency = (self.currency or "").strip().upper()
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise ValidationError({"currency": _("Use a three-letter ISO 4217 code.")})
        if self.currency == base_currency():
            raise ValidationError({"currency": _("The base currency needs no rate.")})


class DailyRevenue(models.Model):
    """The ledger summed per local day, currency and frequency, in that currency.

    Kept by funding.rollups as entries are written; `readerfund rebuild-rollups` recomputes
    it. Conversion happens when figures are read, at each day's rate, so a rate entered late
    corrects every figure at once.
    """

    day = models.DateField()
    currency = models.CharField(max_length=3)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    charges = models.BigIntegerField(default=0)
    charge_count = models.PositiveIntegerField(default=0)
    refunds = models.BigIntegerField(default=0)  # negative
    disputes = models.BigIntegerField(default=0)  # negative
    fees = models.BigIntegerField(default=0)  # negative
    new_recurring = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "currency", "frequency"], name="one_rollup_per_day"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.currency} {self.frequency}"


class Supporter(models.Model):
    """A contributor with at least one charge in a month (the first day of it)."""

    month = models.DateField()
    contributor = models.ForeignKey(Contributor, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "contributor"], name="one_supporter_a_month")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} #{self.contributor_id}"


class SupporterCount(models.Model):
    """How many supporters a month has, kept beside Supporter so no request counts rows."""

    month = models.DateField(unique=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.count}"
