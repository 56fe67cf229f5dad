"""The funding side of the admin: the dashboard, monthly costs and exchange rates."""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from funding import services, views
from funding.models import ExchangeRate, MonthlyCost


class PermissionMenuItem(MenuItem):
    """A menu item shown only to staff holding `permission`."""

    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class DashboardViewSet(ViewSet):
    name = "funding_dashboard"
    url_prefix = "funding"
    icon = "view"
    menu_label = _("Dashboard")

    def get_urlpatterns(self):
        return [
            path("", views.dashboard, name="index"),
        ]

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            self.menu_label,
            self.menu_url,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
            permission="funding.view_dashboard",
        )


class MonthlyCostViewSet(ModelViewSet):
    url_prefix = "funding/costs"
    name = "funding_costs"
    model = MonthlyCost
    icon = "date"
    menu_label = _("Monthly costs")
    list_display = ["effective_from", "money", "note"]
    form_fields = ["effective_from", "amount", "note"]
    copy_view_enabled = False


class ExchangeRateViewSet(ModelViewSet):
    url_prefix = "funding/rates"
    name = "funding_rates"
    model = ExchangeRate
    icon = "resubmit"
    menu_label = _("Exchange rates")
    list_display = ["day", "currency", "rate", "source"]
    list_filter = ["currency", "source"]
    form_fields = ["day", "currency", "rate"]
    copy_view_enabled = False


class FundingGroup(ViewSetGroup):
    menu_label = _("Funding")
    menu_icon = "view"
    menu_order = 260
    items = [DashboardViewSet, MonthlyCostViewSet, ExchangeRateViewSet]


@hooks.register("register_admin_viewset")
def register_funding():
    return FundingGroup()


@hooks.register("register_admin_urls")
def funding_urls():
    # Stable names for templates and tests, beside the viewset's namespaced ones.
    return [
        path("funding/export.csv", views.export_csv, name="funding_export"),
        path("funding/rates/import/", views.import_rates, name="funding_import_rates"),
    ]


class FundingPanel(Component):
    """On the admin's home page: this month's figures, as the dashboard shows them."""

    order = 60  # below the checkout breaker's warning, above Wagtail's own panels
    template_name = "funding/admin/home_panel.html"

    def get_context_data(self, parent_context):
        return {"figures": services.month_figures(services.month_start(timezone.localdate()))}


@hooks.register("construct_homepage_panels")
def funding_panel(request, panels):
    if request.user.has_perm("funding.view_dashboard"):
        panels.append(FundingPanel())
