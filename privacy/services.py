"""Multi-step privacy work: re-encrypting stored values with the newest key."""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from privacy import crypto
from privacy.fields import EncryptedTextField


@dataclass
class Rotation:
    """What rotating one model did (or, in a dry run, would do)."""

    model: type[models.Model]
    rotated: int = 0
    current: int = 0
    unreadable: list = field(default_factory=list)  # primary keys; a pk is not personal

    @property
    def label(self) -> str:
        return self.model._meta.label


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    # Local fields only: a multi-table child's inherited fields are rotated with the parent.
    return [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]


def models_with_encrypted_fields() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and encrypted_fields(model)
    ]


def rotate_model(model, *, batch_size: int = 500, dry_run: bool = False) -> Rotation:
    """Re-encrypt every encrypted value of model that the newest key did not make.

    Rows are read in primary key order, a batch per transaction, each batch locked while it
    is rewritten (SELECT ... FOR UPDATE; SQLite's IMMEDIATE transactions lock the whole
    database), so a concurrent edit is never overwritten with stale text. Every value decrypts
    at every moment, so the work can be interrupted and run again: rows already done count as
    current.
    """
    result = Rotation(model)
    last_pk = None
    while True:
        with transaction.atomic():
            rows = _batch(model, last_pk, batch_size, lock=not dry_run)
            if not rows:
                return result
            changed = _rotate_rows(rows, encrypted_fields(model), result)
            if changed and not dry_run:
                model._base_manager.bulk_update(changed, [f.name for f in encrypted_fields(model)])
        last_pk = rows[-1][0]


def _batch(model, last_pk, batch_size, *, lock: bool) -> list[tuple]:
    """(pk, token, token, ...) for the next batch: the raw tokens, not the decrypted text."""
    fields = encrypted_fields(model)
    raw = {f"_raw_{f.attname}": Cast(f.attname, models.TextField()) for f in fields}
    queryset = model._base_manager.order_by("pk").annotate(**raw)
    if lock:
        queryset = queryset.select_for_update()
    if last_pk is not None:
        queryset = queryset.filter(pk__gt=last_pk)
    return list(queryset.values_list("pk", *raw)[:batch_size])


def _rotate_rows(rows, fields, result: Rotation) -> list[models.Model]:
    changed = []
    for pk, *tokens in rows:
        if all(token is None or crypto.is_current(token) for token in tokens):
            result.current += 1
            continue
        try:
            texts = [None if token is None else crypto.decrypt(token) for token in tokens]
        except crypto.DecryptionError:
            result.unreadable.append(pk)
            continue
        # The field encrypts the plaintext with the newest key when bulk_update saves it.
        instance = result.model(
            pk=pk, **{f.attname: text for f, text in zip(fields, texts, strict=True)}
        )
        changed.append(instance)
        result.rotated += 1
    return changed


def rotate_all(*, batch_size: int = 500, dry_run: bool = False) -> list[Rotation]:
    """rotate_model for every installed model that has an encrypted field."""
    return [
        rotate_model(model, batch_size=batch_size, dry_run=dry_run)
        for model in models_with_encrypted_fields()
    ]
