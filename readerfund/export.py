"""`readerfund export-static DIR`: the public site as plain files anyone can host.

Every page is rendered by the same Django that serves readers (a WSGI call, as a reader's
request on the main site's host), then its links are made relative to the file it is
written to, so the copy works under any path prefix, from `file://`, on object storage, a
static host, IPFS or a USB stick:

- `/news/slug/` is written to `news/slug/index.html` and linked as `…/news/slug/index.html`
  (a `file://` reader gets no directory index); the feeds to `feed.xml` and `news/feed.xml`.
- A section's pages are numbered from the oldest (newsroom/archive.py): `news/index.html`
  holds the newest, `news/page-2.html` the oldest twelve, `page-3.html` the next twelve, so
  a publish changes the first page only.
- What only a live server can do (checkout, reminders, the API) is linked to the copy's own
  `support/index.html`, which lists the live addresses (main site, mirrors, onion) and the
  ways to give that need no card or no JavaScript.
- Our own scripts stay (the appeals script, the contribution form's): the appeals config is
  copied with its links relative to it, and the script tag loses `data-events` and
  `data-country`, so the copy sends no event and asks no country of our server. From
  `file://` the browser refuses to read the config: the page stays as written, its letter
  plain text with a link to give. Every page works without JavaScript.
- Every edition that has a home page (readerfund/lib/editions.py) is in the copy, the other
  ones under their prefix: `/ru/news/slug/` is written to `ru/news/slug/index.html`,
  rendered as the server renders it (the path's prefix decides the language). The language
  switch stays: its links are made relative like any other. What only the server does is
  linked to the edition's own support page in the copy (`ru/support/index.html`).
- Images (the renditions the pages use), stylesheets and scripts are copied beside the pages.
- The JSON feeds keep their names (`feed.json`, `news/feed.json`).
- Feeds and the sitemap link within the copy (relative to the file), as the pages do. Ids
  (Atom's `<id>`, JSON Feed's `id`) keep the main site's address: they name an article
  wherever it is read, and a feed reader that follows two copies sees one article.

Incremental: `export.json` in DIR records the last export: its time, its pages, and a digest
of what each page of a section's list shows. The next one renders again only the articles
published since (or `--since`), the list pages whose digest changed (after one publish, the
first page of its section, full and lite) and the feeds of their sections, the home pages,
feeds and sitemap of the editions where something changed (not the Russian edition's after
an English publish), and writes only files whose bytes changed; pages no longer live are
deleted.

Fast: the site's map (every article's path and time, each section's articles) is read in one
query; with hundreds of pages to render, they are shared among processes forked from this one
(one per CPU), in batches handed to whichever process is free; links are found by scanning
for '="' and made relative once per directory and link, each link's file in the copy found
once.
"""

import functools
import hashlib
import io
import json
import multiprocessing
import os
import posixpath
import re
import shutil
import signal
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.template.loader import render_to_string
from django.utils import timezone, translation
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from contributions.settings_models import GivingSettings
from newsroom import renditions
from newsroom.archive import ARCHIVE, bounds
from newsroom.lite import PAGE_SIZE as LITE_PAGE_SIZE
from newsroom.models import (
    READ_AHEAD,
    SECTION_PAGE_SIZE,
    ArticlePage,
    SectionPage,
    live_articles,
    newsroom_settings,
)
from readerfund.lib import editions

MANIFEST = "export.json"
SUPPORT_FILE = "support/index.html"
# What only the live server answers: linked to the copy's support page instead.
SERVER_ONLY = (
    "/support/",
    "/reminders/",
    "/api/",
    "/admin/",
    "/django-admin/",
    "/appeals/country",
    "/healthz",
    "/webhooks/",
    "/documents/",
)
DATA = ["/funding.json", "/robots.txt"]
# Each edition's own: its home pages, feeds, sitemap and appeals (`/ru/feed/`…).
EDITION_DATA = ["/", "/lite/", "/feed/", "/feed.json", "/sitemap.xml", "/appeals/config.json"]
CONFIG_FILE = "appeals/config.json"
# The attributes whose value is a link, by their last letter (see _sub_attributes).
LINK_ATTRIBUTES = {name[-1]: name for name in ("href", "src", "action", "data-config")}
WORD = re.compile(r"\w")
SCRIPTS = re.compile(r"(<script\b[^>]*>)(.*?</script>\s*)", re.S | re.I)
# What a copy's script may not call: the live server's API (another origin, once copied).
SERVER_DATA = re.compile(r'\s(data-events|data-country)="[^"]*"')


