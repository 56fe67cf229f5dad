"""The contributions side of the admin: gifts, the ledger, currencies and presets."""

from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from contributions import admin_views, breaker, services
from contributions.models import AmountPreset, Contribution, CurrencyOption, LedgerEntry
from readerfund.lib.admin import ReadOnlyPolicy

register_permission_policy(Contribution, ReadOnlyPolicy(Contribution))
register_permission_policy(LedgerEntry, ReadOnlyPolicy(LedgerEntry))


class ContributionInspectView(InspectView):
    """The contribution's fields, then its payments, with a refund link for staff allowed
    to refund."""

    template_name = "contributions/admin/contribution_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_refund = self.request.user.has_perm("contributions.add_refund")
        context["payments"] = [
            {
                "payment": payment,
                "refunds": list(payment.refunds.order_by("created_at")),
                "refundable": can_refund
                and payment.status == payment.Status.SUCCEEDED
                and services.refundable(payment) > 0,
            }
            for payment in self.object.payments.order_by("period")
        ]
        return context


class ContributionViewSet(ModelViewSet):
    url_prefix = "giving/contributions"
    name = "giving_contributions"
    model = Contribution
    icon = "heart"
    menu_label = _("Contributions")
    list_display = ["__str__", "status", "frequency", "currency", "provider", "created_at"]
    list_filter = ["status", "frequency", "currency", "provider", "disputed"]
    inspect_view_enabled = True
    inspect_view_class = ContributionInspectView
    inspect_view_fields = [
        "id", "frequency", "amount", "fee_amount", "currency", "status", "next_charge_on",
        "disputed", "anonymous", "provider", "appeal", "variant", "created_at",
    ]  # fmt: skip
    copy_view_enabled = False
    form_fields = []


class LedgerViewSet(ModelViewSet):
    url_prefix = "giving/ledger"
    name = "giving_ledger"
    model = LedgerEntry
    icon = "list-ul"
    menu_label = _("Ledger")
    list_display = ["occurred_at", "kind", "__str__", "source", "reference"]
    list_filter = {
        "occurred_at": ["date__gte", "date__lte"],
        "kind": ["exact"],
        "source": ["exact"],
    }
    list_export = [
        "occurred_at", "contribution_id", "frequency", "kind", "amount_major", "currency",
        "source", "reference",
    ]  # fmt: skip
    export_headings = {
        "occurred_at": _("date"),
        "contribution_id": _("contribution"),
        "frequency": _("frequency"),
        "amount_major": _("amount"),
        "source": _("provider"),
        "reference": _("provider reference"),
    }
    export_filename = "readerfund-ledger"
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = []


class CurrencyViewSet(ModelViewSet):
    url_prefix = "giving/currencies"
    name = "giving_currencies"
    model = CurrencyOption
    icon = "cog"
    menu_label = _("Currencies")
    list_display = ["code", "minimum", "maximum", "enabled"]
    form_fields = ["code", "minimum", "maximum", "position", "enabled"]


class PresetViewSet(ModelViewSet):
    url_prefix = "giving/presets"
    name = "giving_presets"
    model = AmountPreset
    icon = "cog"
    menu_label = _("Preset amounts")
    list_display = ["__str__", "amounts", "default_amount"]
    form_fields = ["currency", "frequency", "amounts", "default_amount"]


class GivingGroup(ModelViewSetGroup):
    menu_label = _("Giving")
    menu_icon = "heart"
    menu_order = 250
    items = [ContributionViewSet, LedgerViewSet, CurrencyViewSet, PresetViewSet]


@hooks.register("register_admin_viewset")
def register_giving():
    return GivingGroup()


@hooks.register("register_admin_urls")
def offline_gift_urls():
    return [
        path("giving/offline/", admin_views.offline_gift, name="contributions_offline_gift"),
        path(
            "giving/payments/<int:payment_pk>/refund/",
            admin_views.refund,
            name="contributions_refund",
        ),
    ]


@hooks.register("register_admin_menu_item")
def offline_gift_menu_item():
    return MenuItem(
        _("Record an offline gift"),
        reverse("contributions_offline_gift"),
        icon_name="plus",
        order=251,
    )


class BreakerPanel(Component):
    """On the admin's home page, while declines have slowed checkout down: since when, why."""

    order = 50  # above every other panel
    template_name = "contributions/admin/breaker_panel.html"

    def __init__(self, state: dict):
        self.state = state

    def get_context_data(self, parent_context):
        return {"breaker": self.state, "budget": settings.READERFUND_BREAKER_BUDGET}


@hooks.register("construct_homepage_panels")
def breaker_panel(request, panels):
    if not request.user.has_perm("contributions.view_contribution"):
        return
    state = breaker.state()
    if state["tripped"]:
        panels.append(BreakerPanel(state))
