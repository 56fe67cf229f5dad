"""The static copy and the lite pages: `readerfund export-static` over many articles, and the
size of every demo article's lite page.

Run from the repository root:

    .venv/bin/python bench/export.py [--articles 10000] [--json PATH]

A throwaway data dir (SQLite, the embedded default) gets the demo newsroom; each demo
article's lite page is measured (target: at most 15 KB). The demo is exported once (which
makes its image renditions), then articles are added until there are `--articles`, spread
over the four sections and sharing the demo's images, and the whole site is exported into a
fresh directory (pages/s; target >= 200 on 2 cores), in one process per CPU forked from this
one. Then one article is published and the export runs again into the same directory
(target: under 2 s). CPU seconds count the forked processes too: on a shared machine they
say more than the wall clock.
"""

import argparse
import json
import logging
import resource
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ must not shadow the apps (bench/funding.py vs the funding app).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.common import BenchError, command_line, machine, raise_on_sigterm  # noqa: E402
from bench.pages import demo_in_process  # noqa: E402

LITE_LIMIT = 15 * 1024


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="Articles in the site.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    return parser.parse_args(argv)


def lite_sizes() -> dict[str, int]:
    from django.test import Client

    from newsroom.models import ArticlePage
    from readerfund.export import lite as lite_of

    client = Client(HTTP_HOST="127.0.0.1")
    sizes = {}
    for article in ArticlePage.objects.live().order_by("path"):
        url = article.url
        lite = lite_of(url)  # in its edition: /ru/news/x/ → /ru/lite/news/x/
        response = client.get(lite)
        if response.status_code != 200:
            raise BenchError(f"{lite} answered {response.status_code}")
        sizes[url] = len(response.content)
    return sizes


def add_articles(total: int) -> float:
    """Articles until there are `total`: copies of the demo's, live, in their sections.
    Returns the seconds it took."""
    from django.db import transaction
    from django.utils import timezone

    from newsroom.models import ArticlePage

    started = time.perf_counter()
    demo = list(ArticlePage.objects.live().order_by("path"))
    count = len(demo)
    when = timezone.now() - timedelta(days=3650)
    while count < total:
        with transaction.atomic():
            for model in demo:
                if count >= total:
                    break
                count += 1
                copy = ArticlePage(
                    title=f"{model.title} ({count})",
                    slug=f"{model.slug}-{count}",
                    standfirst=model.standfirst,
                    lead_image=model.lead_image,
                    lead_image_caption=model.lead_image_caption,
                    lead_image_credit=model.lead_image_credit,
                    body=model.body.raw_data,
                    first_published_at=when + timedelta(minutes=count),
                    last_published_at=when + timedelta(minutes=count),
                    live=True,
                )
                model.get_parent().add_child(instance=copy)
    return time.perf_counter() - started


def cpu_seconds() -> float:
    """CPU used by this process and the rendering processes it forked (and waited for)."""
    own, forked = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + forked.ru_utime + forked.ru_stime


def timed_export(out: Path):
    from readerfund.export import export_site

    started, cpu = time.perf_counter(), cpu_seconds()
    report = export_site(out)
    return report, time.perf_counter() - started, cpu_seconds() - cpu


def publish_one() -> None:
    from newsroom.models import ArticlePage, SectionPage

    section = SectionPage.objects.live().order_by("path").first()
    article = ArticlePage(title="Breaking: one more story", slug="breaking", standfirst=".")
    article.body = [("paragraph", "<p>Published during the bench.</p>")]
    section.add_child(instance=article)
    article.save_revision().publish()


def bench(args: argparse.Namespace, data_dir: Path) -> dict:
    demo_in_process(data_dir)
    from readerfund.export import MIN_PAGES_PER_JOB, cpus

    logging.getLogger("wagtail").setLevel(logging.WARNING)  # a line per page created
    sizes = lite_sizes()
    _, warm_seconds, _ = timed_export(data_dir / "warm")  # makes the renditions
    adding = add_articles(args.articles)
    full, full_seconds, full_cpu = timed_export(data_dir / "copy")
    publish_one()
    again, again_seconds, again_cpu = timed_export(data_dir / "copy")
    files = sum(1 for path in (data_dir / "copy").rglob("*") if path.is_file())
    return {
        "machine": machine(),
        "command": command_line(),
        "lite": {
            "articles": len(sizes),
            "max_bytes": max(sizes.values()),
            "median_bytes": sorted(sizes.values())[len(sizes) // 2],
            "over_15_kb": [url for url, size in sizes.items() if size > LITE_LIMIT],
        },
        "demo_export_seconds_with_renditions": round(warm_seconds, 1),
        "articles": args.articles,
        "adding_articles_seconds": round(adding, 1),
        "full_export": {
            "processes": min(cpus(), full.pages // MIN_PAGES_PER_JOB),
            "pages": full.pages,
            "files": files,
            "seconds": round(full_seconds, 1),
            "cpu_seconds": round(full_cpu, 1),
            "pages_per_s": round(full.pages / full_seconds, 1),
            "pages_per_cpu_s": round(full.pages / full_cpu, 1),
        },
        "after_one_publish": {
            "pages": again.pages,
            "written": again.written,
            "seconds": round(again_seconds, 2),
            "cpu_seconds": round(again_cpu, 2),
        },
    }


def main() -> None:
    raise_on_sigterm()
    args = parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="readerfund-bench-export-"))
    try:
        figures = bench(args, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
