"""What staff set for giving on the website (Settings → Giving in the admin)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.snippets.models import register_snippet

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