def _kept_script(match: re.Match) -> str:
    """Our own scripts stay (appeals.js, support.js: files copied beside the pages), without
    what would call the server; data (JSON) stays; anything else goes."""
    tag = match.group(1)
    if re.search(r'\btype="application/json"', tag):
        return match.group(0)
    if re.search(r'\bsrc="' + re.escape(settings.STATIC_URL), tag):
        return SERVER_DATA.sub("", tag) + match.group(2)
    return ""


@dataclass
class Report:
    pages: int = 0  # rendered
    written: int = 0  # files whose bytes changed
    removed: int = 0
    assets: int = 0
    urls: list[str] = field(default_factory=list)


def export_site(
    out: Path, since: datetime | None = None, everything: bool = False, jobs: int | None = None
) -> Report:
    """Write (or bring up to date) the static copy in `out`. With `since` (or the time of
    the previous export, read from `out`), only what was published since is rendered again;
    with `everything`, every page (after a change that reaches every page: the newsroom's
    settings, an appeal, an author). `jobs` processes render at once (default: one per
    CPU this process may use) when there are enough pages to share.
    """
    out.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(out)
    if everything:
        since = None
    elif since is None and previous.get("exported_at"):
        since = datetime.fromisoformat(previous["exported_at"])
    started = timezone.now()
    exporter = Exporter(out)
    exported = set() if everything else set(previous.get("pages", []))
    site = SiteMap.read()
    urls = page_urls(since, exported, previous.get("lists", {}), site)
    exporter.export_pages(urls, jobs)
    exporter.export_support_pages(site.editions)
    exporter.copy_assets()
    report = exporter.report
    every_page = set(site.pages)
    articles = sorted(site.articles)
    for gone in set(previous.get("pages", [])) - every_page:
        target = out / file_for(gone)
        if target.exists():
            target.unlink()
            report.removed += 1
    manifest = {"exported_at": started.isoformat(), "pages": sorted(every_page)}
    manifest["articles"] = articles
    manifest["lists"] = site.lists
    _replace(out / MANIFEST, json.dumps(manifest, indent=1).encode())
    return report


def _read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


