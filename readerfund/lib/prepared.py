"""A query whose SQL Django builds once, then run again with other values.

Django compiles a queryset to SQL anew on every evaluation: for a page looked up with a join
and a `select_related`, compiling costs several times what SQLite takes to answer it, and a
reader page of the long tail runs such a lookup on every render (bench/RESULTS.md, Pages).
`Prepared` compiles a queryset once per database connection, with a placeholder value for
each parameter, and on each call sends the same SQL with the call's values, building the
objects as Django's own iteration does (`select_related` objects included).

Only plain values may be parameters (an `exact` or `range` lookup of an integer or text
field): their values reach the database as given. A placeholder that does not appear exactly
once among the compiled query's parameters is a programming error, raised at the first call.
"""

from collections.abc import Callable
from itertools import count

from django.db import connections
from django.db.models.query import get_related_populators

_placeholders = count(1)


class Param:
    """A placeholder for a value given at each call: `Param(int)` or `Param(str)`."""

    def __init__(self, kind: type):
        number = next(_placeholders)
        # Values no real row holds, each distinct, of the field's own type (within a 32-bit
        # integer's range and positive: Django drops a lookup its column could never match).
        self.value = 2_000_000_000 + number if kind is int else f"\x00readerfund-param-{number}\x00"


class Prepared:
    """`Prepared(build)`: `build(**placeholders)` returns the queryset, with a `Param` where each
    value goes; `prepared(**values)` returns the list of its objects for those values."""

    def __init__(self, build: Callable, **params: type):
        self.build = build
        self.params = {name: Param(kind) for name, kind in params.items()}

    def __call__(self, using: str = "default", **values) -> list:
        connection = connections[using]
        plan = self._plan(connection, using)
        sql, slots, compiler, converters, fields, populators = plan
        params = list(slots)
        for name, position in fields.items():
            params[position] = values[name]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        model, init_list, start, end = populators["model"]
        objects = []
        for row in rows:
            obj = model.from_db(using, init_list, row[start:end])
            for populator in populators["related"]:
                populator.populate(row, obj)
            objects.append(obj)
        return objects

    def _plan(self, connection, using: str) -> tuple:
        # Kept on the connection: each thread has its own, and the compiler holds it.
        plans = connection.__dict__.setdefault("_readerfund_prepared", {})
        plan = plans.get(self)
        if plan is None:
            plan = plans[self] = self._compile(using)
        return plan

    def _compile(self, using: str) -> tuple:
        queryset = self.build(**{name: param.value for name, param in self.params.items()})
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        fields = {}
        for name, param in self.params.items():
            positions = [i for i, value in enumerate(params) if value == param.value]
            if len(positions) != 1:
                raise ValueError(f"Prepared: {name} is {len(positions)} of the query's values")
            (fields[name],) = positions
        select, klass_info = compiler.select, compiler.klass_info
        converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = {
            "model": (klass_info["model"], init_list, start, end),
            "related": get_related_populators(klass_info, select, using),
        }
        return sql, tuple(params), compiler, converters, fields, populators
