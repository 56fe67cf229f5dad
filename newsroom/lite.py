"""Lite pages for slow or filtered networks: a text version of the home page, every section
and every article under /lite/ (/lite/news/<slug>/ is /news/<slug>/ as text).

No images, no scripts, no stylesheet to fetch: a few lines of CSS inline (allowed by their
hash in the page's Content-Security-Policy, never 'unsafe-inline'), so a page is one request
of a few kilobytes (at most 15 KB for an article; bench/lite.py measures the demo's). Public
and kept like the full pages, with the same tags, so a publish forgets them with the pages
they mirror.
"""

import base64
import hashlib
import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.utils.html import strip_tags
from wagtail.models import Site

from newsroom import kept
from newsroom.archive import ARCHIVE, ArchivePage
from newsroom.models import ArticlePage, SectionPage, live_articles, menu_sections
from newsroom.views import page_at
from readerfund.lib.http import make_public, tag

PAGE_SIZE = 30
HOME_LATEST = 15
CSS = (
    "body{max-width:40em;margin:0 auto;padding:.5em 1em;font:1.05em/1.5 serif}"
    "a{color:#00c}h1{font-size:1.4em;line-height:1.2}h2{font-size:1.1em}"
    "nav,footer,.meta{font:.9em sans-serif}blockquote{margin:1em;font-style:italic}"
    ".letter{border-top:1px solid;margin-top:2em}"
)
CSS_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode() + "'"
IMAGES = re.compile(r"<img\b[^>]*>|<picture\b.*?</picture>", re.S | re.I)


def lite_page(request, path: str = ""):
    """The lite version of the page at /<path>: the home page, a section or an article."""
    page = page_at(request, path)
    if isinstance(page, ArticlePage):
        tags, authors = page.tags_and_authors()
        context = {"page": page, "body": _text_blocks(page), "authors": authors, "tags": tags}
        template = "newsroom/lite/article.html"
    elif isinstance(page, SectionPage):
        context = {"page": page, "articles": _paged(page.articles(), request)}
        template = "newsroom/lite/section.html"
    else:
        context = {"page": page, "articles": list(live_articles(page)[:HOME_LATEST])}
        template = "newsroom/lite/home.html"
    context.update(css=CSS, sections=_sections(request), full_url=page.get_url(request))
    response = render(request, template, context)
    response.csp_extra = {"style-src": [CSS_HASH]}
    return tag(make_public(response), *page.cache_tags(context))


def _text_blocks(article: ArticlePage) -> list[tuple[str, object]]:
    """The body as text: paragraphs without their images, subheads, quotes, and of each
    image only its caption."""
    blocks = []
    for block in article.body:
        if block.block_type == "paragraph":
            blocks.append(("paragraph", IMAGES.sub("", str(block.value))))
        elif block.block_type == "image":
            if block.value.get("caption"):
                blocks.append(("caption", strip_tags(block.value["caption"])))
        else:
            blocks.append((block.block_type, block.value))
    return blocks


def _paged(articles, request):
    if request.META.get(ARCHIVE):  # the static copy's numbering (newsroom/archive.py)
        return ArchivePage(articles, PAGE_SIZE, request.GET.get("page"))
    paginator = Paginator(articles, PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        return paginator.page(1)


def _sections(request) -> list:
    site = Site.find_for_request(request) or kept.default_site()
    return menu_sections(site) if site else []
