"""The audit log: what was done to money and to donors' data, by whom, through what."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One action on money or personal data: who (a staff user; nobody when the donor acted
    through their own link or an operator ran a command), what, through what, on which
    record (an opaque id) and figures. Never a name, an email or an address. Append-only."""

    class Action(models.TextChoices):
        REFUND = "refund", _("Refunded a payment")
        OFFLINE_GIFT = "offline_gift", _("Recorded an offline gift")
        STOP = "stop", _("Stopped a recurring contribution")
        CHANGE = "change", _("Changed a recurring contribution's amount or frequency")
        RESUME = "resume", _("Resumed a recurring contribution")
        CARD = "card", _("Saved a new card for a recurring contribution")
        ERASURE = "erasure", _("Erased a donor's data")
        EXPORT_DONORS = "export_donors", _("Exported the ledger with donors")
        VIEW_DONOR = "view_donor", _("Showed a contribution's donor")
        PROVIDER_SWITCH = "provider_switch", _("Switched a payment provider on or off")
        STATEMENT_IMPORT = "statement_import", _("Imported a bank statement")
        STATEMENT_MATCH = "statement_match", _("Matched a statement line by hand")

    class Via(models.TextChoices):
        ADMIN = "admin", _("the admin")
        DONOR = "donor", _("the donor's own link")
        COMMAND = "command", _("the command line")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    via = models.CharField(_("through"), max_length=10, choices=Via.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target = models.CharField(_("record"), max_length=100, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.get_action_display()} ({self.get_via_display()})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit events are never deleted")


class AuditLogIsAppendOnly(Exception):
    pass
