"""The one table of the plumbing: which periodic run is claimed, by whom, until when."""

from django.db import models


class ScheduledRun(models.Model):
    """One slot of one periodic task (readerfund/schedule.py): the charge_renewals of
    14:00, say. Claimed by one worker's tick with a token and a lease; the run that carries
    the token finishes it. A run whose worker died leaves its lease to expire, and the next
    tick claims the slot again with a new token, so the slot runs once, never zero times."""

    task = models.CharField(max_length=200)
    slot = models.BigIntegerField(help_text="seconds since the epoch // the task's period")
    token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField()
    claims = models.PositiveIntegerField(default=0)
    runs = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "slot"], name="one_row_per_scheduled_slot")
        ]

    def __str__(self):
        return f"{self.task} slot {self.slot}"
