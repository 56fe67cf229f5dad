"""Forget kept pages whenever what readers see may have changed."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from newsroom import renditions
from newsroom.models import Author, NewsroomSettings
from readerfund.lib import pagecache


def _forget_pages(**kwargs):
    transaction.on_commit(pagecache.bump)


@receiver(page_published, dispatch_uid="pagecache-published")
def _forget_published(instance, **kwargs):
    """Only the pages that show what was published (an article: itself, its lists, the
    pages whose Read more may list it); a section or the home page: every page."""
    tags = getattr(instance.specific, "publish_tags", lambda: None)()
    transaction.on_commit(lambda: pagecache.bump(tags))


# Unpublishing, moving and renaming are rare and reach links on other pages: forget all.
for _signal in (page_unpublished, page_slug_changed, post_page_move):
    _signal.connect(_forget_pages, dispatch_uid=f"pagecache-{id(_signal)}")


@receiver(post_delete, sender=Page, dispatch_uid="pagecache-page-deleted")
@receiver(post_save, sender=Author, dispatch_uid="pagecache-author")
@receiver(post_delete, sender=Author, dispatch_uid="pagecache-author-deleted")
@receiver(post_save, sender=NewsroomSettings, dispatch_uid="pagecache-settings")
@receiver(post_save, sender=get_image_model(), dispatch_uid="pagecache-image")
# Reader pages keep these per generation (newsroom/kept.py): whether any page is
# restricted, and which Site answers a host.
@receiver(post_save, sender=PageViewRestriction, dispatch_uid="pagecache-restriction")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="pagecache-restriction-deleted")
@receiver(post_save, sender=Site, dispatch_uid="pagecache-site")
@receiver(post_delete, sender=Site, dispatch_uid="pagecache-site-deleted")
def _forget_pages_on_change(**kwargs):
    _forget_pages()


@receiver(post_save, sender=get_image_model(), dispatch_uid="renditions-image-saved")
def _prepare_renditions(instance, **kwargs):
    """Make the image's renditions in a worker now, not in a reader's request later."""
    image_id = instance.pk
    transaction.on_commit(lambda: renditions.prepare_renditions.enqueue(image_id))
