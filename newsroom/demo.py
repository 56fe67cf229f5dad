"""Load the demo newsroom: sections, authors, tags, articles and generated lead images, in
every edition the demo is written in (newsroom/demo_files.py): the site's language
(READERFUND_LANGUAGE) at the root, the others under their prefix (/ru/).

Loading twice changes nothing: every object is found by its slug or name first.
"""

import colorsys
import random
from datetime import UTC, datetime
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from newsroom import demo_files
from newsroom.models import (
    EDITION_WORDS,
    ArticlePage,
    Author,
    HomePage,
    NewsroomSettings,
    SectionPage,
)

IMAGE_SIZE = (1600, 900)


@transaction.atomic
def load() -> dict:
    """Create what is missing of the demo newsroom, one edition per language the demo is
    written in: the default one (READERFUND_LANGUAGE) at the root, the others as
    translations of it (each page sharing the translation_key of the default edition's page
    with its slug; an article with no such page has no translation). Return counts."""
    created, editions = 0, {}
    for language in _languages():
        content = demo_files.load(demo_files.directory_for(language))
        locale, _ = Locale.objects.get_or_create(language_code=language)
        if language == settings.LANGUAGE_CODE:
            home = _home(content.newsroom)
            _settings(home, content.newsroom)
        else:
            home = _edition_home(editions[settings.LANGUAGE_CODE], locale, content.newsroom)
        editions[language] = home
        default = editions[settings.LANGUAGE_CODE]
        sections = {spec["slug"]: _section(home, spec, default) for spec in content.sections}
        authors = {spec["name"]: _author(spec) for spec in content.authors}
        for spec in sorted(content.articles, key=lambda a: a["published"]):
            created += _article(sections[spec["section"]], authors, spec, default)
    return {"articles_created": created, "articles": ArticlePage.objects.count()}


def _languages() -> list[str]:
    """The default language first, then every other one the demo is written in."""
    others = [
        code
        for code, _ in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE and demo_files.written_in(code)
    ]
    return [settings.LANGUAGE_CODE, *others]


def _translation_of(default_home: HomePage, path_slugs: list[str]):
    """The default edition's page at these slugs below its home (its translation_key links
    a page to it), or None."""
    page = default_home
    for slug in path_slugs:
        page = page.get_children().filter(slug=slug).first()
        if page is None:
            return None
    return page


def _edition_home(default: HomePage, locale: Locale, newsroom: dict) -> HomePage:
    home = HomePage.objects.filter(translation_key=default.translation_key, locale=locale).first()
    if home is None:
        home = HomePage(
            title=newsroom["name"],
            slug=f"home-{locale.language_code}",
            locale=locale,
            translation_key=default.translation_key,
            **{f"newsroom_{word}": newsroom[word] for word in EDITION_WORDS},
        )
        default.get_parent().add_child(instance=home)
        home.save_revision().publish()
    return home


def _home(newsroom: dict) -> HomePage:
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if home is None:
        # Wagtail's first migration leaves a plain "Welcome" page (slug "home") and a site
        # pointing to it; the newsroom's home page takes its place.
        Page.objects.filter(depth=2, content_type__model="page").delete()
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title=newsroom["name"], slug="home"))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    # Canonical and feed links use the site's address: the one readers are given.
    public = urlsplit(settings.SITE_URL)
    port = public.port or (443 if public.scheme == "https" else 80)
    if (site.root_page_id, site.hostname, site.port) != (home.pk, public.hostname, port):
        site.root_page, site.hostname, site.port = home, public.hostname, port
        site.site_name = newsroom["name"]
        site.save()
    return home


def _settings(home: HomePage, newsroom: dict) -> None:
    site = Site.objects.get(root_page=home)
    settings_row = NewsroomSettings.for_site(site)
    if settings_row.name != newsroom["name"]:
        for field in ("name", "legal_name", "tagline", "about"):
            setattr(settings_row, field, newsroom[field])
        settings_row.save()


