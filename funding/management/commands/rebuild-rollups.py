import time

from django.core.management.base import BaseCommand

from funding import rollups


class Command(BaseCommand):
    help = "Recompute the funding rollups from the whole ledger (safe to run at any time)."

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = rollups.rebuild()
        self.stdout.write(
            f"Rollups rebuilt in {time.monotonic() - started:.1f} s: {counts['days']} day rows, "
            f"{counts['supporters']} supporter-months over {counts['months']} months."
        )
