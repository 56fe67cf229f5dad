"""The contributions side of the admin: gifts, the ledger, currencies and presets."""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.search import SearchForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from contributions import admin_views, breaker, search
from contributions.models import AmountPreset, Contribution, CurrencyOption, LedgerEntry
from contributions.money import Money
from contributions.services import refunds
from privacy import audit
from readerfund.lib import l10n
from readerfund.lib.admin import ReadOnlyPolicy

register_permission_policy(Contribution, ReadOnlyPolicy(Contribution))
register_permission_policy(LedgerEntry, ReadOnlyPolicy(LedgerEntry))


class ContributionInspectView(InspectView):
    """The contribution's fields as staff read them (money formatted, yes and no, dates in
    the admin's format), then its payments, with a refund link for staff allowed to refund.
    The donor's name and email are shown only when staff allowed to see donors ask (a POST),
    and each time that is written to the audit log."""

    template_name = "contributions/admin/contribution_inspect.html"
    donor_permission = "contributions.view_contributor"
    labels = {"amount": _("Amount"), "fee_amount": _("Processing fee covered")}

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(self.donor_permission):
            raise PermissionDenied
        self.object = self.get_object()
        audit.record(
            audit.Action.VIEW_DONOR,
            via=audit.Via.ADMIN,
            actor=request.user,
            target=f"contribution:{self.object.pk}",
        )
        response = self.render_to_response(self.get_context_data(donor=self.object.contributor))
        add_never_cache_headers(response)
        return response

    def get_field_label(self, field_name, field):
        return self.labels.get(field_name) or super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None)
        if field_name in ("amount", "fee_amount"):
            return Money(value, self.object.currency).format()
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if value is None or value == "":
            return "—"
        if isinstance(value, datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, date):
            return l10n.long_date(value)
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_refund = self.request.user.has_perm("contributions.add_refund")
        context["may_see_donor"] = self.request.user.has_perm(self.donor_permission)
        context["payments"] = [
            {
                "payment": payment,
                "refunds": list(payment.refunds.order_by("created_at")),
                "refundable": can_refund
                and payment.status == payment.Status.SUCCEEDED
                and refunds.refundable(payment) > 0,
            }
            for payment in self.object.payments.order_by("period")
        ]
        return context


class ContributionIndexView(IndexView):
    """Newest first. The search finds a contribution by the first characters of its id or
    by the donor's exact email: emails are encrypted, so only their keyed hash is compared."""

    default_ordering = "-created_at"
    search_fields = ["id"]  # what makes the list searchable; the search itself is below
    search_backend_name = None

    def get_search_form(self):
        placeholder = _("Id (first characters) or the donor's exact email")
        if self.search_kwarg in self.request.GET:
            return SearchForm(self.request.GET, placeholder=placeholder)
        return SearchForm(placeholder=placeholder)

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(search.matching(self.search_query))


class ContributionViewSet(ModelViewSet):
    url_prefix = "giving/contributions"
    name = "giving_contributions"
    model = Contribution
    icon = "heart"
    menu_label = _("Contributions")
    list_display = ["__str__", "status", "frequency", "currency", "provider", "created_at"]
    list_filter = ["status", "frequency", "currency", "provider", "disputed"]
    index_view_class = ContributionIndexView
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


@hooks.register("register_icons")
def giving_icons(icons):
    return [*icons, "contributions/icons/heart.svg"]  # Wagtail has no heart of its own


@hooks.register("register_admin_viewset")
def register_giving():
    return GivingGroup()


@hooks.register("register_admin_urls")
def offline_gift_urls():
    return [
        path("giving/offline/", admin_views.offline_gift, name="contributions_offline_gift"),
        path(
            "giving/statements/",
            admin_views.import_statement,
            name="contributions_import_statement",
        ),
        path(
            "giving/statements/match/",
            admin_views.match_statement_line,
            name="contributions_match_statement_line",
        ),
        path(
            "giving/providers/",
            admin_views.payment_providers,
            name="contributions_payment_providers",
        ),
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


@hooks.register("register_admin_menu_item")
def import_statement_menu_item():
    return MenuItem(
        _("Import a bank statement"),
        reverse("contributions_import_statement"),
        icon_name="doc-full",
        order=252,
    )


@hooks.register("register_admin_menu_item")
def payment_providers_menu_item():
    return MenuItem(
        _("Ways to give"), reverse("contributions_payment_providers"), icon_name="cogs", order=253
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
