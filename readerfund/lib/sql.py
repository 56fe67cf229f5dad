"""SQL the ORM does not write: inserts that skip rows already there and say which went in.

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
