"""Keys as an operator configures them: the real `readerfund` command in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

READERFUND = str(Path(sys.executable).parent / "readerfund")
# `readerfund check` in subprocesses on data dirs of their own (SQLite), without the test
# settings or TEST_DATABASE_URL: the PostgreSQL pass has nothing to add.
pytestmark = pytest.mark.database_independent


def run(args, data_dir, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_SETTINGS_MODULE", "READERFUND_", "DATABASE_URL"))
    }
    environment.update(READERFUND_DATA_DIR=str(data_dir), **env)
    return subprocess.run(
        [READERFUND, *args], env=environment, capture_output=True, text=True, timeout=120
    )


def test_a_bad_encryption_key_stops_the_command_naming_the_variable(tmp_path):
    good = Fernet.generate_key().decode()
    result = run(["check"], tmp_path, READERFUND_ENCRYPTION_KEYS=f"{good},not-a-key")
    assert result.returncode == 2
    assert "READERFUND_ENCRYPTION_KEYS: key 2 of 2 is not a Fernet key" in result.stderr
    assert "not-a-key" not in result.stderr, "a key, even a broken one, is never printed"
    assert "Traceback" not in result.stderr


def test_a_bad_key_file_is_refused_too(tmp_path):
    key_file = tmp_path / "keys"
    key_file.write_text("short\n")
    result = run(["check"], tmp_path, READERFUND_ENCRYPTION_KEYS_FILE=str(key_file))
    assert result.returncode == 2
    assert "READERFUND_ENCRYPTION_KEYS" in result.stderr


def test_a_weak_blind_index_key_is_refused(tmp_path):
    result = run(["check"], tmp_path, READERFUND_BLIND_INDEX_KEY="secret")
    assert result.returncode == 2
    assert "READERFUND_BLIND_INDEX_KEY: the blind index key is not" in result.stderr


def test_keys_are_generated_into_the_data_dir_readable_by_the_owner_only(tmp_path):
    assert run(["check"], tmp_path).returncode == 0
    for name in ("encryption_keys", "blind_index_key"):
        assert (tmp_path / name).stat().st_mode & 0o077 == 0
    Fernet((tmp_path / "encryption_keys").read_text().strip())
