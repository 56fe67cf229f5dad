"""Image renditions are made when an image is saved, so that no reader request makes one."""

import io
import re

import pytest
from django.core.management import call_command
from wagtail.images.models import Rendition

from newsroom import renditions
from tests import factories

pytestmark = pytest.mark.django_db


def test_after_prepare_no_reader_page_makes_a_rendition(client, newsroom, author):
    image, body_image = factories.make_image("Lead"), factories.make_image("In the body")
    article = factories.make_article(newsroom["news"], "Pictured", image=image, authors=[author])
    article.body = [("image", {"image": body_image, "caption": "Inside", "credit": ""})]
    article.save_revision().publish()
    for each in (image, body_image):
        renditions.prepare(each)
    made = Rendition.objects.count()
    assert made == 2 * len(renditions.SPECS)
    for path in (article.url, "/", newsroom["news"].url, "/feed/", f"{newsroom['news'].url}feed/"):
        assert client.get(path).status_code == 200
    assert Rendition.objects.count() == made, "a template asks for a spec SPECS does not list"


def test_saving_an_image_has_a_worker_make_its_renditions(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = factories.make_image()  # the tests' task backend runs the task at once
    specs = set(Rendition.objects.filter(image_id=image.pk).values_list("filter_spec", flat=True))
    assert specs == set(renditions.SPECS)


def test_the_command_makes_what_is_missing(newsroom):
    image = factories.make_image()
    Rendition.objects.all().delete()
    call_command("renditions", stdout=io.StringIO())
    assert Rendition.objects.filter(image=image).count() == len(renditions.SPECS)


def test_kept_renditions_follow_a_change_to_the_image(
    client, newsroom, author, django_capture_on_commit_callbacks
):
    # Reader pages keep an image's renditions per publish generation (kept_images): moving
    # the focal point makes new renditions, and the next render must show them, not the kept.
    with django_capture_on_commit_callbacks(execute=True):
        image = factories.make_image("Lead")
        article = factories.make_article(newsroom["news"], "Framed", image=image, authors=[author])
    before = client.get(article.url).content.decode()
    section_before = client.get(newsroom["news"].url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        image.focal_point_x, image.focal_point_y = 10, 10
        image.focal_point_width, image.focal_point_height = 20, 20
        image.save()  # bumps the generation (newsroom/signals.py)
    after = client.get(article.url).content.decode()
    section_after = client.get(newsroom["news"].url).content.decode()

    # The section's card: an <img> whose markup is kept too, not only its renditions.
    card = re.compile(r"<img [^>]*/media/images/[^\s\"]+\.fill-(?:480x270|960x540)\.[^>]*>")
    (old_card,), (new_card,) = card.findall(section_before), card.findall(section_after)
    assert old_card != new_card, "the section still shows the old crop"

    # A crop (fill-, the og:image) follows the focal point; widths do not depend on it.
    crop = re.compile(r"/media/images/[^\s\"]+\.fill-1200x630\.jpg")
    (old,), (new,) = crop.findall(before), crop.findall(after)
    assert old != new, "a render after the change still shows the old crop"
    assert new == image.get_rendition("fill-1200x630").url