@dataclass
class SiteMap:
    """What the copy holds, read once per export (one query for the articles): every live
    article's path and when it was last published, and each live section's path, when it
    was published and its articles' paths, newest first."""

    articles: dict[str, datetime]
    sections: list[tuple[str, datetime, list[str]]]
    # The editions the copy carries (those with a home page), by path prefix: '' and '/ru'.
    editions: list[str] = field(default_factory=lambda: [""])
    # When each edition's home page was last published, by prefix.
    homes_published: dict[str, datetime] = field(default_factory=dict)

    @classmethod
    def read(cls) -> "SiteMap":
        articles: dict[str, datetime] = {}
        sections = []
        homes = edition_homes()
        for prefix, home in homes.items():  # the default edition first
            rows = live_articles().filter(url_path__startswith=home)
            rows = rows.values_list("url_path", "last_published_at", "first_published_at")
            found = {
                prefix + _path(url, home): last or first or timezone.now()
                for url, last, first in rows
            }
            articles.update(found)
            by_section: dict[str, list[str]] = {}
            for url in found:  # newest first, as live_articles() gives them
                by_section.setdefault(url[: url.rstrip("/").rindex("/") + 1], []).append(url)
            live = SectionPage.objects.live().public().filter(url_path__startswith=home)
            for section in live.order_by("path"):
                base = prefix + _path(section.url_path, home)
                sections.append((base, _published(section), by_section.get(base, [])))
        rows = Page.objects.filter(url_path__in=homes.values())
        rows = rows.values_list("url_path", "last_published_at", "first_published_at")
        published = {url: last or first or timezone.now() for url, last, first in rows}
        times = {prefix: published.get(home, timezone.now()) for prefix, home in homes.items()}
        return cls(articles, sections, list(homes), times)

    @functools.cached_property
    def pages(self) -> list[str]:
        """Every page of the copy, in the order they are rendered."""
        urls = [prefix + url for prefix in self.editions for url in EDITION_DATA] + DATA
        for base, _, _ in self.sections:
            urls += [base + "feed/", base + "feed.json"]
            urls += self.lists_of(base) + self.lists_of(lite(base))
        for url in self.articles:
            urls += [url, lite(url)]
        return list(dict.fromkeys(urls))

    def lists_of(self, base: str) -> list[str]:
        """The pages of the list at `base` (a section's path or its lite path), as `lists`."""
        return self._lists_by_base.get(base, [])

    @functools.cached_property
    def _lists_by_base(self) -> dict[str, list[str]]:
        by_base: dict[str, list[str]] = {}
        for url in self.lists:
            by_base.setdefault(url.partition("?")[0], []).append(url)
        return by_base

    @functools.cached_property
    def lists(self) -> dict[str, str]:
        """Every page of every section's list, full and lite, as the copy numbers them
        (newsroom/archive.py), each with a digest of what it shows: its articles, when each
        was published, and the pages it links to."""
        lists = {}
        for base, _, urls in self.sections:
            lists.update(self._list_pages(base, urls, SECTION_PAGE_SIZE))
            lists.update(self._list_pages(lite(base), urls, LITE_PAGE_SIZE))
        return lists

    def _list_pages(self, base: str, urls: list[str], size: int) -> dict[str, str]:
        pages = {}
        for number in range(1, max(1, len(urls) // size) + 1):
            shown = bounds(len(urls), size, number)
            items = [(url, self.articles[url].isoformat()) for url in urls[shown.start : shown.end]]
            digest = json.dumps([items, shown.newer, shown.older]).encode()
            url = base if number == 1 else f"{base}?page={number}"
            pages[url] = hashlib.sha256(digest).hexdigest()[:24]
        return pages


def page_urls(
    since: datetime | None,
    exported: set[str],
    exported_lists: dict[str, str],
    site: SiteMap | None = None,
) -> list[str]:
    """The URLs to render: everything, or (with `since`) the articles published since, the
    pages of their sections' lists that show something else than the copy has (usually the
    first page only: newsroom/archive.py), the feeds of their sections, the home pages, feeds
    and sitemap of their editions, plus any page the copy does not have yet. A section
    published since (its title, its intro) is rendered again whole. An edition where nothing
    was published, unpublished or moved keeps its pages (an English publish leaves /ru/ and
    its feeds as they are); the appeals' configs and the data files are rendered every time.
    """
    site = site or SiteMap.read()
    every = site.pages
    if since is None:
        return every
    articles = site.articles
    changed = {url for url, at in articles.items() if at > since} | (set(articles) - exported)
    gone = exported - set(every)
    touched = {_section_of(url) for url in changed | gone}  # sections' paths
    again = {url for url in every if url not in exported}
    for base, published, _ in site.sections:
        whole = published > since
        for url in site.lists_of(base) + site.lists_of(lite(base)):
            if whole or exported_lists.get(url) != site.lists[url]:
                again.add(url)
                touched.add(base)
        if whole or base in touched:
            touched.add(base)
            again |= {base + "feed/", base + "feed.json"}
    touched_editions = {_edition(url) for url in touched | gone} | {
        prefix for prefix, published in site.homes_published.items() if published > since
    }
    for prefix in site.editions:
        urls = [prefix + url for url in EDITION_DATA]
        again |= {url for url in urls if prefix in touched_editions or url.endswith(CONFIG_FILE)}
    again |= set(DATA)
    for url in changed:
        again |= {url, lite(url)}
    return [url for url in every if url in again]


def _section_of(url: str) -> str:
    """The path of the section an article's (or its lite page's) path is in."""
    path = urlsplit(url).path
    prefix = editions.prefix(editions.language_of_path(path))
    path = prefix + path[len(prefix) :].removeprefix("/lite")
    return path[: path.rstrip("/").rindex("/") + 1]


def _edition(url: str) -> str:
    return editions.prefix(editions.language_of_path(urlsplit(url).path))


def lite(url: str) -> str:
    """The lite version's path of a page's (`/news/x/`, `/ru/news/x/`): `/lite/news/x/`,
    `/ru/lite/news/x/`."""
    prefix = editions.prefix(editions.language_of_path(url))
    return prefix + "/lite" + url.removeprefix(prefix)


def _path(url_path: str, home_path: str) -> str:
    return "/" + url_path.removeprefix(home_path).lstrip("/")


def _published(page) -> datetime:
    return page.last_published_at or page.first_published_at or timezone.now()


def edition_homes() -> dict[str, str]:
    """{path prefix: home page's url_path} of every edition that has a live home page, the
    default edition ('', the site's root page) first, then '/ru'… (newsroom.models's
    edition_home: the root page's translation)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return {"": "/"}
    root = site.root_page
    homes = {"": root.url_path}
    others = editions.languages()[1:]
    translations = (
        Page.objects.filter(translation_key=root.translation_key, locale__language_code__in=others)
        .exclude(pk=root.pk)
        .live()
        .values_list("locale__language_code", "url_path")
    )
    found = dict(translations)
    for language in others:
        if language in found:
            homes[editions.prefix(language)] = found[language]
    return homes


def file_for(url: str) -> str:
    """Where the copy keeps the page at `url` (a path on the site, maybe with ?page=N)."""
    parts = urlsplit(url)
    path = parts.path
    page = dict(parse_qsl(parts.query)).get("page", "1")
    if path.endswith("/feed/"):
        return path[1:-5] + "feed.xml"
    if path.endswith("/"):
        name = "index.html" if page in ("", "1") else f"page-{page}.html"
        return path[1:] + name
    return path[1:]


class Exporter:
    def __init__(self, out: Path):
        self.out = out
        self.app = WSGIHandler()
        self.site = urlsplit(settings.SITE_URL)
        self.assets: set[str] = set()
        self.report = Report()
        self.links: dict[tuple[str, str], tuple] = {}  # (directory, link) → relative link
        self.targets: dict[str, tuple] = {}  # link → its file in the copy (_link_target)
        self.read_ahead: dict = {}
        # The main site's absolute links in feeds and the sitemap, not in an id.
        self.site_links = re.compile(
            r'(?<!<id>)(?<!"id": ")'
            + re.escape(settings.SITE_URL)
            + r'(?:(/[^\s"\'<>&\\]*)|(?![\w.:-]))'
        )

    def export_pages(self, urls: list[str], jobs: int | None = None) -> None:
        """Render and write `urls`: in this process, or shared among `jobs` processes forked
        from it (each keeps what this one has read: templates, kept fragments). By default
        one per CPU this process may use, each with at least MIN_PAGES_PER_JOB pages."""
        if jobs is None:  # as many as there are CPUs and enough pages to share
            jobs = min(cpus(), len(urls) // MIN_PAGES_PER_JOB)
        jobs = min(jobs, len(urls))
        if jobs < 2 or not _can_fork():
            self.export_share(urls)
            return
        self.homes  # read here once, not in each process  # noqa: B018
        _prepare_renditions()
        connections.close_all()  # each process opens its own
        # Batches handed out as processes ask for them: pages of a kind come together (an
        # article takes three times a lite article's CPU), so fixed shares left one
        # process idle for a third of the export.
        batches = [urls[n : n + READ_AHEAD_BATCH] for n in range(0, len(urls), READ_AHEAD_BATCH)]
        global _forked
        _forked = self
        try:
            with multiprocessing.get_context("fork").Pool(jobs, _as_worker) as pool:
                done = list(pool.imap_unordered(_export_share, batches))
                pool.close()
                pool.join()  # each ends by itself, not by the SIGTERM of leaving this block
        finally:
            _forked = None
        for report, assets in done:
            self.assets |= assets
            self.report.pages += report.pages
            self.report.written += report.written
        self.report.urls += urls

    def export_share(self, urls: list[str]) -> None:
        """Export `urls` in this process, READ_AHEAD_BATCH at a time, the articles of each
        batch read in one query (routing one page read one: a quarter of an article's
        render)."""
        for start in range(0, len(urls), READ_AHEAD_BATCH):
            batch = urls[start : start + READ_AHEAD_BATCH]
            self.read_ahead = _read_ahead(batch, self.homes)
            try:
                for url in batch:
                    self.export_page(url)
            finally:
                self.read_ahead = {}

    @functools.cached_property
    def homes(self) -> dict[str, str]:
        """The editions' home pages' paths (read once, before any fork)."""
        return edition_homes()

    def render(self, url: str) -> tuple[int, bytes]:
        parts = urlsplit(url)
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "SERVER_NAME": self.site.hostname or "localhost",
            "SERVER_PORT": str(self.site.port or (443 if self.site.scheme == "https" else 80)),
            "HTTP_HOST": self.site.netloc,
            "wsgi.url_scheme": self.site.scheme or "http",
            "wsgi.input": io.BytesIO(b""),
            ARCHIVE: "1",  # a section's pages numbered from the oldest (newsroom/archive.py)
            READ_AHEAD: self.read_ahead,
            "wsgi.errors": io.StringIO(),
        }
        seen = {}

        def start_response(status, headers, exc_info=None):
            seen["status"] = int(status.split()[0])

        result = self.app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return seen["status"], body

    def export_page(self, url: str) -> None:
        status, body = self.render(url)
        if status != 200:
            raise ExportError(f"{url} answered {status}")
        name = file_for(url)
        if name.endswith(".html"):
            body = self.relative(body.decode(), url, name).encode()
        elif name.endswith(CONFIG_FILE):  # every edition's
            body = self.relative_config(body, name)
        elif name.endswith((".xml", ".json")) and name != "funding.json":
            body = self.relative_feed(body.decode(), name).encode()
        self.write(name, body)
        self.report.pages += 1
        self.report.urls.append(url)

    def export_support_pages(self, prefixes: list[str]) -> None:
        """The copy's support page in each edition (`support/index.html`,
        `ru/support/index.html`), in its language, naming its edition's live support page."""
        site = Site.objects.filter(is_default_site=True).first()
        giving = GivingSettings.for_site(site) if site else None
        for prefix in prefixes:
            with translation.override(editions.language_of_path(prefix + "/")):
                context = {
                    "addresses": _live_addresses(),
                    "support_path": prefix + "/support/",
                    "offline_instructions": giving.offline_instructions if giving else "",
                    "newsroom": _newsroom_name(site),
                    "home": posixpath.relpath("index.html", "support"),
                }
                html = render_to_string("readerfund/static_support.html", context)
            self.write(support_file(prefix), html.encode())

    def relative(self, html: str, url: str, name: str) -> str:
        """`html` (the page at `url`, written to `name`) with its links relative to `name`,
        no scripts, and what only the server does linked to the copy's support page."""
        html = SCRIPTS.sub(_kept_script, html)
        here = posixpath.dirname(name) or "."
        link = self._linker(url, here)
        html = _sub_attributes(html, LINK_ATTRIBUTES, lambda name, value: link(value))
        return _sub_attributes(html, {"t": "srcset"}, lambda name, value: _srcset(value, link))

    def relative_feed(self, text: str, name: str) -> str:
        """A feed or the sitemap (`text`, written to `name`) with every link to the main
        site made relative to `name`: a reader of the copy's feed stays in the copy. Ids
        (Atom's <id>, JSON Feed's "id") keep the main site's address: they name an article
        wherever it is read, they are not fetched."""
        here = posixpath.dirname(name) or "."
        link = self._linker("/" + name, here)
        return self.site_links.sub(lambda m: link(m.group(1) or "/"), text)

    def relative_config(self, body: bytes, name: str) -> bytes:
        """The appeals config with its links (the letters' buttons, "Remind me later")
        relative to the config itself, where appeals.js resolves them."""
        config = json.loads(body)
        link = self._linker("/" + name, posixpath.dirname(name))
        if config.get("reminders"):
            config["reminders"] = link(config["reminders"])
        for appeal in config.get("appeals", []):
            for variant in appeal.get("variants", []):
                if variant.get("url"):
                    variant["url"] = link(variant["url"])
        return json.dumps(config, ensure_ascii=False, separators=(",", ":")).encode()

    def _linker(self, url: str, here: str):
        """A function that turns a link on the page at `url` (written in the copy's
        directory `here`) into a link relative to `here`, noting the images and styles."""
        links, targets = self.links, self.targets

        def link(value: str) -> str:
            if value.startswith("?"):
                value = urlsplit(url).path + value
            if not value.startswith("/") or value.startswith("//"):
                return value
            key = (here, value)
            if key not in links:  # each article has its directory: its target is known
                target, fragment, asset = targets.get(value) or _link_target(value)
                targets[value] = target, fragment, asset
                links[key] = _relpath(target, here) + fragment, asset
            relative, asset = links[key]
            if asset:
                self.assets.add(asset)
            return relative

        return link

    def copy_assets(self) -> None:
        for path in sorted(self.assets):
            target = self.out / path[1:]
            if target.exists():
                continue
            source = _asset_source(path)
            if source is None:
                raise ExportError(f"{path} is linked but cannot be found")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            self.report.assets += 1

    def write(self, name: str, body: bytes) -> None:
        target = self.out / name
        if target.exists() and target.read_bytes() == body:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(target, body)
        self.report.written += 1


READ_AHEAD_BATCH = 100


def _read_ahead(urls: list[str], homes: dict[str, str] | None = None) -> dict:
    """The articles `urls` show (their own pages and lite pages), read in one query as
    routing reads one (newsroom.models._child_as_its_type): {(section's path, slug): page}."""
    homes = homes or edition_homes()
    paths = set()
    for url in urls:
        path = urlsplit(url).path
        prefix = editions.prefix(editions.language_of_path(path))
        if prefix in homes:
            paths.add(homes[prefix].rstrip("/") + path[len(prefix) :].removeprefix("/lite"))
    related = getattr(ArticlePage, "select_on_route", ())
    pages = ArticlePage.objects.select_related(*related).filter(url_path__in=paths)
    return {(page.path[: -ArticlePage.steplen], page.slug): page for page in pages}


def _prepare_renditions() -> None:
    """Make the image renditions the pages use that are missing (a worker makes them when an
    image is saved: newsroom/renditions.py), before the processes share the pages: two
    processes making the same rendition at once would each keep, and link, its own file."""
    Image = get_image_model()
    made: dict[int, set[str]] = {}
    rows = Image.get_rendition_model().objects.values_list("image_id", "filter_spec")
    for image_id, spec in rows:
        made.setdefault(image_id, set()).add(spec)
    wanted = set(renditions.SPECS)
    for image in Image.objects.all():
        if not wanted <= made.get(image.pk, set()):
            renditions.prepare(image)


MIN_PAGES_PER_JOB = 200  # fewer are rendered sooner than a process starts
_forked: Exporter | None = None


def _as_worker() -> None:
    # The signal handlers of the process that forked this one (a bench's, a server's) are
    # not ours: a pool ends its workers with SIGTERM.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _export_share(urls: list[str]) -> tuple[Report, set[str]]:
    exporter = _forked
    exporter.report, exporter.assets = Report(), set()
    exporter.export_share(urls)
    connections.close_all()
    exporter.report.urls = []
    return exporter.report, exporter.assets


def cpus() -> int:
    """The CPUs this process may run on (all of the machine's where that cannot be asked)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _can_fork() -> bool:
    """Whether forked processes can open the database themselves: not inside a transaction
    (tests), not on an in-memory SQLite database."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            return False
    for alias in connections:
        name = str(connections[alias].settings_dict.get("NAME") or "")
        if connections[alias].vendor == "sqlite" and ("memory" in name or not name):
            return False
    return hasattr(os, "fork")


class ExportError(Exception):
    """A page of the site could not be exported."""


def _replace(target: Path, body: bytes) -> None:
    """Write `target` whole, never half: a reader (or another export running at the same
    time, each with its own temporary file) sees the old bytes or the new."""
    temporary = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    temporary.write_bytes(body)
    os.replace(temporary, target)


def support_file(prefix: str) -> str:
    """The copy's support page of the edition at `prefix` ('', '/ru')."""
    return prefix.lstrip("/") + ("/" if prefix else "") + SUPPORT_FILE


def _link_target(value: str) -> tuple[str, str, str | None]:
    """The file in the copy that `value` (a path on the site) links to, its fragment
    ('#…' or ''), and the image or stylesheet it names (to copy), if any."""
    parts, asset = urlsplit(value), None
    if editions.unprefixed(parts.path).startswith(SERVER_ONLY):  # in any edition: its own
        target = support_file(editions.prefix(editions.language_of_path(parts.path)))
    elif parts.path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        asset = parts.path
        target = parts.path[1:]
    else:
        target = file_for(parts.path + (f"?{parts.query}" if parts.query else ""))
    return target, (f"#{parts.fragment}" if parts.fragment else ""), asset


def _relpath(target: str, here: str) -> str:
    """posixpath.relpath for the copy's own paths (no "." or ".." in them), without its
    os.getcwd() on every call."""
    parts, base = target.split("/"), [] if here == "." else here.split("/")
    if "" in parts or "" in base or {".", ".."} & {*parts, *base}:
        return posixpath.relpath(target, here)
    common = 0
    while common < min(len(parts), len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


def _sub_attributes(html: str, names: dict[str, str], replace) -> str:
    """`html` with the value of each attribute `name="value"` (a name of `names`, by its
    last letter, not preceded by a letter, digit or _) replaced by `replace(name, value)`:
    what re.sub(r'\b(href|src|…)="([^"]*)"', …) does, found from each '="' (which str.find
    finds at once, where a pattern that starts with \b is tried at every character: four
    times slower on a page)."""
    marker = '="' if len(names) > 1 else next(iter(names.values())) + '="'
    parts, done, at = [], 0, html.find(marker)
    while at != -1:
        after = at + len(marker)
        if len(names) > 1:
            name = names.get(html[at - 1], "")
            start = at - len(name)
        else:
            name, start = marker[:-2], at
        if (
            name
            and start >= done
            and html.startswith(name, start)
            and not (start and WORD.match(html, start - 1))
        ):
            end = html.find('"', after)
            if end != -1:
                parts += (html[done:start], f'{name}="{replace(name, html[after:end])}"')
                done = after = end + 1
        at = html.find(marker, after)
    parts.append(html[done:])
    return "".join(parts)


def _srcset(value: str, link) -> str:
    items = []
    for item in value.split(","):
        url, _, size = item.strip().partition(" ")
        items.append(f"{link(url)} {size}".strip())
    return ", ".join(items)


def _asset_source(path: str) -> Path | None:
    if path.startswith(settings.MEDIA_URL):
        source = Path(settings.MEDIA_ROOT) / path.removeprefix(settings.MEDIA_URL)
        return source if source.is_file() else None
    name = path.removeprefix(settings.STATIC_URL)
    collected = Path(settings.STATIC_ROOT) / name
    if collected.is_file():
        return collected
    found = finders.find(name)
    return Path(found) if found else None


def _live_addresses() -> list[str]:
    addresses = [settings.SITE_URL, *settings.MIRRORS]
    return addresses + ([settings.ONION_URL] if settings.ONION_URL else [])


def _newsroom_name(site) -> str:
    return newsroom_settings(site).name if site else settings.WAGTAIL_SITE_NAME
