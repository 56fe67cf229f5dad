"""Publishing: the newsroom's pages (home, sections, articles), authors and tags.

Every reader page is the same for every reader, so it is marked public and cacheable; the
newsroom knows nothing of money (appeals fill the named slots in the templates).
"""

import copy
import functools

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection, models
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from newsroom import kept
from newsroom.archive import ARCHIVE, ArchivePage
from newsroom.blocks import ArticleBody
from newsroom.feeds import ArticleFeed
from readerfund.lib import fragments
from readerfund.lib.http import make_public, tag
from readerfund.lib.prepared import Prepared

READ_MORE_LIMIT = 6
# In request.META: articles the static export read in one query for the pages it renders
# next (readerfund/export.py), never set by an HTTP request.
READ_AHEAD = "readerfund.read_ahead"
SECTION_PAGE_SIZE = 12


@register_setting(icon="site")
class NewsroomSettings(BaseSiteSetting):
    name = models.CharField(_("newsroom name"), max_length=120, default="Readerfund Newsroom")
    legal_name = models.CharField(
        _("legal name"), max_length=200, blank=True, help_text=_("Shown on receipts.")
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    about = models.TextField(_("about the newsroom"), blank=True)

    class Meta:
        verbose_name = _("newsroom")


@register_snippet
class Author(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=120)
    bio = models.TextField(_("short bio"), blank=True, max_length=600)

    panels = [FieldPanel("name"), FieldPanel("bio")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "newsroom.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class PublicPageMixin:
    """A page readers see: public and cacheable unless staff restricted who may view it."""

    def serve(self, request, *args, **kwargs):
        # The page's own URLs (canonical, og:url) asked without the request: from the roots
        # the request has (newsroom/middleware.py), not Wagtail's cache (a file read, or Redis).
        roots = getattr(request, "_wagtail_cached_site_root_paths", None)
        if roots is not None:
            self._wagtail_cached_site_root_paths = roots
        response = super().serve(request, *args, **kwargs)
        if not self.get_view_restrictions().exists():
            make_public(response)
            tag(response, *self.cache_tags(getattr(response, "context_data", None) or {}))
        return response

    def cache_tags(self, context) -> list[str]:
        """What this page shows, for the page cache: itself and the list of its children."""
        return [f"page:{self.pk}", f"list:{self.path}"]

    def publish_tags(self) -> list[str] | None:
        """The kept pages a publish of this page changes; None: every page (a section or
        the home page is in every page's navigation)."""
        return None

    def get_sitemap_urls(self, request=None):
        """On the host the sitemap was fetched from, as every link is: a mirror's sitemap
        lists the mirror's pages (each page's canonical link names the main site)."""
        urls = super().get_sitemap_urls(request)
        if request is not None:
            for url in urls:
                url["location"] = request.build_absolute_uri(self.get_url(request))
        return urls

    def get_view_restrictions(self):
        # Wagtail's serve hook and serve() above each asked the database (two queries apiece)
        # on every render; while no page anywhere is restricted, there is nothing to find.
        if not kept.any_view_restrictions():
            none = PageViewRestriction.objects.none()
            none._result_cache = []  # read as empty without compiling a query that finds none
            return none
        return super().get_view_restrictions()


def public(pages):
    """Wagtail's `.public()`, which queries the restrictions each time it is called, skipped
    while no page anywhere is restricted."""
    return pages.public() if kept.any_view_restrictions() else pages


def _newsroom_name(request) -> str:
    return newsroom_settings(Site.find_for_request(request)).name


EDITION_WORDS = ("name", "legal_name", "tagline", "about")  # HomePage.newsroom_<word>


def newsroom_settings(site: Site) -> "NewsroomSettings":
    """The site's NewsroomSettings (created with the defaults when missing, as Wagtail does)
    in the active edition's words (its home page's, where given), kept per generation and
    language (newsroom/kept.py). Never save it."""

    return fragments.kept(
        ("newsroom-settings", site.pk),
        lambda: edition_words(NewsroomSettings.for_site(site), site),
    )


def edition_words(found: "NewsroomSettings", site: Site | None = None) -> "NewsroomSettings":
    """The settings with the active edition's own words (its home page's, where given) in
    place of the newsroom's: to read, never to save."""
    home = edition_home(site or found.site)
    for word in EDITION_WORDS:
        value = getattr(home, f"newsroom_{word}", "") if home is not None else ""
        if value:
            setattr(found, word, value)
    return found


def edition_home(site: Site) -> "HomePage | None":
    """The active language's edition of the site's home page (its live translation), or
    None when the site has no such edition; kept per generation and language."""
    # False, not None, when there is none: kept values are never None.
    found = fragments.kept(
        ("edition-home", site.pk), lambda: _edition_home(site.root_page) or False
    )
    return found or None


def _edition_home(root: Page) -> "HomePage | None":
    language = get_language() or settings.LANGUAGE_CODE
    if locale_codes().get(root.locale_id) == language:
        return root.specific
    translation = (
        Page.objects.filter(translation_key=root.translation_key, locale__language_code=language)
        .live()
        .first()
    )
    return translation.specific if translation is not None else None


def locale_codes() -> dict[int, str]:
    """{locale id: language code}, kept per generation."""
    return fragments.kept(
        "locale-codes", lambda: dict(Locale.objects.values_list("pk", "language_code"))
    )


def menu_sections(site: Site) -> list:
    """The live, public sections under the edition's home page, in their menu order, kept."""

    def build():
        home = edition_home(site)
        if home is None:
            return []
        return list(public(SectionPage.objects.child_of(home).live()).in_menu())

    return fragments.kept(("menu-sections", site.pk), build)


def live_articles(under: Page | None = None):
    """Live public articles, newest first, with what a card shows (not the authors); those
    of one edition (or section) when `under` is given."""
    articles = public(ArticlePage.objects.live())
    if under is not None:
        articles = articles.filter(path__startswith=under.path)
    return articles.select_related("lead_image").order_by("-first_published_at", "-pk")


def translations(page: Page) -> dict[str, Page]:
    """{language: page} of the page's live, public translations in every edition, itself
    included: one query, kept per generation (hreflang alternates, the language switch).
    A live page whose key no other live page shares is its only translation: no query (most
    articles of a long archive have no translation, and each would be a query of its own)."""
    if (
        page.live
        and not kept.any_view_restrictions()
        and page.translation_key not in _shared_keys()
    ):
        return {locale_codes().get(page.locale_id): page}

    def build():
        found = public(Page.objects.filter(translation_key=page.translation_key).live()).only(
            "id", "path", "depth", "url_path", "locale_id", "translation_key", "slug"
        )
        codes = locale_codes()
        return {codes.get(other.locale_id): other for other in found}

    return fragments.kept(("translations", page.translation_key), build)


def _shared_keys() -> frozenset:
    """The translation keys more than one live page has, kept per generation."""

    def build():
        shared = Page.objects.live().order_by().values("translation_key")
        shared = shared.annotate(pages=Count("pk"))
        return frozenset(shared.filter(pages__gt=1).values_list("translation_key", flat=True))

    return fragments.kept("shared-translation-keys", build)


def _has_own_route(page_class, components: list[str]) -> bool:
    """Whether a routable page type answers this sub-path itself (e.g. a section's feed/)."""
    if page_class is None or not issubclass(page_class, RoutablePageMixin):
        return False
    try:
        page_class.get_resolver().resolve("/" + "".join(f"{part}/" for part in components))
    except Http404:
        return False
    return True


def _specific(page: Page) -> Page:
    """The page as its own type, with what its template reads at once (`select_on_route`)."""
    model = page.specific_class
    if model is None:
        return page.specific
    related = getattr(model, "select_on_route", ())
    found = model._default_manager.select_related(*related).filter(pk=page.pk).first()
    if found is None:  # deleted since the first query
        raise Http404
    found._cached_parent_obj = page._cached_parent_obj
    found.from_route = True  # fresh from the database (ArticlePage.tags_and_authors)
    return found


@functools.cache
def _child_query(model) -> Prepared:
    """The route's lookup of an article under its section, compiled once (readerfund.lib.
    prepared): Django building its SQL on every render cost more than SQLite answering it."""
    related = getattr(model, "select_on_route", ())

    def build(depth, slug, low, high):
        found = model._default_manager.select_related(*related)
        found = found.filter(depth=depth, slug=slug, path__range=(low, high))
        return found.order_by("path")[:1]

    return Prepared(build, depth=int, slug=str, low=str, high=str)


def _child_as_its_type(parent: Page, slug: str, read_ahead: dict | None = None) -> Page | None:
    """`parent`'s child with this slug in one query, as the one page type `parent` may hold
    (a section's article), with what its template shows; None when the parent may hold more
    than one type or no such page of that type exists (the general way then decides).
    `read_ahead` ({(parent's path, slug): page}, READ_AHEAD in the request's environment) has
    pages the static export read together, as this query would read them."""
    model = parent.specific_class
    allowed = model.allowed_subpage_models() if model is not None else []
    if len(allowed) != 1:
        return None
    (child_model,) = allowed
    read_ahead = read_ahead or {}
    if (parent.path, slug) in read_ahead:
        found = copy.copy(read_ahead[(parent.path, slug)])
        if not isinstance(found, child_model):
            return None
    else:
        # Children's paths, as treebeard's get_children() bounds them.
        low, high = Page._get_children_path_interval(parent.path)
        query = _child_query(child_model)
        found = next(iter(query(depth=parent.depth + 1, slug=slug, low=low, high=high)), None)
    if found is not None:
        found._cached_parent_obj = parent
        found.from_route = True  # fresh from the database (ArticlePage.tags_and_authors)
    return found


class HomePage(PublicPageMixin, RoutablePageMixin, Page):
    """An edition's home page: one per language (the default edition's is the site's root
    page, each translation a sibling of it), its sections below it."""

    intro = models.TextField(_("introduction"), blank=True)
    # The edition's own words for what the newsroom's settings say; empty: the settings'.
    newsroom_name = models.CharField(_("newsroom name"), max_length=120, blank=True)
    newsroom_legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    newsroom_tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    newsroom_about = models.TextField(_("about the newsroom"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("newsroom_name"),
                FieldPanel("newsroom_legal_name"),
                FieldPanel("newsroom_tagline"),
                FieldPanel("newsroom_about"),
            ],
            heading=_("This edition's words (empty: the newsroom's settings)"),
        ),
    ]
    subpage_types = ["newsroom.SectionPage"]

    class Meta:
        verbose_name = _("home page")

    @property
    def localized(self):
        """The active edition's home (Wagtail routes every request from it), from memory:
        Wagtail's own asks the database twice a request. Itself when there is no such
        edition; routing then answers 404 (`route`)."""
        found = fragments.kept(("localized-home", self.pk), lambda: _edition_home(self) or False)
        return found or self

    def route(self, request, path_components):
        """Wagtail finds a page one level at a time, two queries a level. Here the home
        page's children (the sections) are kept per generation, and an article under a
        section is read as an article in one query. Deeper paths read every page on the path
        in one query. Either way routing goes as Wagtail's would: a routable page's own
        routes (feed/) win over its children, only the last page must be live, and anything
        not found is Wagtail's own 404. An edition with no home page of its own (/ru/ with
        no Russian tree) is a 404 too, never the other edition's pages in its words."""
        if locale_codes().get(self.locale_id) != (get_language() or settings.LANGUAGE_CODE):
            raise Http404
        if not path_components or (self.live and _has_own_route(type(self), path_components)):
            return super().route(request, path_components)
        section = self.children_by_slug().get(path_components[0])
        if section is None:
            return super().route(request, path_components)  # Wagtail's own 404
        rest = path_components[1:]
        if not rest or (section.live and _has_own_route(section.specific_class, rest)):
            return _specific(section).route(request, rest)
        read_ahead = request.META.get(READ_AHEAD)
        found = _child_as_its_type(section, rest[0], read_ahead) if len(rest) == 1 else None
        if found is not None:
            return found.route(request, [])
        chain = self._pages_on_path(path_components)  # deeper, or of a type not expected here
        for level, page in enumerate(chain, start=1):
            rest = path_components[level:]
            last = level == len(chain)
            if last or (page.live and _has_own_route(page.specific_class, rest)):
                return _specific(page).route(request, rest)
        return super().route(request, path_components)

    def children_by_slug(self) -> dict[str, Page]:
        """This page's children (live or not, as Wagtail's base pages, each knowing its
        parent), by slug: kept per generation, which every publish, move, rename and delete
        bumps. Shared by the threads of a process: read, never change them."""

        def build():
            children = {}
            for child in Page.objects.child_of(self):
                child._cached_parent_obj = self
                children[child.slug] = child
            return children

        return fragments.kept(("children-by-slug", self.pk), build)

    def _pages_on_path(self, components: list[str]) -> list[Page]:
        """The pages the path names below this one, shallowest first, each knowing its
        parent; it stops where a level has no such page. Found by depth and slug, which are
        indexed (url_path is not)."""
        wanted = Q()
        for level, slug in enumerate(components, start=1):
            wanted |= Q(depth=self.depth + level, slug=slug)
        found = Page.objects.filter(wanted, path__startswith=self.path).order_by("depth", "path")
        chain, parent = [], self
        for page in found:
            level = len(chain)
            if level == len(components):
                break
            is_child = page.depth == parent.depth + 1 and page.path.startswith(parent.path)
            if is_child and page.slug == components[level]:
                page._cached_parent_obj = parent
                chain.append(page)
                parent = page
        return chain

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = list(public(SectionPage.objects.child_of(self).live()))
        context["latest"] = list(live_articles(self)[:5])
        shown = {article.pk for article in context["latest"]}
        context["sections"] = [(section, section.front(shown)) for section in sections]
        return context

    @path("feed/", name="feed")
    def feed(self, request):
        articles = live_articles(self)
        return make_public(ArticleFeed(self, articles, _newsroom_name(request))(request))


class SectionPage(PublicPageMixin, RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.ArticlePage"]

    class Meta:
        verbose_name = _("section")

    def articles(self):
        # Its descendants, which are its articles (an article has no children): the same
        # rows as `child_of`, but child_of's depth test made SQLite scan every page and sort
        # them (8.5 ms per section over 10,000 articles) where this walks the publishing-date
        # index and stops at the newest (0.3 ms).
        return live_articles(self)

    def front(self, shown: set[int], count: int = 4):
        """The section's newest articles for the home page, skipping those already shown there
        unless that would leave the block empty."""
        recent = list(self.articles()[: count + len(shown)])
        fresh = [article for article in recent if article.pk not in shown][:count]
        return fresh or recent[:count]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if request.META.get(ARCHIVE):  # the static copy's numbering (newsroom/archive.py)
            page = request.GET.get("page")
            context["articles"] = ArchivePage(self.articles(), SECTION_PAGE_SIZE, page)
            return context
        paginator = Paginator(self.articles(), SECTION_PAGE_SIZE)
        try:
            context["articles"] = paginator.page(request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            context["articles"] = paginator.page(1)
        return context

    @path("feed/", name="feed")
    def feed(self, request):
        return make_public(ArticleFeed(self, self.articles(), _newsroom_name(request))(request))


@functools.cache
def _tags_and_authors_sql() -> str:
    """An article's tags, then its authors, in one statement (ArticlePage.tags_and_authors):
    kind (0 tag, 1 author), two sort keys, id, name, slug or bio."""
    tag, tagged = Tag._meta.db_table, ArticleTag._meta.db_table
    author = Author._meta.db_table
    authored = ArticlePage.authors.field.remote_field.through._meta.db_table
    # Table names from the models; the ids are parameters.
    sql = (
        f"SELECT 0, x.id, '', t.id, t.name, t.slug FROM \"{tag}\" t "  # noqa: S608
        f'JOIN "{tagged}" x ON x.tag_id = t.id WHERE x.content_object_id = %s '
        "UNION ALL "
        f'SELECT 1, 0, a.name, a.id, a.name, a.bio FROM "{author}" a '
        f'JOIN "{authored}" m ON m.author_id = a.id WHERE m.articlepage_id = %s '
        "ORDER BY 1, 2, 3, 4"
    )
    return sql


class ArticlePage(PublicPageMixin, Page):
    standfirst = models.TextField(
        _("standfirst"), max_length=400, help_text=_("One or two sentences under the headline.")
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField(_("caption"), max_length=300, blank=True)
    lead_image_credit = models.CharField(_("credit"), max_length=200, blank=True)
    body = StreamField(ArticleBody(), verbose_name=_("body"))
    authors = ParentalManyToManyField(Author, verbose_name=_("authors"), blank=True)
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))
    updated_at = models.DateTimeField(
        _("updated"),
        null=True,
        blank=True,
        help_text=_("Set only when the story changes in substance; readers then see this date."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            heading=_("Lead image"),
        ),
        FieldPanel("body"),
        FieldPanel("authors"),
        FieldPanel("tags"),
        FieldPanel("updated_at"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.FilterField("first_published_at"),
    ]
    parent_page_types = ["newsroom.SectionPage"]
    subpage_types = []
    select_on_route = ["lead_image"]  # the page's template shows it (see HomePage.route)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @property
    def section(self):
        return self.get_parent().specific

    def get_context(self, request, *args, **kwargs):
        # The template names the tags three times and the authors once: read each once.
        context = super().get_context(request, *args, **kwargs)
        context["tags"], context["authors"] = self.tags_and_authors()
        return context

    def tags_and_authors(self) -> tuple[list, list[Author]]:
        """Its tags (in the order they were added) and authors (by name), as
        `list(self.tags.all())` and `list(self.authors.all())` give them. A page routing
        just read from the database (`from_route`) gets both in one query whose SQL is
        written once: building the two through the ORM was a tenth of a render. Any other
        (a preview, a revision) gives what it holds in memory, through the ORM."""
        if not getattr(self, "from_route", False):
            return list(self.tags.all()), list(self.authors.all())
        tags, authors = [], []
        with connection.cursor() as cursor:
            cursor.execute(_tags_and_authors_sql(), [self.pk, self.pk])
            for kind, _, _, pk, name, extra in cursor.fetchall():
                if kind == 0:
                    tags.append(Tag(id=pk, name=name, slug=extra))
                else:
                    authors.append(Author(id=pk, name=name, bio=extra))
        return tags, authors

    def cache_tags(self, context) -> list[str]:
        """Itself, and the lists its Read more draws from: its section's and its tags'."""
        tags = context.get("tags")
        tags = list(self.tags.all()) if tags is None else tags
        section = self.path[: -Page.steplen]
        return [f"page:{self.pk}", f"list:{section}", *(f"tag:{t.pk}" for t in tags)]

    def publish_tags(self) -> list[str]:
        """Itself, its section's and the home page's lists (feeds included), the pages whose
        Read more may list it, and the sitemap."""
        section, home = self.path[: -Page.steplen], self.path[: -2 * Page.steplen]
        tag_ids = self.tags.values_list("pk", flat=True)
        return [
            f"page:{self.pk}",
            f"list:{section}",
            f"list:{home}",
            "sitemap",
            *(f"tag:{pk}" for pk in tag_ids),
        ]
