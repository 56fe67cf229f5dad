"""What staff set for giving on the website: the currencies and their limits, the amounts
offered, the ways to give switched off, and Settings → Giving in the admin."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.snippets.models import register_snippet

from contributions.money import Money
from contributions.states import Frequency

# Text formatting only: no images or embeds, which could load something from elsewhere.
INSTRUCTION_FEATURES = ["bold", "italic", "link", "ol", "ul"]


@register_setting(icon="doc-full")
class GivingSettings(BaseSiteSetting):
    offline_instructions = RichTextField(
        _("other ways to give"),
        features=INSTRUCTION_FEATURES,
        blank=True,
        help_text=_(
            "Shown on the checkout page to readers who cannot or will not pay by card, and "
            "to readers without JavaScript: bank name, account holder, IBAN and reference, "
            "postal address for cheques."
        ),
    )

    panels = [FieldPanel("offline_instructions")]

    class Meta:
        verbose_name = _("giving")


@register_snippet
class EditionGiving(models.Model):
    """What an edition other than the default one tells its readers in its own words (the
    default edition's is GivingSettings'); no row: GivingSettings' text."""

    language = models.CharField(_("edition"), max_length=8, choices=settings.LANGUAGES, unique=True)
    offline_instructions = RichTextField(
        _("other ways to give"), features=INSTRUCTION_FEATURES, blank=True
    )

    panels = [FieldPanel("language"), FieldPanel("offline_instructions")]

    class Meta:
        verbose_name = _("giving in an edition")
        verbose_name_plural = _("giving in the editions")

    def __str__(self):
        return str(dict(settings.LANGUAGES).get(self.language, self.language))


def offline_instructions(request) -> str:
    """The other ways to give, in the request's edition's words where staff wrote them."""
    own = EditionGiving.objects.filter(language=get_language()).first()
    if own is not None and own.offline_instructions:
        return own.offline_instructions
    return GivingSettings.for_request(request).offline_instructions


class ProviderSwitch(models.Model):
    """Staff switched a payment provider off (or on again). No row: the provider is on when
    it is configured. Off: the form stops offering it at once, its renewals pause, and its
    recurring donors are told once (`contributions.services.switching`)."""

    name = models.CharField(_("provider"), max_length=20, unique=True)
    enabled = models.BooleanField(_("offered to readers"), default=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment provider")
        verbose_name_plural = _("payment providers")

    def __str__(self):
        return self.name


class CurrencyOption(models.Model):
    """A currency readers may give in, with its limits (card testers probe with 1.00)."""

    code = models.CharField(_("currency"), max_length=3, unique=True, help_text=_("ISO 4217"))
    minimum = models.PositiveIntegerField(_("minimum (minor units)"), default=200)
    maximum = models.PositiveIntegerField(_("maximum (minor units)"), default=1_000_000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    enabled = models.BooleanField(_("offered to readers"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")

    def __str__(self):
        return self.code

    @property
    def minimum_money(self) -> Money:
        return Money(self.minimum, self.code)

    @property
    def maximum_money(self) -> Money:
        return Money(self.maximum, self.code)


class AmountPreset(models.Model):
    """The amounts offered for one currency and frequency, one of them preselected."""

    currency = models.ForeignKey(CurrencyOption, on_delete=models.CASCADE, related_name="presets")
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    amounts = models.JSONField(_("amounts (minor units)"), default=list)
    default_amount = models.PositiveIntegerField(_("preselected amount (minor units)"))

    class Meta:
        verbose_name = _("preset amounts")
        verbose_name_plural = _("preset amounts")
        constraints = [
            models.UniqueConstraint(fields=["currency", "frequency"], name="one_preset_per_pair")
        ]

    def __str__(self):
        return f"{self.currency.code} {self.get_frequency_display()}"
