"""Writing many rows of one model fast: what a CSV import of 100,000 organizations needs.

`BulkInsert` writes rows given as tuples, without model instances:
- on SQLite, INSERT statements of many rows each (`VALUES (…), (…), …`, as many as the
  connection's limit on parameters allows, at most ROWS_PER_STATEMENT). Python's
  `executemany` runs the statement once per row, and each run costs more than the row
  (100,000 three-column rows: 0.5 s by executemany, 0.13 s in statements of 3,000 rows);
- on PostgreSQL, COPY: Django's psycopg cursor binds parameters on the client, so
  `executemany` would send one INSERT per row.

A value that is the same on every row (timestamps, the actor, defaults) is prepared once; a
per-row value only where its column needs it (JSON not already encoded). A field not named
gets what `Model()` and `save()` would give it. Nothing hidden in `save()` or signals is
skipped: the models written this way have none, and `bulk_create` would skip them too."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import connection

# Column types whose values (str, int, bool, None) the database takes as they are; a column of
# any other type goes through its field's get_db_prep_save().
PLAIN_TYPES = {
    "CharField",
    "TextField",
    "IntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "BooleanField",
    "ForeignKey",
}
# Longer statements gain nothing more and cost memory for their parameter lists.
ROWS_PER_STATEMENT = 2000
# SQLite before 3.32 allowed 999 parameters per statement; later versions 32,766.
SQLITE_PARAMETERS_FALLBACK = 999


@dataclass
class Prepared:
    rows: int
    statements: list[tuple[str, list[Any]]] = field(default_factory=list)  # SQLite
    copy_rows: list[tuple[Any, ...]] | None = None  # PostgreSQL


class BulkInsert:
    def __init__(
        self,
        model: Any,
        varying: Sequence[str],
        fixed: Mapping[str, Any],
        *,
        encoded: Sequence[str] = (),
    ) -> None:
        """`varying`: the columns (attnames) each row gives, in its order; `fixed`: values
        the same on every row; `encoded`: varying columns whose values come as the database
        takes them (JSON already written as text)."""
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        by_name = {f.attname: f for f in fields}
        unknown = (set(varying) | set(fixed)) - by_name.keys()
        if unknown:
            raise ValueError(f"Not columns of {model.__name__}: {sorted(unknown)}")
        self.steps = [
            None
            if by_name[name].get_internal_type() in PLAIN_TYPES or name in encoded
            else by_name[name].get_db_prep_save
            for name in varying
        ]
        constant = [f for f in fields if f.attname not in varying]
        # What Model() and save() would give a field not named: its default, or the time now
        # for auto_now and auto_now_add fields.
        blank = model()
        self.constants = tuple(
            f.get_db_prep_save(
                fixed[f.attname] if f.attname in fixed else f.pre_save(blank, add=True),
                connection,
            )
            for f in constant
        )
        quote = connection.ops.quote_name
        columns = [by_name[name].column for name in varying] + [f.column for f in constant]
        self.width = len(columns)
        self.table_and_columns = "{} ({})".format(
            quote(model._meta.db_table), ", ".join(quote(column) for column in columns)
        )
        self.one_row = "({})".format(", ".join(["?"] * self.width))  # SQLite's own style

    def run(self, rows: Iterable[Sequence[Any]]) -> int:
        """Insert these rows; returns how many."""
        return self.execute(self.prepare(rows))

    def prepare(self, rows: Iterable[Sequence[Any]]) -> Prepared:
        """Everything but the writing, which `execute` does (possibly in another thread)."""
        params = self._params(rows)
        if connection.vendor == "postgresql":
            return Prepared(len(params), copy_rows=params)
        per_statement = self._rows_per_statement()
        statements = []
        for start in range(0, len(params), per_statement):
            chunk = params[start : start + per_statement]
            statements.append((self._sql(len(chunk)), [value for row in chunk for value in row]))
        return Prepared(len(params), statements=statements)

    def execute(self, prepared: Prepared, sqlite_connection: Any = None) -> int:
        """Write what `prepare` made ready. From another thread, give this thread's SQLite
        connection (`connection.connection`), which Django opens for use across threads:
        Django's own `connection` is per thread."""
        if not prepared.rows:
            return 0
        if prepared.copy_rows is not None:
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {self.table_and_columns} FROM STDIN") as copy:
                    for row in prepared.copy_rows:
                        copy.write_row(row)
        else:
            # The DB-API connection, in the same transaction: Django's cursor would rewrite
            # each statement's thousands of %s into ? (a second per 100,000 rows).
            raw = (sqlite_connection or connection.connection).cursor()
            for sql, params in prepared.statements:
                raw.execute(sql, params)
        return prepared.rows

    def _params(self, rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        constants, steps = self.constants, self.steps
        if not any(steps):
            return [(*row, *constants) for row in rows]
        return [
            (
                *(
                    value if step is None else step(value, connection)
                    for value, step in zip(row, steps, strict=True)
                ),
                *constants,
            )
            for row in rows
        ]

    def _rows_per_statement(self) -> int:
        return max(1, min(ROWS_PER_STATEMENT, _sqlite_parameter_limit() // self.width))

    def _sql(self, rows: int) -> str:
        return _statement(self.table_and_columns, self.one_row, rows)


@cache
def _statement(table_and_columns: str, one_row: str, rows: int) -> str:
    return f"INSERT INTO {table_and_columns} VALUES {', '.join([one_row] * rows)}"


def _sqlite_parameter_limit() -> int:
    connection.ensure_connection()
    raw = connection.connection
    getlimit = getattr(raw, "getlimit", None)  # Python 3.11+
    if getlimit is None:
        return SQLITE_PARAMETERS_FALLBACK
    return int(getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
