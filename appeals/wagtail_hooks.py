"""Appeals in the admin: a snippet with inline variants, a preview per variant, and each
appeal's statistics."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from appeals import views
from appeals.models import Appeal

STATS_URL_NAME = "appeal_stats"


class AppealViewSet(SnippetViewSet):
    model = Appeal
    icon = "pick"
    menu_label = _("Appeals")
    menu_order = 250
    add_to_admin_menu = True
    list_filter = ["kind", "live"]
    search_fields = ["name", "slug"]
    copy_view_enabled = True

    @property
    def list_display(self):
        return [
            TitleColumn(
                "name",
                label=pgettext_lazy("of an appeal", "Name"),
                url_name=self.get_url_name("edit"),
            ),
            "kind",
            "live",
            Column("variant_codes", label=_("Variants"), accessor=variant_codes),
            TitleColumn(
                "statistics",
                label=_("Statistics"),
                accessor=lambda appeal: _("Statistics"),
                get_url=lambda appeal: reverse(STATS_URL_NAME, args=[appeal.pk]),
            ),
        ]


def variant_codes(appeal: Appeal) -> str:
    return ", ".join(f"{v.key} ({v.weight})" for v in appeal.variants.all())


register_snippet(AppealViewSet)


@hooks.register("register_admin_urls")
def register_urls():
    return [path("appeals/stats/<int:pk>/", views.appeal_stats, name=STATS_URL_NAME)]
