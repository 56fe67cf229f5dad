"""`readerfund erase-donor`: erase what we hold about one donor, for a request by mail.

The address is read from standard input (`readerfund erase-donor < request.txt`, or typed
at the prompt), never from the command line: arguments land in shell history and in the
process list that every user of the machine can read.
"""

import sys
from getpass import getpass

from django.core.management.base import BaseCommand, CommandError

from privacy import erasure


class Command(BaseCommand):
    help = (
        "Erase one person's data: stop their recurring contributions, erase their email and "
        "name, delete their reminders, their waiting outbox messages and their customer at "
        "the payment provider. Contributions, payments and the ledger stay. Reads the address "
        "from standard input or a prompt, never from the command line. Prints counts only. "
        "Safe to run twice."
    )

    def handle(self, *args, **options):
        email = _read_address()
        if "@" not in email:
            raise CommandError("give the address the person gave, on standard input")
        counts = erasure.erase_email(email)
        for name, count in counts.items():
            self.stdout.write(f"{name.replace('_', ' ')}: {count}")
        if not any(counts.values()):
            self.stdout.write("Nothing held for this address (or it was erased already).")


def _read_address() -> str:
    if sys.stdin.isatty():
        # Not echoed: the address stays off the screen and out of terminal scrollback.
        return getpass("The address the person gave: ").strip()
    return sys.stdin.readline().strip()
