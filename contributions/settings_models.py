"""What staff set for giving on the website (Settings → Giving in the admin)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField

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
