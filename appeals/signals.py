"""Forget kept pages (and the kept /appeals/config.json) whenever an appeal changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from appeals.models import Appeal, AppealVariant
from readerfund.lib import pagecache


@receiver(post_save, sender=Appeal, dispatch_uid="pagecache-appeal")
@receiver(post_delete, sender=Appeal, dispatch_uid="pagecache-appeal-deleted")
@receiver(post_save, sender=AppealVariant, dispatch_uid="pagecache-appeal-variant")
@receiver(post_delete, sender=AppealVariant, dispatch_uid="pagecache-appeal-variant-deleted")
def _forget_pages(**kwargs):
    transaction.on_commit(pagecache.bump)
