"""`readerfund restore DIR`: a backup's keys, database and media into this data dir."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from readerfund import backup


class Command(BaseCommand):
    help = (
        "Restore a `readerfund backup` folder: its keys into the data dir, its database "
        "(SQLite file or pg_restore) and its media. Refuses a database that already holds "
        "contributors (--force to replace it) and keys given by the environment that differ "
        "from the backup's. Restart every process afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, metavar="DIR")
        parser.add_argument("--force", action="store_true", help="Replace a database in use.")

    def handle(self, *args, folder, force=False, **options):
        try:
            restored = backup.restore(folder, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored from {folder}: {', '.join(restored)}")
        self.stdout.write("Restart every Readerfund process so that it reads the keys.")
