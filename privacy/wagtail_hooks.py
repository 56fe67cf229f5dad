"""The audit log in the admin: read-only, for staff allowed to view it."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from privacy.models import AuditEvent
from readerfund.lib.admin import ReadOnlyPolicy

register_permission_policy(AuditEvent, ReadOnlyPolicy(AuditEvent))


class AuditLogViewSet(ModelViewSet):
    url_prefix = "audit-log"
    name = "audit_log"
    model = AuditEvent
    icon = "history"
    menu_label = _("Audit log")
    add_to_settings_menu = True
    list_display = ["at", "action", "via", "actor", "target", "details"]
    list_filter = {"at": ["date__gte", "date__lte"], "action": ["exact"], "via": ["exact"]}
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditLogViewSet()
