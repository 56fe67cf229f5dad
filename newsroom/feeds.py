"""Full-text Atom feeds: site-wide at /feed/ and one per section at /<section>/feed/."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

FEED_LENGTH = 30


class FullTextAtom(Atom1Feed):
    """Atom with the whole article in <content type="html">, not just a summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class ArticleFeed(Feed):
    feed_type = FullTextAtom

    def __init__(self, page, articles):
        super().__init__()
        self.page = page
        self.articles = articles

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        from newsroom.models import NewsroomSettings

        name = NewsroomSettings.for_request(self.request).name
        return name if self.page.depth <= 2 else f"{self.page.title} — {name}"

    def link(self):
        return self.page.get_url(self.request)

    def subtitle(self):
        return getattr(self.page, "intro", "")

    def items(self):
        return self.articles[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.updated_at or item.first_published_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.authors.all()) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_extra_kwargs(self, item):
        from django.template.loader import render_to_string

        context = {"page": item, "request": self.request}
        return {"content": render_to_string("newsroom/feed_item.html", context)}
