"""Forget kept pages whenever what readers see may have changed."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from newsroom.models import Author, NewsroomSettings
from readerfund.lib import pagecache


def _forget_pages(**kwargs):
    transaction.on_commit(pagecache.bump)


for _signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
    _signal.connect(_forget_pages, dispatch_uid=f"pagecache-{id(_signal)}")


@receiver(post_delete, sender=Page, dispatch_uid="pagecache-page-deleted")
@receiver(post_save, sender=Author, dispatch_uid="pagecache-author")
@receiver(post_delete, sender=Author, dispatch_uid="pagecache-author-deleted")
@receiver(post_save, sender=NewsroomSettings, dispatch_uid="pagecache-settings")
@receiver(post_save, sender=get_image_model(), dispatch_uid="pagecache-image")
def _forget_pages_on_change(**kwargs):
    _forget_pages()
