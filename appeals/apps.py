from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Appeals")

    def ready(self):
        from appeals import services, signals  # noqa: F401
        from appeals.models import Appeal

        Appeal.preview_context = services.preview
