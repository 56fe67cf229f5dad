"""Reminders in the admin: the named days staff offer (a snippet), the letter (Settings →
Reminders), and a page of counts. No list of reminders: staff never see readers' addresses."""

from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import permission_required
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from reminders.models import Reminder, ReminderDate


class ReminderDateViewSet(SnippetViewSet):
    model = ReminderDate
    icon = "date"
    menu_label = _("Reminder dates")
    add_to_admin_menu = False
    list_display = ["label", "date"]


register_snippet(ReminderDateViewSet)


def reminder_counts() -> dict:
    """How many reminders are in each state, and how many are due on each coming day."""
    by_status = dict(
        Reminder.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    upcoming = (
        Reminder.objects.filter(
            status=Reminder.Status.SCHEDULED, remind_on__gte=timezone.localdate()
        )
        .values_list("remind_on")
        .annotate(n=Count("pk"))
        .order_by("remind_on")
    )
    return {
        "statuses": [(label, by_status.get(value, 0)) for value, label in Reminder.Status.choices],
        "upcoming": list(upcoming[:24]),
    }


@permission_required("wagtailadmin.access_admin")
def counts(request):
    context = {"page_title": _("Reminders"), **reminder_counts()}
    return TemplateResponse(request, "reminders/admin/counts.html", context)


@hooks.register("register_admin_urls")
def reminder_urls():
    return [path("reminders/", counts, name="reminders_counts")]


@hooks.register("register_admin_menu_item")
def reminder_menu_item():
    return MenuItem(_("Reminders"), reverse("reminders_counts"), icon_name="date", order=260)
