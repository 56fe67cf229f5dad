"""Model fields that keep personal data encrypted at rest."""

from django.core import checks
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact

from privacy import crypto


class _ExactNone(Exact):
    """`field=None` is allowed (Django turns it into isnull); any other value cannot match."""

    def __init__(self, lhs, rhs):
        if rhs is not None:
            raise FieldError(_no_lookup(lhs.output_field, "exact"))
        super().__init__(lhs, rhs)


def _no_lookup(field, lookup_name: str) -> str:
    return (
        f"{field.model.__name__}.{field.name} is encrypted: it cannot be filtered with "
        f"__{lookup_name} (each value is encrypted differently). Only __isnull works; find "
        "rows by a blind index column (privacy.crypto.blind_index) instead."
    )


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token made with the newest key; plaintext `str` in Python.

    None stays None (NULL). The empty string is encrypted like any other text: the column
    holds only tokens or NULL, so it tells nothing, and rotate-keys has no exception to make.
    Only `isnull` lookups work. `dumpdata` writes the plaintext, as for any field.
    """

    description = "Encrypted text"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return _ExactNone
        raise FieldError(_no_lookup(self, lookup_name))

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_not_searchable()]

    def _check_not_searchable(self):
        # A unique constraint or an index on tokens that differ every time is meaningless.
        if self.unique or self.db_index or self.primary_key:
            return [
                checks.Error(
                    "EncryptedTextField cannot be unique, indexed or a primary key.",
                    hint="Put unique=True or db_index=True on a blind index field instead.",
                    obj=self,
                    id="privacy.E001",
                )
            ]
        return []
