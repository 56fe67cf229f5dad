"""Erasure of the messages waiting in the data dir's outbox (the demo's and any site's that
sends no mail: readerfund.lib.mail.OutboxBackend writes them there), for privacy.erasure.

A file is found by its recipients' blind index, so the eraser needs no address: it reads
each message's headers only, and deletes the ones addressed to the erased donor.
"""

from email.parser import BytesHeaderParser
from email.utils import getaddresses
from pathlib import Path

from django.conf import settings

from privacy.crypto import email_index

OUTBOX = "outbox"


def erase_outbox(index: str) -> dict[str, int]:
    outbox = Path(settings.DATA_DIR) / OUTBOX
    deleted = 0
    for path in sorted(outbox.glob("*.eml")) if outbox.is_dir() else []:
        if index in _recipient_indexes(path):
            path.unlink(missing_ok=True)
            deleted += 1
    return {"outbox_messages": deleted}


def _recipient_indexes(path: Path) -> set[str]:
    with path.open("rb") as handle:
        headers = BytesHeaderParser().parse(handle)
    fields = [str(value) for name in ("To", "Cc", "Bcc") for value in headers.get_all(name, [])]
    return {email_index(address) for _, address in getaddresses(fields) if "@" in address}
