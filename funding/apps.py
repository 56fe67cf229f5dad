from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from contributions.ledger import entry_recorded
        from funding import rollups

        entry_recorded.connect(rollups.on_entry_recorded, dispatch_uid="funding-rollups")
