"""`readerfund backup DIR`: the database, the keys and the media, into a new folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from readerfund import backup


class Command(BaseCommand):
    help = (
        "Copy the database, the encryption and blind index keys, the secret key and the "
        "uploaded media into DIR (new or empty). DIR then holds the keys beside the data: "
        "keep it as safe as the server."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, metavar="DIR")

    def handle(self, *args, folder, **options):
        try:
            written = backup.backup(folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up into {folder}: {', '.join(written)}")
        self.stdout.write("It holds the keys that decrypt donors' data: keep it as safe.")
