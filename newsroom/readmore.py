"""Read more: the other articles an article lists, those sharing most of its tags first, then
the newest of its section; newest first among equals; never the article itself.

Worked out in memory from lists kept per publish generation (readerfund.lib.fragments): for
each tag and each section, its CANDIDATES newest live public articles, and the articles
themselves once read. A render costs no query once the pages it lists were read. Counting
shared tags over the whole archive instead took 100–200 ms a render with 10,000 articles
on SQLite, on every article not yet kept: the long tail a crawler walks. A publish costs
each process one query for the tags' lists and one per section it renders, when it next
needs them.

What this leaves out: an article whose shared tags each have CANDIDATES newer articles.
Read more is about what is recent.
"""

from collections import Counter

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from wagtail.models import Page

from newsroom.models import READ_MORE_LIMIT, ArticlePage, ArticleTag, live_articles
from readerfund.lib.fragments import kept

CANDIDATES = 50  # newest articles kept per tag and per section


def pick(article: ArticlePage, limit: int = READ_MORE_LIMIT, tag_ids=None) -> list[ArticlePage]:
    """Up to `limit` other live articles for `article`'s Read more. `tag_ids`: its tags,
    when the caller has read them already."""
    if tag_ids is None:
        tag_ids = list(article.tags.values_list("pk", flat=True))
    edition = article.path[: 2 * Page.steplen]  # its home page's: tags are shared by editions
    by_tag = kept(("read-more-tags", edition), lambda: _newest_by_tag(edition))
    shared, when = Counter(), {}
    for tag in tag_ids:
        for pk, published in by_tag.get(tag, ()):
            shared[pk] += 1
            when[pk] = published
    shared.pop(article.pk, None)
    picked = sorted(shared, key=lambda pk: (shared[pk], when[pk], pk), reverse=True)[:limit]
    section = article.path[: -Page.steplen]
    for pk in kept(("read-more-section", section), lambda: _newest_in(section)):
        if len(picked) >= limit:
            break
        if pk != article.pk and pk not in picked:
            picked.append(pk)
    pages = _pages(picked)
    return [pages[pk] for pk in picked if pk in pages]


def _pages(pks: list[int]) -> dict[int, ArticlePage]:
    """The live articles with these ids, read from the database only the first time this
    generation: every id comes from the kept lists above, so a process holds at most a few
    thousand, and the long tail's renders read none."""
    known = kept("read-more-pages", dict)  # a memo, filled as renders need it
    missing = [pk for pk in pks if pk not in known]
    if missing:
        found = live_articles().in_bulk(missing)
        for pk in missing:
            known[pk] = found.get(pk)  # None: not live, or not public, any more
    return {pk: known[pk] for pk in pks if known[pk] is not None}


def _newest_by_tag(edition: str) -> dict[int, list[tuple]]:
    """{tag id: [(article id, first published), …] newest first, CANDIDATES at most}, of the
    articles under the edition's home page (its path)."""
    newest = Window(
        RowNumber(),
        partition_by=[F("tag_id")],
        order_by=[F("content_object__first_published_at").desc(), F("content_object_id").desc()],
    )
    rows = (
        ArticleTag.objects.filter(
            content_object__in=live_articles().filter(path__startswith=edition).values("pk")
        )
        .annotate(rank=newest)
        .filter(rank__lte=CANDIDATES)
        .values_list("tag_id", "content_object_id", "content_object__first_published_at")
    )
    by_tag: dict[int, list[tuple]] = {}
    for tag, pk, published in rows:
        by_tag.setdefault(tag, []).append((pk, published))
    return by_tag


def _newest_in(section_path: str) -> list[int]:
    children = live_articles().filter(
        path__startswith=section_path, depth=len(section_path) // Page.steplen + 1
    )
    return list(children.values_list("pk", flat=True)[:CANDIDATES])
