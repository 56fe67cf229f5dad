"""Publishing: the newsroom's pages (home, sections, articles), authors and tags.

Every reader page is the same for every reader, so it is marked public and cacheable; the
newsroom knows nothing of money (appeals fill the named slots in the templates).
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from newsroom.blocks import ArticleBody
from readerfund.lib.http import make_public

READ_MORE_LIMIT = 6
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
        response = super().serve(request, *args, **kwargs)
        if not self.get_view_restrictions().exists():
            make_public(response)
        return response


def live_articles():
    return (
        ArticlePage.objects.live()
        .public()
        .select_related("lead_image")
        .prefetch_related("authors")
        .order_by("-first_published_at", "-pk")
    )


class HomePage(PublicPageMixin, RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["newsroom.SectionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = list(SectionPage.objects.child_of(self).live().public())
        context["latest"] = list(live_articles()[:5])
        shown = {article.pk for article in context["latest"]}
        context["sections"] = [(section, section.front(shown)) for section in sections]
        return context

    @path("feed/", name="feed")
    def feed(self, request):
        from newsroom.feeds import ArticleFeed

        return make_public(ArticleFeed(self, live_articles())(request))


class SectionPage(PublicPageMixin, RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.ArticlePage"]

    class Meta:
        verbose_name = _("section")

    def articles(self):
        return live_articles().child_of(self)

    def front(self, shown: set[int], count: int = 4):
        """The section's newest articles for the home page, skipping those already shown there
        unless that would leave the block empty."""
        recent = list(self.articles()[: count + len(shown)])
        fresh = [article for article in recent if article.pk not in shown][:count]
        return fresh or recent[:count]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.articles(), SECTION_PAGE_SIZE)
        try:
            context["articles"] = paginator.page(request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            context["articles"] = paginator.page(1)
        return context

    @path("feed/", name="feed")
    def feed(self, request):
        from newsroom.feeds import ArticleFeed

        return make_public(ArticleFeed(self, self.articles())(request))


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

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @property
    def section(self):
        return self.get_parent().specific

    def read_more(self, limit: int = READ_MORE_LIMIT):
        """Other live articles: those sharing tags first, then the same section; newest first."""
        others = live_articles().exclude(pk=self.pk)
        tag_ids = list(self.tags.values_list("pk", flat=True))
        picked = []
        if tag_ids:
            picked = list(
                others.filter(tagged_items__tag_id__in=tag_ids)
                .annotate(shared=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids)))
                .order_by("-shared", "-first_published_at", "-pk")[:limit]
            )
        if len(picked) < limit:
            seen = [page.pk for page in picked]
            same_section = others.child_of(self.get_parent()).exclude(pk__in=seen)
            picked += list(same_section[: limit - len(picked)])
        return picked
