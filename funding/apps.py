from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from contributions.ledger import entries_recorded
        from funding import rollups

        entries_recorded.connect(rollups.on_entries_recorded, dispatch_uid="funding-rollups")
