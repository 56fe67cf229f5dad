"""Full-text feeds anyone can mirror: Atom at /feed/ and /<section>/feed/, JSON Feed 1.1 at
/feed.json and /<section>/feed.json. Every link names the host the feed was fetched from
(a mirror's feed links to the mirror), and any text an article holds keeps the feed valid:
characters XML 1.0 cannot carry (control characters, U+FFFE, U+FFFF) are left out.
"""

import re

from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed

from newsroom.archive import ARCHIVE
from readerfund.lib import fragments

FEED_LENGTH = 30
NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text):
    """`text` without the characters XML 1.0 forbids; anything else is left as it is."""
    return NOT_XML.sub("", text) if isinstance(text, str) else text


class FullTextAtom(Atom1Feed):
    """Atom with the whole article in <content type="html">, not just a summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class ArticleFeed(Feed):
    feed_type = FullTextAtom

    def __init__(self, page, articles, newsroom_name: str):
        super().__init__()
        self.page = page
        self.articles = articles
        self.newsroom_name = newsroom_name

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        name = self.newsroom_name
        return xml_safe(name if self.page.depth <= 2 else f"{self.page.title} — {name}")

    def link(self):
        return self.page.get_url(self.request)

    def subtitle(self):
        return xml_safe(getattr(self.page, "intro", ""))

    def items(self):
        return self.articles.prefetch_related("authors", "tags")[:FEED_LENGTH]

    def item_title(self, item):
        return xml_safe(item.title)

    def item_description(self, item):
        return xml_safe(item.standfirst)

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.updated_at or item.first_published_at

    def item_author_name(self, item):
        return xml_safe(", ".join(author.name for author in item.authors.all())) or None

    def item_categories(self, item):
        return [xml_safe(tag.name) for tag in item.tags.all()]

    def item_extra_kwargs(self, item):
        return {"content": xml_safe(item_html(item, self.request))}


def item_html(article, request) -> str:
    """The whole article as HTML for feed readers, its image on the feed's host. The static
    export (readerfund/export.py) renders it once per article as published, host and
    language: the edition's feeds and its section's, Atom and JSON, carry the same articles.
    """

    def build():
        return render_to_string("newsroom/feed_item.html", {"page": article, "request": request})

    if not request.META.get(ARCHIVE):
        return build()
    when = article.last_published_at or article.first_published_at
    key = ("feed-item", article.pk, when, request.scheme, request.get_host())
    return fragments.kept(key, build)


def json_feed(page, articles, newsroom_name: str, request) -> dict:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of `articles`, full text."""
    title = newsroom_name if page.depth <= 2 else f"{page.title} — {newsroom_name}"
    here = request.build_absolute_uri
    items = []
    for article in articles.prefetch_related("authors", "tags")[:FEED_LENGTH]:
        url = here(article.get_url(request))
        item = {
            "id": url,
            "url": url,
            "title": article.title,
            "summary": article.standfirst,
            "content_html": item_html(article, request),
            "date_published": article.first_published_at.isoformat(),
            "date_modified": (article.updated_at or article.first_published_at).isoformat(),
            "authors": [{"name": author.name} for author in article.authors.all()],
            "tags": [tag.name for tag in article.tags.all()],
        }
        items.append(item)
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": here(page.get_url(request)),
        "feed_url": here(request.path),
        "description": getattr(page, "intro", ""),
        "items": items,
    }
