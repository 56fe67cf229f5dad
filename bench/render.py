"""What one render of a reader page costs, in process: queries and milliseconds.

Run from the repository root:

    .venv/bin/python bench/render.py [--renders 50] [--articles 10000] [--json PATH]

A throwaway data dir gets the demo newsroom (as bench/pages.py does); then, in this process
and with the page cache off, Django's test client renders each page once cold (the first
render after start, fragments not yet kept), then `--renders` times warm. It prints the
queries of the cold and of a warm render and the median milliseconds of the warm ones, also
as a multiple of a bare Django view rendering a trivial template through the same middleware
(the floor any page pays here). Nothing is served; no port is opened.
"""

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ must not shadow the apps (bench/funding.py vs the funding app).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.common import BenchError, command_line, machine, raise_on_sigterm  # noqa: E402
from bench.pages import demo_in_process  # noqa: E402

ARTICLE = "/news/regulator-orders-block-of-northern-ledger-site/"
PAGES = {
    "article": ARTICLE,
    "home": "/",
    "section": "/news/",
    "site feed": "/feed/",
    "section feed": "/news/feed/",
}
REFERENCE = "/bench-trivial/"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=50, help="Warm renders per page.")
    parser.add_argument(
        "--articles",
        type=int,
        default=0,
        help="Articles added to the demo first (bench/newsroom_load.py), e.g. 10000: the "
        "home page, sections and feeds then list from a long archive.",
    )
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    return parser.parse_args(argv)


# The reference: a bare view and a trivial template, through the same middleware.
def trivial_view(request):
    from django.shortcuts import render

    return render(request, "bench_trivial.html", {"title": "Trivial"})


def reference_urlconf() -> str:
    """The name of a URLconf that adds the reference view to the real ones."""
    from types import ModuleType

    from django.urls import include, path

    module = ModuleType("bench_render_urls")
    module.urlpatterns = [
        path("bench-trivial/", trivial_view),
        path("", include("readerfund.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def render_once(client, path: str) -> tuple[int, float, float]:
    """Queries, wall and CPU milliseconds of one GET, which must answer 200. CPU time is the
    steadier figure on a shared machine: waiting for a core is not counted."""
    from django.db import connection

    counter = QueryCounter()
    started, cpu_started = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        response = client.get(path)
        body = b"".join(response) if response.streaming else response.content
    cpu = (time.process_time() - cpu_started) * 1000
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200 or not body:
        raise BenchError(f"{path} answered {response.status_code}")
    return counter.count, elapsed, cpu


def measure(client, path: str, renders: int) -> dict:
    cold_queries, cold_ms, _ = render_once(client, path)
    runs = [render_once(client, path) for _ in range(renders)]
    return {
        "path": path,
        "cold_queries": cold_queries,
        "cold_ms": round(cold_ms, 2),
        "queries": max(queries for queries, _, _ in runs),
        "median_ms": round(statistics.median(ms for _, ms, _ in runs), 2),
        "median_cpu_ms": round(statistics.median(cpu for _, _, cpu in runs), 2),
    }


def bench(args: argparse.Namespace, data_dir: Path) -> dict:
    demo_in_process(data_dir, args.articles)
    from django.template import engines
    from django.test import Client
    from django.test.utils import override_settings

    # The trivial template, in the engine's own loaders (cached like every other template).
    (data_dir / "templates").mkdir()
    (data_dir / "templates" / "bench_trivial.html").write_text(
        "<!doctype html><title>{{ title }}</title><p>{{ title }}</p>\n"
    )
    engines["django"].engine.dirs.append(str(data_dir / "templates"))
    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(ROOT_URLCONF=reference_urlconf()):
        reference = measure(client, REFERENCE, args.renders)
    pages = {name: measure(client, path, args.renders) for name, path in PAGES.items()}
    for figures in pages.values():
        figures["x_reference"] = round(figures["median_ms"] / reference["median_ms"], 1)
    return {
        "machine": machine(renders=args.renders, articles=args.articles),
        "command": command_line(),
        "reference": reference,
        "pages": pages,
    }


def print_report(report: dict) -> None:
    print(f"# {report['command']}")
    print(f"# {json.dumps(report['machine'])}")
    ref = report["reference"]
    print(f"reference (bare view, trivial template): {ref['median_ms']:.2f} ms, 0 queries")
    print(f"reference CPU: {ref['median_cpu_ms']:.2f} ms")
    print(f"{'page':<14}{'cold q':>7}{'warm q':>7}{'median ms':>11}{'cpu ms':>8}{'x ref':>7}  path")
    for name, f in report["pages"].items():
        print(
            f"{name:<14}{f['cold_queries']:>7}{f['queries']:>7}{f['median_ms']:>11.2f}"
            f"{f['median_cpu_ms']:>8.2f}{f['x_reference']:>7.1f}  {f['path']}"
        )


def main(argv=None) -> int:
    args = parse_args(argv)
    raise_on_sigterm()
    data_dir = Path(tempfile.mkdtemp(prefix="readerfund-bench-render-"))
    try:
        report = bench(args, data_dir)
    except BenchError as exc:
        print(f"bench/render.py: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
