"""Erasure of a reader's reminders, for privacy.erasure."""

from reminders.models import Reminder


def erase_reminders(index: str) -> dict[str, int]:
    """Delete every reminder of the address with this email blind index, sent or not."""
    deleted, _ = Reminder.objects.filter(email_index=index).delete()
    return {"reminders": deleted}
