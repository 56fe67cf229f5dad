from django.apps import AppConfig


class ReaderfundConfig(AppConfig):
    name = "readerfund"
    verbose_name = "Readerfund"

    def ready(self):
        from readerfund import checks, signals  # noqa: F401  (deploy checks; the static copy's refresh)
