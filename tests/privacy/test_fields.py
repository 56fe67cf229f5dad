"""EncryptedTextField and rotate-keys on a real table.

The privacy app has no model of its own yet, so the table belongs to a model declared here in
an isolated app registry and created for the test (a transactional test: SQLite cannot change
its schema inside the transaction other tests run in).
"""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.db.migrations.writer import MigrationWriter
from django.test.utils import isolate_apps

from privacy import crypto, services
from privacy.fields import EncryptedTextField

with isolate_apps("privacy"):

    class Supporter(models.Model):
        email = EncryptedTextField()
        name = EncryptedTextField(null=True, blank=True)

        class Meta:
            app_label = "privacy"

        def __str__(self):
            return f"supporter {self.pk}"

    class BadlyIndexed(models.Model):
        email = EncryptedTextField(unique=True)

        class Meta:
            app_label = "privacy"

        def __str__(self):
            return f"badly indexed {self.pk}"


@pytest.fixture
def table(transactional_db):
    with connection.schema_editor() as editor:
        editor.create_model(Supporter)
    yield Supporter
    with connection.schema_editor() as editor:
        editor.delete_model(Supporter)


def raw_column(pk, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM privacy_supporter WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def old_and_new_keys(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [old]
    return settings, old, new


def test_the_column_holds_a_token_and_python_sees_the_text(table):
    supporter = table.objects.create(email="anna@example.org", name="")
    assert raw_column(supporter.pk, "email") != "anna@example.org"
    assert crypto.decrypt(raw_column(supporter.pk, "email")) == "anna@example.org"
    assert raw_column(supporter.pk, "name") not in ("", None), "the empty string is encrypted too"
    fresh = table.objects.get(pk=supporter.pk)
    assert (fresh.email, fresh.name) == ("anna@example.org", "")


def test_none_stays_null_and_can_be_filtered(table):
    supporter = table.objects.create(email="anna@example.org", name=None)
    assert raw_column(supporter.pk, "name") is None
    assert table.objects.get(pk=supporter.pk).name is None
    assert list(table.objects.filter(name__isnull=True)) == [supporter]
    assert list(table.objects.filter(name=None)) == [supporter]


def test_filtering_by_an_encrypted_value_is_refused_with_a_hint():
    with pytest.raises(FieldError, match="Supporter.email is encrypted.*blind index"):
        Supporter.objects.filter(email="anna@example.org")
    with pytest.raises(FieldError, match="__icontains"):
        Supporter.objects.filter(email__icontains="anna")


def test_the_field_goes_into_migrations_by_its_import_path():
    name, path, args, kwargs = Supporter._meta.get_field("name").deconstruct()
    assert path == "privacy.fields.EncryptedTextField"
    assert kwargs == {"null": True, "blank": True}
    serialized, imports = MigrationWriter.serialize(Supporter._meta.get_field("email"))
    assert serialized == "privacy.fields.EncryptedTextField()"
    assert "import privacy.fields" in imports


def test_an_encrypted_field_cannot_be_unique():
    errors = BadlyIndexed._meta.get_field("email").check()
    assert [error.id for error in errors] == ["privacy.E001"]


def test_rotation_re_encrypts_every_row_in_batches_and_a_second_run_changes_nothing(
    table, old_and_new_keys
):
    settings, old, new = old_and_new_keys
    supporters = [table.objects.create(email=f"reader{i}@example.org") for i in range(5)]
    settings.ENCRYPTION_KEYS = [new, old]

    dry = services.rotate_model(table, batch_size=2, dry_run=True)
    assert (dry.rotated, dry.current) == (5, 0)
    assert not crypto.is_current(raw_column(supporters[0].pk, "email"))

    first = services.rotate_model(table, batch_size=2)
    assert (first.rotated, first.current) == (5, 0)
    second = services.rotate_model(table, batch_size=2)
    assert (second.rotated, second.current) == (0, 5)

    settings.ENCRYPTION_KEYS = [new]
    assert [s.email for s in table.objects.order_by("pk")] == [s.email for s in supporters]
    assert table.objects.get(pk=supporters[0].pk).name is None


def test_the_command_reports_rows_no_key_can_read_and_rotates_the_rest(
    table, old_and_new_keys, monkeypatch, capsys
):
    settings, old, new = old_and_new_keys
    readable = table.objects.create(email="anna@example.org")
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    lost = table.objects.create(email="boris@example.org")
    settings.ENCRYPTION_KEYS = [new, old]
    monkeypatch.setattr(services, "models_with_encrypted_fields", lambda: [table])

    with pytest.raises(CommandError, match=rf"privacy.Supporter pk {lost.pk}\b"):
        call_command("rotate-keys")
    assert "privacy.Supporter: re-encrypted 1, 0 already current" in capsys.readouterr().out
    assert crypto.is_current(raw_column(readable.pk, "email"))
