"""The `readerfund` command: Django's management commands plus serve, worker and demo."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readerfund.settings")
    from django.core.management import execute_from_command_line

    from readerfund.lib.env import ConfigError

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "readerfund"
    try:
        execute_from_command_line(argv)
    except ConfigError as exc:
        sys.stderr.write(f"readerfund: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
