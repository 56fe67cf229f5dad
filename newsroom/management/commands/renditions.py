"""`readerfund renditions`: make every image's renditions that the reader pages use and that
are not made yet (after an import, or when the specs in newsroom/renditions.py change)."""

import time

from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from newsroom import renditions


class Command(BaseCommand):
    help = "Make the image renditions reader pages use that are missing (newsroom/renditions.py)."

    def handle(self, *args, **options):
        started = time.monotonic()
        images = get_image_model().objects.order_by("pk")
        for image in images.iterator():
            renditions.prepare(image)
        self.stdout.write(
            f"{images.count()} images have their renditions ({time.monotonic() - started:.1f} s)."
        )
