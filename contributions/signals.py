"""Forget kept pages when what /support/ shows changes (presets, currencies, instructions)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from contributions.models import AmountPreset, CurrencyOption
from contributions.settings_models import EditionGiving, GivingSettings
from readerfund.lib import pagecache


@receiver(post_save, sender=AmountPreset, dispatch_uid="pagecache-preset")
@receiver(post_delete, sender=AmountPreset, dispatch_uid="pagecache-preset-deleted")
@receiver(post_save, sender=CurrencyOption, dispatch_uid="pagecache-currency")
@receiver(post_delete, sender=CurrencyOption, dispatch_uid="pagecache-currency-deleted")
@receiver(post_save, sender=GivingSettings, dispatch_uid="pagecache-giving")
@receiver(post_save, sender=EditionGiving, dispatch_uid="pagecache-edition-giving")
@receiver(post_delete, sender=EditionGiving, dispatch_uid="pagecache-edition-giving-deleted")
def _forget_pages(**kwargs):
    transaction.on_commit(pagecache.bump)
