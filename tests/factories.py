"""Plain factories named after the newsroom's nouns."""

from datetime import UTC, datetime
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from newsroom.models import ArticlePage, Author, HomePage, NewsroomSettings, SectionPage


def make_home(name="The Test Ledger") -> HomePage:
    Page.objects.filter(depth=2, content_type__model="page").delete()
    # A transactional test starts from an emptied database, without Wagtail's root page.
    Locale.objects.get_or_create(language_code="en")
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title=name, slug="home"))
    home.save_revision().publish()
    Site.objects.all().delete()
    site = Site.objects.create(hostname="testserver", port=80, is_default_site=True, root_page=home)
    settings = NewsroomSettings.for_site(site)
    settings.name, settings.tagline = name, "Independent. Ad-free. Reader-funded."
    settings.save()
    return home


def make_section(home, title="News", slug=None, translation_of=None) -> SectionPage:
    section = SectionPage(title=title, slug=slug or title.lower(), show_in_menus=True)
    section.locale_id = home.locale_id
    if translation_of is not None:
        translated(section, translation_of)
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


def make_image(title="A picture", color=(120, 60, 30)):
    out = BytesIO()
    PILImage.new("RGB", (320, 180), color).save(out, "JPEG")
    out.seek(0)
    return get_image_model().objects.create(title=title, file=ImageFile(out, name="pic.jpg"))


def make_article(
    section,
    title="A story",
    *,
    tags=(),
    published=datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
    authors=(),
    image=None,
    credit="Ledger Photo",
    body=None,
    live=True,
    slug=None,
    translation_of=None,
) -> ArticlePage:
    article = ArticlePage(
        title=title,
        standfirst=f"What you need to know about {title.lower()}.",
        lead_image=image,
        lead_image_caption="A caption" if image else "",
        lead_image_credit=credit if image else "",
        body=body
        or [
            ("paragraph", f"<p>First paragraph of {title}.</p>"),
            ("subhead", "What happened next"),
            ("quote", {"text": "We will keep reporting.", "attribution": "An editor"}),
            ("paragraph", "<p>Second paragraph.</p>"),
        ],
        first_published_at=published,
    )
    article.authors = list(authors)
    article.locale_id = section.locale_id
    if slug:
        article.slug = slug
    if translation_of is not None:
        translated(article, translation_of)
    section.add_child(instance=article)
    article.tags.set(list(tags))
    article.save()
    revision = article.save_revision()
    if live:
        revision.publish()
    else:
        article.unpublish()
    return ArticlePage.objects.get(pk=article.pk)


def make_author(name="Mira Kovac", bio="Covers the courts.") -> Author:
    return Author.objects.create(name=name, bio=bio)


def make_edition(home, language="ru", name="Тестовый вестник") -> HomePage:
    """Another edition of the newsroom: `home`'s translation in `language` (a sibling of it,
    sharing its translation_key), served under /<language>/."""
    locale, _ = Locale.objects.get_or_create(language_code=language)
    edition = HomePage(
        title=name,
        slug=f"home-{language}",
        locale=locale,
        translation_key=home.translation_key,
        newsroom_name=name,
    )
    home.get_parent().add_child(instance=edition)
    edition.save_revision().publish()
    return edition


def translated(page, into):
    """Make the page being built (`page`, not saved yet) the translation of `into` (a saved
    page in the default edition): same translation_key."""
    page.translation_key = into.translation_key
    return page
