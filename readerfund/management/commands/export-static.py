"""`readerfund export-static DIR [--since YYYY-MM-DD]`: the public site as files anyone can
host, with relative links (readerfund/export.py)."""

import time
from datetime import date, datetime
from datetime import time as day_start
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from readerfund.export import ExportError, export_site


class Command(BaseCommand):
    help = "Write the public site into DIR as static files (what changed since the last time)."

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path)
        parser.add_argument(
            "--since",
            type=date.fromisoformat,
            help="render again what was published from this day (YYYY-MM-DD) on; "
            "default: since the last export into DIR, or everything",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="render every page again (after editing settings, an appeal, an author)",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            help="processes that render at once (default: one per CPU when there are "
            "hundreds of pages to render)",
        )

    def handle(self, *args, dir: Path, since, everything: bool, jobs: int | None, **options):
        start = time.monotonic()
        moment = timezone.make_aware(datetime.combine(since, day_start.min)) if since else None
        try:
            report = export_site(dir, moment, everything, jobs)
        except ExportError as error:
            raise CommandError(str(error)) from None
        seconds = time.monotonic() - start
        self.stdout.write(
            f"{report.pages} pages rendered, {report.written} files written, "
            f"{report.assets} images and styles copied, {report.removed} removed "
            f"in {seconds:.1f} s: {dir}"
        )
