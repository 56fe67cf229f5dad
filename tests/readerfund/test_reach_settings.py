"""READERFUND_MIRRORS and READERFUND_ONION_URL as an operator sets them: the real settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

READERFUND = str(Path(sys.executable).parent / "readerfund")
# `readerfund shell` in subprocesses on data dirs of their own (SQLite), without the test
# settings or TEST_DATABASE_URL: the PostgreSQL pass has nothing to add.
pytestmark = pytest.mark.database_independent
ONION = "http://" + "b" * 56 + ".onion"
SHOW = "from django.conf import settings as s; print(s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS)"


def run(data_dir, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_SETTINGS_MODULE", "READERFUND_", "DATABASE_URL"))
    }
    environment.update(READERFUND_DATA_DIR=str(data_dir), **env)
    return subprocess.run(
        [READERFUND, "shell", "--no-imports", "-c", SHOW],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_mirrors_and_the_onion_address_are_allowed_hosts_and_trusted_origins(tmp_path):
    done = run(
        tmp_path,
        READERFUND_ALLOWED_HOSTS="news.example.org",
        READERFUND_MIRRORS="mirror.example.net,http://cdn.example.org",
        READERFUND_ONION_URL=ONION,
    )
    assert done.returncode == 0, done.stderr
    hosts = ["news.example.org", "mirror.example.net", "cdn.example.org", "b" * 56 + ".onion"]
    assert str(hosts) in done.stdout
    for origin in ("https://mirror.example.net", "http://cdn.example.org", ONION):
        assert repr(origin) in done.stdout


def test_a_bad_mirror_stops_the_command_naming_the_variable(tmp_path):
    done = run(tmp_path, READERFUND_MIRRORS="https://mirror.example.net/path")
    assert done.returncode == 2
    assert "READERFUND_MIRRORS" in done.stderr and "Traceback" not in done.stderr
