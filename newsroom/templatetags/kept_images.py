"""Wagtail's `{% image %}` and `{% picture %}`, with the renditions kept per generation.

Wagtail's tags parse their filter specs, look each rendition up in the renditions cache
(unpickling it) and write it back (pickling it) on every render: about 1 ms of an article's
~8 ms for the lead picture's nine renditions, though they change only when the image does.
These tags look the renditions up once per process and publish generation (saving an image
bumps it, newsroom/signals.py) and render the same markup as Wagtail's, kept too (a lead
picture's markup, nine URLs each joined by the storage, cost 0.7 ms of a 5 ms render):

    {% kept_image image "fill-480x270" loading="lazy" alt="" %}
    {% kept_rendition image "fill-1200x630" as og %}    (the Rendition, for its url)
    {% kept_picture image "format-{avif,webp,jpeg} width-{640,960,1280}" sizes="…" alt=… %}
"""

from django import template
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from readerfund.lib.fragments import kept

register = template.Library()


def renditions(image, spec: str) -> dict:
    """The image's renditions for `spec` (braces expanded, as Wagtail's tags do), by filter
    spec, kept. Shared by the threads of the process: never change them."""

    def build():
        filters = [Filter(spec=one) for one in Filter.expand_spec(spec)]
        return get_renditions_or_not_found(image, filters)

    return kept(("renditions", image.pk, image.file.name, spec), build)


@register.simple_tag
def kept_image(image, spec: str, **attrs):
    """One rendition's `<img>`; "" without an image, as Wagtail's tag."""
    if not image:
        return ""

    def build():
        (rendition,) = renditions(image, spec).values()
        return rendition.img_tag(attrs)

    return _markup("img", image, spec, attrs, build)


@register.simple_tag
def kept_rendition(image, spec: str):
    """One rendition itself (`{% kept_rendition image "width-960" as img %}`), for its url,
    width and height; None without an image."""
    if not image:
        return None
    (rendition,) = renditions(image, spec).values()
    return rendition


@register.simple_tag
def kept_picture(image, spec: str, **attrs):
    """A `<picture>` of the image's renditions for `spec`; "" without an image."""
    if not image:
        return ""

    def build():
        return Picture(renditions(image, spec), attrs).__html__()  # safe, as Wagtail marks it

    return _markup("picture", image, spec, attrs, build)


def _markup(kind: str, image, spec: str, attrs: dict, build):
    """The tag's markup, kept per image, spec and attributes (see above)."""
    return kept((kind, image.pk, image.file.name, spec, *sorted(attrs.items())), build)
