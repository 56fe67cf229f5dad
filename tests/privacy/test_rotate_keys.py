"""`readerfund rotate-keys` as an operator runs it."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from privacy import keys, services


@pytest.mark.django_db
def test_with_no_encrypted_field_installed_there_is_nothing_to_do(monkeypatch, capsys):
    monkeypatch.setattr(services, "models_with_encrypted_fields", lambda: [])
    call_command("rotate-keys")
    assert "nothing to re-encrypt" in capsys.readouterr().out


def test_a_new_key_goes_to_the_front_of_the_data_dir_file(settings, tmp_path, capsys):
    settings.DATA_DIR = tmp_path
    first = keys.encryption_keys(tmp_path)[0]
    call_command("rotate-keys", "--new-key")
    stored = keys.parse_encryption_keys((tmp_path / "encryption_keys").read_text(), source="file")
    assert stored[1:] == first and stored[0] not in first
    assert (tmp_path / "encryption_keys").stat().st_mode & 0o077 == 0
    assert "restart every Readerfund process" in capsys.readouterr().out


def test_a_dry_run_does_not_add_a_key(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    before = keys.encryption_keys(tmp_path)[0]
    call_command("rotate-keys", "--new-key", "--dry-run")
    assert keys.encryption_keys(tmp_path)[0] == before


def test_keys_from_the_environment_are_not_touched_and_the_operator_is_told_how(settings):
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    settings.ENCRYPTION_KEYS_IN_DATA_DIR = False
    with pytest.raises(CommandError, match="READERFUND_ENCRYPTION_KEYS") as error:
        call_command("rotate-keys", "--new-key")
    assert error.value.returncode == 2
