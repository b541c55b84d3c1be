"""Writing many rows of one model fast: what a CSV import of 100,000 organizations needs.

`BulkInsert` writes rows given as tuples, without model instances:
- on SQLite, statements of about a hundred rows each that bind each row's own values and,
  once per statement, the values every row shares:
  `INSERT INTO t (a, b, c) SELECT column1, column2, ? FROM (VALUES (?, ?), (?, ?), …)`.
  Binding is most of the cost of an insert from Python (100,000 organizations: 0.2 s for
  SQLite to write them, 0.75 s to bind their values), so a value that is the same on every
  row is bound once. Python's `executemany` would run a one-row statement per row (1.2 s);
  much longer statements are slower again (1,400 rows each: 1.5 s);
- on PostgreSQL, COPY: Django's psycopg cursor binds parameters on the client, so
  `executemany` would send one INSERT per row.

Rows can also be made elsewhere: `stage_rows` writes them into a scratch SQLite file (from
a second process, see tahaluf/lib/staging.py) and `copy_from` copies them in with one
`INSERT … SELECT`; `insert_from_query` inserts what any query gives. SQLite then binds
nothing per row.

A value that is the same on every row (timestamps, the actor, defaults) is prepared once; a
per-row value only where its column needs it (JSON not already encoded). A field not named
gets what `Model()` and `save()` would give it; the primary key too, unless `varying` names
it. Nothing hidden in `save()` or signals is skipped: the models written this way have none,
and `bulk_create` would skip them too."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from typing import Any

from django.db import connection

# Column types whose values (str, int, bool, None) the database takes as they are; a column of
# any other type goes through its field's get_db_prep_save().
PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
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
# Parameters bound per SQLite statement: 50 to 200 rows of an organization's fifteen
# columns were fastest when measured (docs/import.md); fewer columns, more rows.
PARAMETERS_PER_STATEMENT = 2000
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
        fields = [
            f for f in model._meta.concrete_fields if not f.primary_key or f.attname in varying
        ]
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
        self.width = len(varying)
        self.table_and_columns = "{} ({})".format(
            quote(model._meta.db_table), ", ".join(quote(column) for column in columns)
        )
        # SQLite's own `?` marks, and its names for the columns of a VALUES list.
        self.select_list = ", ".join(
            [f"column{number}" for number in range(1, self.width + 1)] + ["?"] * len(self.constants)
        )
        self.one_row = "({})".format(", ".join(["?"] * self.width))

    def run(self, rows: Iterable[Sequence[Any]]) -> int:
        """Insert these rows; returns how many."""
        return self.execute(self.prepare(rows))

    def prepare(self, rows: Iterable[Sequence[Any]]) -> Prepared:
        """Everything but the writing, which `execute` does (possibly in another thread)."""
        rows = self._converted(rows)
        if connection.vendor == "postgresql":
            constants = self.constants
            copy_rows = [(*row, *constants) for row in rows]
            return Prepared(len(copy_rows), copy_rows=copy_rows)
        rows = rows if isinstance(rows, list) else list(rows)
        per_statement = self._rows_per_statement()
        statements = []
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            statements.append(
                (self._sql(len(chunk)), [*self.constants, *chain.from_iterable(chunk)])
            )
        return Prepared(len(rows), statements=statements)

    def execute(self, prepared: Prepared) -> int:
        """Write what `prepare` made ready."""
        if not prepared.rows:
            return 0
        if prepared.copy_rows is not None:
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {self.table_and_columns} FROM STDIN") as copy:
                    for row in prepared.copy_rows:
                        copy.write_row(row)
        else:
            # The DB-API connection, in the same transaction: Django's cursor would rewrite
            # each statement's thousands of %s into ?.
            raw = connection.connection.cursor()
            for sql, params in prepared.statements:
                raw.execute(sql, params)
        return prepared.rows

    def copy_from(self, staged_table: str) -> int:
        """Insert the rows `stage_rows` wrote, in their order; returns how many."""
        columns = ", ".join(f"c{number}" for number in range(1, self.width + 1))
        return self.insert_from_query(f"SELECT {columns} FROM {staged_table} ORDER BY rowid")

    def insert_from_query(self, query: str, params: Sequence[Any] = ()) -> int:
        """Insert the rows a query gives (the `varying` values, in order, as the database
        takes them), adding the values every row shares; returns how many. SQLite does it
        all, binding nothing per row. SQLite's `?` marks; the DB-API connection, in the
        current transaction."""
        shared = "".join(", ?" for _ in self.constants)
        cursor = connection.connection.cursor()
        cursor.execute(
            f"INSERT INTO {self.table_and_columns}"
            f" SELECT source.*{shared} FROM ({query}) AS source",
            [*self.constants, *params],  # in the order of their marks in the text
        )
        return int(cursor.rowcount)

    def scratch_shape(self) -> tuple[int, int]:
        """What `stage_rows` needs to write this insert's rows elsewhere: the number of
        `varying` columns, and rows per statement."""
        return self.width, self._rows_per_statement(shared_values=0)

    def _rows_per_statement(self, shared_values: int | None = None) -> int:
        """Rows per statement, with the shared values (`constants`) bound in it, or not."""
        shared = len(self.constants) if shared_values is None else shared_values
        limit = min(PARAMETERS_PER_STATEMENT, _sqlite_parameter_limit()) - shared
        return max(1, limit // max(self.width, 1))

    def _converted(self, rows: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
        steps = self.steps
        if not any(steps):
            return rows
        return [
            tuple(
                value if step is None else step(value, connection)
                for value, step in zip(row, steps, strict=True)
            )
            for row in rows
        ]

    def _sql(self, rows: int) -> str:
        return _statement(self.table_and_columns, self.select_list, self.one_row, rows)


def stage_rows(
    scratch: sqlite3.Connection,
    table: str,
    rows: Iterable[Sequence[Any]],
    shape: tuple[int, int],
) -> None:
    """Write rows into a new table of a scratch SQLite database (columns c1, c2, …), for
    `BulkInsert.copy_from` to read (tahaluf/lib/staging.py). `shape`: the BulkInsert's
    `scratch_shape()`. Values as the database takes them: nothing is converted here."""
    width, rows_per_statement = shape
    rows = rows if isinstance(rows, list) else list(rows)
    scratch.execute(f'CREATE TABLE "{table}" ({", ".join(f"c{n}" for n in range(1, width + 1))})')
    one_row = f"({', '.join(['?'] * width)})"
    for start in range(0, len(rows), rows_per_statement):
        chunk = rows[start : start + rows_per_statement]
        scratch.execute(
            f'INSERT INTO "{table}" VALUES {", ".join([one_row] * len(chunk))}',
            list(chain.from_iterable(chunk)),
        )


@cache
def _statement(table_and_columns: str, select_list: str, one_row: str, rows: int) -> str:
    values = ", ".join([one_row] * rows)
    return f"INSERT INTO {table_and_columns} SELECT {select_list} FROM (VALUES {values})"


def _sqlite_parameter_limit() -> int:
    connection.ensure_connection()
    raw = connection.connection
    getlimit = getattr(raw, "getlimit", None)  # Python 3.11+
    if getlimit is None:
        return SQLITE_PARAMETERS_FALLBACK
    return int(getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
