"""A section's pages as the static copy numbers them: from the oldest, so that a publish
changes one page of the copy, not all of them.

The site numbers a section's pages from the newest (`?page=2` holds the 13th to 24th newest
articles), so each new article moves every article one place down and every page of the
section changes. A copy refreshed after each publish would render them all again. The copy
instead keeps the oldest articles in blocks of a page's size that never move: block 0 (the
copy's `page-2.html`) holds the oldest, block 1 (`page-3.html`) the next, and the first page
(`index.html`) holds the newest, between one and two pages' worth. A publish changes the
first page; once in a page's size a new block is split from it. Each block lists its
articles newest first, like the site's pages, and links to the newer and the older block;
it says no "Page N of M" (that would change on every block whenever one is added).

Only the static export asks for these pages (readerfund/export.py), through a key of the
WSGI environment that no HTTP request can set.
"""

from dataclasses import dataclass

ARCHIVE = "readerfund.archive"  # in request.META: number the section's pages from the oldest


@dataclass(frozen=True)
class Bounds:
    """Where the copy's page `number` of a list of `count` articles (newest first) starts
    and ends, and the numbers of the newer and the older page (None: there is none)."""

    number: int
    start: int
    end: int
    newer: int | None
    older: int | None
    pages: int


def bounds(count: int, size: int, number: int) -> Bounds:
    pages = max(1, count // size)
    block = number - 2
    if not 0 <= block <= pages - 2:  # the first page (or a number that is no page)
        newest = count - size * (pages - 1)
        return Bounds(1, 0, newest, None, pages if pages > 1 else None, pages)
    start, end = count - (block + 1) * size, count - block * size
    newer = 1 if block == pages - 2 else number + 1
    return Bounds(number, start, end, newer, number - 1 if block > 0 else None, pages)


class ArchivePage:
    """The copy's page of a section, with what the templates read of Django's Page."""

    archive = True

    def __init__(self, articles, size: int, number) -> None:
        try:
            number = int(number or 1)
        except (TypeError, ValueError):
            number = 1
        self.bounds = bounds(articles.count(), size, number)
        # A list shows cards (title, image, date): not the body, whose JSON is half the work
        # of reading an article.
        shown = articles.defer("body")[self.bounds.start : self.bounds.end]
        self.object_list = list(shown)
        self.number = self.bounds.number

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_other_pages(self) -> bool:
        return self.bounds.pages > 1

    def has_previous(self) -> bool:
        return self.bounds.newer is not None

    def has_next(self) -> bool:
        return self.bounds.older is not None

    def previous_page_number(self) -> int | None:
        return self.bounds.newer

    def next_page_number(self) -> int | None:
        return self.bounds.older
