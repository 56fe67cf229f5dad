"""`readerfund rotate-keys`: re-encrypt stored personal data with the newest key."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy import keys, services

NEXT_STEPS = (
    "Next: restart every Readerfund process (web servers and task workers, on every machine) "
    "so they all know the new key, then run `readerfund rotate-keys` to re-encrypt stored "
    "data. Remove an old key only after rotate-keys reports nothing left to re-encrypt."
)


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value with the newest encryption key, in batches. Safe to "
        "interrupt and to run again. With --new-key, add a key first (keys in the data dir only)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; write nothing."
        )
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="Put a newly generated key at the front of the data dir's key file, and stop.",
        )
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")

    def handle(self, *args, dry_run, new_key, batch_size, **options):
        if new_key:
            self._add_key(dry_run)
            return
        rotations = services.rotate_all(batch_size=batch_size, dry_run=dry_run)
        if not rotations:
            self.stdout.write("No model has an encrypted field: nothing to re-encrypt.")
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        for rotation in rotations:
            self.stdout.write(
                f"{rotation.label}: {verb} {rotation.rotated}, {rotation.current} already current"
            )
        unreadable = [r for r in rotations if r.unreadable]
        if unreadable:
            listing = "; ".join(f"{r.label} pk {_some(r.unreadable)}" for r in unreadable)
            raise CommandError(
                f"no current key decrypts these rows, which were left unchanged: {listing}. "
                "Put back the key that encrypted them, then run rotate-keys again."
            )

    def _add_key(self, dry_run):
        if not settings.ENCRYPTION_KEYS_IN_DATA_DIR:
            raise CommandError(
                f"the encryption keys come from {keys.ENCRYPTION_KEYS_VAR} (or its _FILE), which "
                "this command cannot change. Put a new key at the front of that list (keep the "
                f"others), for example this new one: {keys.new_encryption_key()}\n{NEXT_STEPS}",
                returncode=2,
            )
        path = settings.DATA_DIR / keys.ENCRYPTION_KEYS_FILENAME
        if dry_run:
            self.stdout.write(f"Would add a new encryption key at the front of {path}.")
            return
        keys.add_encryption_key(settings.DATA_DIR)
        self.stdout.write(f"Added a new encryption key at the front of {path}.\n{NEXT_STEPS}")


def _some(pks, shown=20) -> str:
    more = f" and {len(pks) - shown} more" if len(pks) > shown else ""
    return ", ".join(map(str, pks[:shown])) + more
