"""The static copy (READERFUND_STATIC_EXPORT_DIR) is refreshed by a task after each publish,
unpublish or move, once the change is committed."""

from django.conf import settings
from django.db import transaction
from wagtail.signals import page_published, page_unpublished, post_page_move


def _refresh_static_copy(**kwargs):
    if settings.STATIC_EXPORT_DIR:
        from readerfund.tasks import export_static_copy

        transaction.on_commit(export_static_copy.enqueue)


for _signal in (page_published, page_unpublished, post_page_move):
    _signal.connect(_refresh_static_copy, dispatch_uid=f"static-copy-{id(_signal)}")
