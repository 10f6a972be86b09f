"""Queries the ORM compiles once per process, then runs with other values.

Turning a queryset with joins and subqueries into SQL costs Django more than
it costs PostgreSQL to run the result, and the pages every request makes
(the signed-in account, the profile asked for) send the same query shape
each time with other values. A Statement builds its queryset once with
stand-in values, keeps the SQL the ORM wrote, and from then on only puts the
real values in their places and turns the rows into what the queryset would
have returned: model instances with their select_related rows and
annotations, or the tuples of a values_list(). It runs through a cursor of
the connection like any query, so query counts and metrics see it; on
PostgreSQL, one whose statements the server keeps prepared
(deltacrown.postgresql), so it is not planned again either.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators


class Statement:
    """A queryset shape, compiled on first use for each database.

    ``build`` returns the queryset for keyword values: model instances or a
    values_list() of tuples. ``stand_ins`` gives a value for each keyword
    that appears nowhere else in the query's parameters, so its places can be
    found in what the ORM compiled.
    """

    def __init__(self, build: Callable[..., QuerySet], **stand_ins: Any):
        self._build = build
        self._stand_ins = stand_ins
        self._compiled: dict[str, tuple] = {}
        self._lock = threading.Lock()
        self._local = threading.local()

    def all(self, using: str = "default", **values: Any) -> list:
        """What ``list(build(**values))`` would return."""
        _, sql, params, places, _ = self._compile(using)
        params = list(params)
        for name, value in values.items():
            for index in places[name]:
                params[index] = value
        rows = self._rows(using)
        with _cursor(rows.compiler.connection) as cursor:
            cursor.execute(sql, params)
            return list(rows.hydrate(cursor.fetchall()))

    def first(self, using: str = "default", **values: Any):
        found = self.all(using, **values)
        return found[0] if found else None

    def _rows(self, using: str) -> _Rows:
        """How this thread turns the statement's rows into results.

        The compiled compiler belongs to the thread that compiled it; each
        thread converts values with its own connection.
        """
        connection = connections[using]
        kept = getattr(self._local, "rows", None)
        if kept is None:
            kept = self._local.rows = {}
        rows = kept.get(using)
        if rows is None or rows.compiler.connection is not connection:
            compiler, _, _, _, values_query = self._compile(using)
            compiler = copy.copy(compiler)
            compiler.connection = connection
            rows = kept[using] = _Rows(compiler, using, values_query)
        return rows

    def _compile(self, using: str) -> tuple:
        compiled = self._compiled.get(using)
        if compiled is not None:
            return compiled
        with self._lock:
            if using not in self._compiled:
                queryset = self._build(**self._stand_ins).using(using)
                compiler = queryset.query.get_compiler(using=using)
                sql, params = compiler.as_sql()
                places = {
                    name: [i for i, param in enumerate(params) if param == value]
                    for name, value in self._stand_ins.items()
                }
                missing = [name for name, found in places.items() if not found]
                if missing:
                    raise ValueError(f"Statement: no parameter holds {missing}")
                values_query = queryset._fields is not None
                self._compiled[using] = (
                    compiler,
                    sql,
                    tuple(params),
                    places,
                    values_query,
                )
        return self._compiled[using]


def _cursor(connection):
    """The connection's prepared-statement cursor where it has one."""
    prepared_cursor = getattr(connection, "prepared_cursor", None)
    return prepared_cursor() if prepared_cursor else connection.cursor()


class _Rows:
    """Turns a statement's rows into what the queryset's own iterable gives.

    What that needs (the converters of each column for this connection, the
    related rows' populators) is worked out once, not on every run.
    """

    def __init__(self, compiler, using: str, values_query: bool):
        self.compiler = compiler
        self.using = using
        self.values_query = values_query
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        # Composite fields need the compiler's own path; no model here has one.
        self.plain = not compiler.has_composite_fields(fields)
        self.converters = compiler.get_converters(fields)
        if values_query:
            return
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        self.start = klass_info["select_fields"][0]
        self.end = klass_info["select_fields"][-1] + 1
        self.init_list = [
            column[0].target.attname for column in select[self.start : self.end]
        ]
        self.populators = get_related_populators(klass_info, select, using)
        self.annotations = list((compiler.annotation_col_map or {}).items())

    def converted(self, rows: list):
        if not self.plain:
            return self.compiler.results_iter(results=[rows], tuple_expected=True)
        if self.converters:
            return map(tuple, self.compiler.apply_converters(rows, self.converters))
        return rows

    def hydrate(self, rows: list):
        converted = self.converted(rows)
        if self.values_query:
            yield from converted
            return
        for row in converted:
            instance = self.model.from_db(
                self.using, self.init_list, row[self.start : self.end]
            )
            for populator in self.populators:
                populator.populate(row, instance)
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            yield instance
