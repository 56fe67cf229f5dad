"""Erasure of a reader's reminders, for privacy.erasure."""

from reminders.models import ConfirmationAsked, Reminder


def erase_reminders(index: str) -> dict[str, int]:
    """Delete every reminder of the address with this email blind index, sent or not, and
    when it was last asked to confirm one."""
    deleted, _ = Reminder.objects.filter(email_index=index).delete()
    ConfirmationAsked.objects.filter(email_index=index).delete()
    return {"reminders": deleted}
