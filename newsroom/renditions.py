"""Image renditions made when an image is saved, not when a reader first asks for them.

Wagtail makes a rendition the first time a template asks for it. An article's lead image
alone is nine (AVIF, WebP and JPEG at three widths) plus the card's and the link preview's:
1.5 to 3.5 s of CPU for an image no page has shown yet. Left to readers, a crawler walking
the archive would pay for every one at once, and keep the render slots busy while it did
(bench/pages.py, long tail). So a worker makes them all as soon as an image is saved
(newsroom/signals.py), and `readerfund renditions` makes any that are missing (after an
import, or a change of the specs below).

SPECS lists every rendition the reader templates ask for; tests/newsroom/test_renditions.py
renders every kind of page after `prepare` and fails if any rendition is still made then.
"""

from django_tasks import task
from wagtail.images import get_image_model
from wagtail.images.models import Filter

SPECS = [
    *Filter.expand_spec("format-{avif,webp,jpeg} width-{640,960,1280}"),  # article_page.html
    "fill-480x270",  # includes/card.html
    "fill-960x540",  # includes/card.html, large
    "fill-1200x630",  # article_page.html, the link preview (og:image)
    "width-960",  # blocks/image.html, feed_item.html
]


def prepare(image) -> None:
    """Make every rendition of `image` the reader pages use, if it is not made yet."""
    image.get_renditions(*SPECS)


@task()
def prepare_renditions(image_id: int) -> None:
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:  # deleted since
        prepare(image)
