"""`readerfund export-static DIR`: the public site as plain files anyone can host.

Every page is rendered by the same Django that serves readers (a WSGI call, as a reader's
request on the main site's host), then its links are made relative to the file it is
written to, so the copy works under any path prefix, from `file://`, on object storage, a
static host, IPFS or a USB stick:

- `/news/slug/` is written to `news/slug/index.html` and linked as `…/news/slug/index.html`
  (a `file://` reader gets no directory index); `/news/?page=2` to `news/page-2.html`;
  the feeds to `feed.xml` and `news/feed.xml`.
- What only a live server can do (checkout, reminders, the API) is linked to the copy's own
  `support/index.html`, which lists the live addresses (main site, mirrors, onion) and the
  ways to give that need no card or no JavaScript.
- Scripts are left out: a copy cannot count appeal events or take a card, and every page is
  usable without JavaScript (the letter is its text with a link to give).
- Images (the renditions the pages use) and stylesheets are copied beside the pages.
- The JSON feeds keep their names (`feed.json`, `news/feed.json`).

Feeds and the sitemap keep absolute links to the main site: both formats require them.

Incremental: `export.json` in DIR records the last export. The next one renders again only
the articles published since (or `--since`), the lists that show them (home, their sections'
pages, feeds, sitemap), and writes only files whose bytes changed; pages no longer live are
deleted.
"""

import io
import json
import os
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.handlers.wsgi import WSGIHandler
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.models import Site

from contributions.settings_models import GivingSettings
from newsroom.lite import PAGE_SIZE as LITE_PAGE_SIZE
from newsroom.models import (
    SECTION_PAGE_SIZE,
    SectionPage,
    live_articles,
    newsroom_settings,
)

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
DATA = ["/appeals/config.json", "/funding.json", "/robots.txt"]
LINK_ATTRIBUTES = re.compile(r'\b(href|src|action|data-config)="([^"]*)"')
SRCSET = re.compile(r'\bsrcset="([^"]*)"')
SCRIPTS = re.compile(r"<script\b[^>]*>.*?</script>\s*", re.S | re.I)
EDITIONS_SWITCH = re.compile(r'<nav class="editions".*?</nav>', re.S)


@dataclass
class Report:
    pages: int = 0  # rendered
    written: int = 0  # files whose bytes changed
    removed: int = 0
    assets: int = 0
    urls: list[str] = field(default_factory=list)


def export_site(out: Path, since: datetime | None = None, everything: bool = False) -> Report:
    """Write (or bring up to date) the static copy in `out`. With `since` (or the time of
    the previous export, read from `out`), only what was published since is rendered again;
    with `everything`, every page (after a change that reaches every page: the newsroom's
    settings, an appeal, an author).
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
    urls = page_urls(since, exported, set(previous.get("articles", [])))
    for url in urls:
        exporter.export_page(url)
    exporter.export_support_page()
    exporter.copy_assets()
    report = exporter.report
    every_page = set(page_urls(None, set(), set()))
    articles = sorted(_article_urls())
    for gone in set(previous.get("pages", [])) - every_page:
        target = out / file_for(gone)
        if target.exists():
            target.unlink()
            report.removed += 1
    manifest = {"exported_at": started.isoformat(), "pages": sorted(every_page)}
    manifest["articles"] = articles
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return report


def _read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def page_urls(since: datetime | None, exported: set[str], exported_articles: set[str]) -> list[str]:
    """The URLs to render: everything, or (with `since`) what changed since and the lists
    that show it, plus any page the copy does not have yet. A section is rendered again when
    one of its articles was published since, or left the site."""
    home = _home_path()
    # The default edition's pages only: the copy does not carry the other editions yet.
    articles = {_url(a, home): a for a in _articles(home)}
    sections = SectionPage.objects.live().public().filter(url_path__startswith=home)
    sections = list(sections.order_by("path"))
    changed = {url for url, a in articles.items() if since is None or _published(a) > since} | (
        set(articles) - exported
    )
    gone = exported_articles - set(articles)
    urls = ["/", "/lite/", "/feed/", "/feed.json", "/sitemap.xml", *DATA]
    for section in sections:
        base = _url(section, home)
        urls += [base + "feed/", base + "feed.json"]
        touched = any(url.startswith(base) for url in changed | gone)
        if since is None or touched or _published(section) > since or base not in exported:
            count = section.articles().count()
            urls += _paginated(base, count, SECTION_PAGE_SIZE)
            urls += _paginated("/lite" + base, count, LITE_PAGE_SIZE)
    for url in articles:
        if url in changed:
            urls += [url, "/lite" + url]
    return list(dict.fromkeys(urls))


def _article_urls() -> set[str]:
    home = _home_path()
    return {_url(article, home) for article in _articles(home)}


def _articles(home_path: str):
    return live_articles().filter(url_path__startswith=home_path).defer_streamfields()


def _url(page, home_path: str) -> str:
    return "/" + page.url_path.removeprefix(home_path).lstrip("/")


def _published(page) -> datetime:
    return page.last_published_at or page.first_published_at or timezone.now()


def _home_path() -> str:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page.url_path if site else "/"


def _paginated(base: str, count: int, size: int) -> list[str]:
    pages = max(1, -(-count // size))
    return [base] + [f"{base}?page={n}" for n in range(2, pages + 1)]


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
        self.write(name, body)
        self.report.pages += 1
        self.report.urls.append(url)

    def export_support_page(self) -> None:
        site = Site.objects.filter(is_default_site=True).first()
        giving = GivingSettings.for_site(site) if site else None
        context = {
            "addresses": _live_addresses(),
            "offline_instructions": giving.offline_instructions if giving else "",
            "newsroom": _newsroom_name(site),
            "home": posixpath.relpath("index.html", "support"),
        }
        html = render_to_string("readerfund/static_support.html", context)
        self.write(SUPPORT_FILE, html.encode())

    def relative(self, html: str, url: str, name: str) -> str:
        """`html` (the page at `url`, written to `name`) with its links relative to `name`,
        no scripts, and what only the server does linked to the copy's support page."""
        html = SCRIPTS.sub("", html)
        html = EDITIONS_SWITCH.sub("", html)  # the copy carries the default edition only
        here = posixpath.dirname(name) or "."

        def link(value: str) -> str:
            if value.startswith("?"):
                value = urlsplit(url).path + value
            if not value.startswith("/") or value.startswith("//"):
                return value
            parts = urlsplit(value)
            if parts.path.startswith(SERVER_ONLY):
                target = SUPPORT_FILE
            elif parts.path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
                self.assets.add(parts.path)
                target = parts.path[1:]
            else:
                target = file_for(parts.path + (f"?{parts.query}" if parts.query else ""))
            relative = posixpath.relpath(target, here)
            return relative + (f"#{parts.fragment}" if parts.fragment else "")

        html = LINK_ATTRIBUTES.sub(lambda m: f'{m.group(1)}="{link(m.group(2))}"', html)
        return SRCSET.sub(lambda m: f'srcset="{_srcset(m.group(1), link)}"', html)

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
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_bytes(body)
        os.replace(temporary, target)
        self.report.written += 1


class ExportError(Exception):
    """A page of the site could not be exported."""


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
