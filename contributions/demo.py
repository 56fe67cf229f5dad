"""Giving settings for the demo newsroom: other ways to give, so readers without a card (or
without JavaScript) see what a real newsroom would tell them. Loading twice changes nothing."""

from django.conf import settings
from wagtail.models import Site

from contributions.settings_models import EditionGiving, GivingSettings

OFFLINE_INSTRUCTIONS = (
    "<p>By bank transfer to <b>Northern Ledger Media Foundation</b>, "
    "IBAN XX00 0000 0000 0000 0000 00 (a fictional account: this is a demo), "
    "reference <i>READER</i>.</p>"
    "<p>By cheque to Northern Ledger Media Foundation, PO Box 000, Vellund.</p>"
)


OFFLINE_INSTRUCTIONS_RU = (
    "<p>Банковским переводом на счёт <b>Фонда «Северный вестник»</b>, "
    "IBAN XX00 0000 0000 0000 0000 00 (счёт выдуманный: это демонстрация), "
    "назначение платежа — <i>READER</i>.</p>"
    "<p>Чеком на имя Фонда «Северный вестник», абонентский ящик 000, Велунд.</p>"
)


def load() -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    giving = GivingSettings.for_site(site)
    if not giving.offline_instructions:
        russian = settings.LANGUAGE_CODE == "ru"
        giving.offline_instructions = OFFLINE_INSTRUCTIONS_RU if russian else OFFLINE_INSTRUCTIONS
        giving.save()
    # The other edition's words (the Russian one's under /ru/, or the English one's).
    other = "en" if settings.LANGUAGE_CODE == "ru" else "ru"
    text = OFFLINE_INSTRUCTIONS if other == "en" else OFFLINE_INSTRUCTIONS_RU
    EditionGiving.objects.get_or_create(language=other, defaults={"offline_instructions": text})