def _section(home: HomePage, spec: dict, default: HomePage) -> SectionPage:
    section = SectionPage.objects.child_of(home).filter(slug=spec["slug"]).first()
    if section is None:
        section = SectionPage(
            title=spec["title"], slug=spec["slug"], intro=spec["intro"], show_in_menus=True
        )
        _link(section, home, default, [spec["slug"]])
        home.add_child(instance=section)
        section.save_revision().publish()
    return section


def _author(spec: dict) -> Author:
    author, _ = Author.objects.get_or_create(name=spec["name"], defaults={"bio": spec["bio"]})
    return author


def _link(page: Page, home: HomePage, default: HomePage, slugs: list[str]) -> Page | None:
    """Make `page` (in `home`'s edition) the translation of the default edition's page at
    the same slugs, when there is one; return that page."""
    page.locale_id = home.locale_id
    original = _translation_of(default, slugs) if home.pk != default.pk else None
    if original is not None:
        page.translation_key = original.translation_key
    return original


def _article(section: SectionPage, authors: dict, spec: dict, default: HomePage) -> int:
    if ArticlePage.objects.child_of(section).filter(slug=spec["slug"]).exists():
        return 0
    published = datetime.fromisoformat(spec["published"]).replace(tzinfo=UTC)
    updated = spec.get("updated")
    article = ArticlePage(
        title=spec["headline"],
        slug=spec["slug"],
        standfirst=spec["standfirst"],
        lead_image_caption=spec["image"]["caption"],
        lead_image_credit=spec["image"]["credit"],
        body=[_block(kind, value) for kind, value in spec["body"]],
        first_published_at=published,
        updated_at=(datetime.fromisoformat(updated).replace(tzinfo=UTC) if updated else None),
    )
    article.authors = [authors[name] for name in spec["authors"]]
    home = section.get_parent().specific
    original = _link(article, home, default, [section.slug, spec["slug"]])
    # A translation shows the original's picture (the same painting, made once).
    article.lead_image = original.specific.lead_image if original else _lead_image(spec)
    section.add_child(instance=article)
    article.tags.set(spec["tags"])
    article.save()
    article.save_revision().publish()
    return 1


def _block(kind: str, value):
    if kind == "paragraph":
        return ("paragraph", f"<p>{value}</p>")
    if kind == "quote":
        return ("quote", {"text": value["text"], "attribution": value.get("attribution", "")})
    return (kind, value)


def _lead_image(spec: dict):
    title = f"Demo: {spec['headline'][:200]}"
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    data = _painting(spec["slug"], spec["image"]["hue"])
    image = Image(title=title, file=ImageFile(data, name=f"{spec['slug']}.jpg"))
    image.save()
    return image


def _painting(seed: str, hue: int) -> BytesIO:
    """An abstract landscape in the article's hue: generated here, nothing is downloaded."""
    rng = random.Random(seed)
    width, height = IMAGE_SIZE
    canvas = PILImage.new("RGB", IMAGE_SIZE)
    draw = ImageDraw.Draw(canvas)
    for y in range(height):
        light = 0.82 - 0.45 * y / height
        r, g, b = colorsys.hls_to_rgb(hue / 360, light, 0.35)
        draw.line([(0, y), (width, y)], fill=(int(r * 255), int(g * 255), int(b * 255)))
    for layer in range(5):
        base = height * (0.45 + layer * 0.11)
        points = [(0, height)]
        for x in range(0, width + 80, 80):
            points.append((x, base + rng.uniform(-60, 60) * (1 - layer * 0.15)))
        points.append((width, height))
        shade = colorsys.hls_to_rgb(((hue + layer * 12) % 360) / 360, 0.55 - layer * 0.09, 0.4)
        draw.polygon(points, fill=tuple(int(c * 255) for c in shade))
    sun = (rng.randint(200, width - 200), rng.randint(80, int(height * 0.35)))
    draw.ellipse([sun[0] - 70, sun[1] - 70, sun[0] + 70, sun[1] + 70], fill=(250, 240, 220))
    canvas = canvas.filter(ImageFilter.GaussianBlur(1.2))
    out = BytesIO()
    canvas.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    out.seek(0)
    return out
