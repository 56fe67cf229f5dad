"""`readerfund check --deploy`: Django's deploy checks and Readerfund's (readerfund/checks.py).

With --deploy a warning fails too (exit code 1), unless --fail-level says otherwise: a
production configuration should pass clean. Without --deploy this is Django's `check`.
"""

from django.core.management.commands.check import Command as DjangoCheck


class Command(DjangoCheck):
    def handle(self, *app_labels, **options):
        if options["deploy"] and options["fail_level"] == "ERROR" and not self._level_given():
            options["fail_level"] = "WARNING"
        return super().handle(*app_labels, **options)

    def _level_given(self) -> bool:
        return any(arg.startswith("--fail-level") for arg in self._argv)

    def run_from_argv(self, argv):
        self._argv = argv
        return super().run_from_argv(argv)
