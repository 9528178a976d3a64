"""Inserting many rows with ids chosen up front, without the ORM's per-value overhead.

`QuerySet.bulk_create` spends most of a million-row import compiling SQL value by value; the
database itself is several times faster than that. This inserts through the same connection
and transaction with multi-row INSERTs (COPY on PostgreSQL), converting values the way the
backend's own operations do, and reserves ids first so that rows pointing at the new ones (tag
links) can be built at once.
The columns come from the model's metadata, so a new model field with a default is filled
without touching this module.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection, models

# "varchar(16)" -> "varchar": COPY's binary types are named without their modifiers.
_TYPE_ARGS = re.compile(r"\(.*\)")
# Rows per INSERT statement on SQLite, within its limit on parameters per statement.
SQLITE_ROWS_PER_STATEMENT = 500


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`, safe against concurrent writers.

    PostgreSQL hands them out from the table's sequence. SQLite has one writer at a time and
    our transactions take the write lock when they begin (IMMEDIATE), so the ids after the
    highest ever used (AUTOINCREMENT's sqlite_sequence) cannot be taken by anyone else.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    pk_column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk_column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"ids cannot be reserved on {connection.vendor}")
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),"  # noqa: S608
            f" COALESCE((SELECT MAX({connection.ops.quote_name(pk_column)})"
            f" FROM {connection.ops.quote_name(table)}), 0))",
            [table],
        )
        start = int(cursor.fetchone()[0]) + 1
    return list(range(start, start + count))


class BulkInserter:
    """Inserts rows of `model` given as tuples of the values of `columns`, in that order.

    Every other concrete field gets its model default, computed once per batch. Values of
    `columns` must already be in the database's form (see `adapt_datetime`); building tuples
    directly, rather than a dict per row, is a large share of the saving over bulk_create.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(by_attname)
        if unknown:
            raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
        self.defaulted = [f for f in model._meta.concrete_fields if f.attname not in columns]
        fields = [by_attname[c] for c in columns] + self.defaulted
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields)
        table = quote(model._meta.db_table)
        self.width = len(fields)
        self.insert_sql = f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608
        self.placeholders = "(" + ", ".join(["?"] * len(fields)) + ")"
        # Binary COPY skips PostgreSQL's text escaping of every value; it needs the types.
        self.copy_sql = f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)"
        self.copy_types = [_TYPE_ARGS.sub("", str(f.db_type(connection))) for f in fields]

    def _defaults(self) -> tuple[Any, ...]:
        return tuple(_adapt(field, field.get_default()) for field in self.defaulted)

    def insert(self, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        defaults = self._defaults()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY is PostgreSQL's bulk path: several times faster than INSERTs, and it
                # runs inside the same transaction, so a failed import still rolls back whole.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    copy.set_types(self.copy_types)
                    for row in rows:
                        copy.write_row(row + defaults)
            else:
                self._insert_sqlite(rows, defaults)

    def _insert_sqlite(self, rows: Sequence[tuple[Any, ...]], defaults: tuple[Any, ...]) -> None:
        """Many rows per statement, not one statement per row (`executemany`).

        The full-text index's triggers make the difference: FTS5 writes out what it has
        gathered at the end of every statement, so one row per statement cost the index a
        segment per row, which made an import twice as slow. The statements go straight to
        sqlite3 with its own `?` placeholders: Django's wrapper would rewrite thousands of
        `%s` per statement.
        """
        raw = connection.connection
        limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        size = max(1, min(SQLITE_ROWS_PER_STATEMENT, limit // self.width))
        full = self.insert_sql + ", ".join([self.placeholders] * size)
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = (
                full
                if len(chunk) == size
                else self.insert_sql + ", ".join([self.placeholders] * len(chunk))
            )
            raw.execute(sql, [value for row in chunk for value in row + defaults])


def _adapt(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(field, models.DecimalField):
        return connection.ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    return value


def datetime_adapter() -> Callable[[datetime], Any]:
    """The fastest correct conversion of an aware datetime for this connection's database.

    SQLite stores UTC as text in the form `str(naive datetime)`, which is what Django's own
    adapter produces; PostgreSQL takes aware datetimes as they are.
    """
    if connection.vendor == "sqlite":
        if connection.timezone != UTC and str(connection.timezone) != "UTC":
            return connection.ops.adapt_datetimefield_value
        return lambda value: str(value.astimezone(UTC).replace(tzinfo=None))
    return _unchanged


def _unchanged(value: datetime) -> datetime:
    return value
