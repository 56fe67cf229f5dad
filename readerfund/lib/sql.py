"""SQL the ORM does not write: inserts that skip rows already there and say which went in,
and inserts that add to the rows already there.

PostgreSQL and SQLite (3.35 and later) both understand it.
"""

from django.db import connection


def insert_new(model, objects: list, *, fields: list[str], unique: list[str]) -> list[tuple]:
    """INSERT the objects' `fields` in one statement, skipping any row whose `unique` columns
    (a unique constraint of the model) are already in the table: `ON CONFLICT … DO NOTHING`,
    so two processes writing the same row at once write it once, with no savepoint. Returns
    (id, *unique values) for the rows written, in no particular order."""
    if not objects:
        return []
    opts, ops = model._meta, connection.ops
    columns = [opts.get_field(name) for name in fields]
    keys = [opts.get_field(name).column for name in unique]
    rows = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(objects))
    params = [
        column.get_db_prep_save(getattr(obj, column.attname), connection)
        for obj in objects
        for column in columns
    ]
    sql = (
        f"INSERT INTO {ops.quote_name(opts.db_table)} "  # noqa: S608 — names from the model only
        f"({', '.join(ops.quote_name(column.column) for column in columns)}) VALUES {rows} "
        f"ON CONFLICT ({', '.join(map(ops.quote_name, keys))}) DO NOTHING "
        f"RETURNING {ops.quote_name(opts.pk.column)}, {', '.join(map(ops.quote_name, keys))}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def insert_or_add(model, rows: list[dict], *, unique: list[str], add: list[str]) -> None:
    """INSERT each row (a dict of field name → value); where a row with the same `unique`
    fields is already there, add the row's `add` fields to it instead: `ON CONFLICT … DO
    UPDATE SET n = n + excluded.n`, one statement, safe when two processes add at once. The
    rows must differ in their `unique` fields (PostgreSQL refuses to touch a row twice)."""
    if not rows:
        return
    opts, ops = model._meta, connection.ops
    names = [*unique, *add]
    fields = [opts.get_field(name) for name in names]
    table = ops.quote_name(opts.db_table)
    values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(rows))
    params = [
        field.get_db_prep_save(row[field.name], connection) for row in rows for field in fields
    ]
    sums = ", ".join(
        f"{column} = {table}.{column} + excluded.{column}"
        for column in (ops.quote_name(opts.get_field(name).column) for name in add)
    )
    sql = (
        f"INSERT INTO {table} "  # noqa: S608 — names from the model only
        f"({', '.join(ops.quote_name(field.column) for field in fields)}) VALUES {values} "
        f"ON CONFLICT ({', '.join(ops.quote_name(f.column) for f in fields[: len(unique)])}) "
        f"DO UPDATE SET {sums}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
