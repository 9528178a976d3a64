"""Inserting many rows with ids chosen up front, without the ORM's per-value overhead.

`QuerySet.bulk_create` spends most of a million-row import compiling SQL value by value; the
database itself is several times faster than that. This inserts through the same connection
and transaction with `executemany`, converting values the way the backend's own operations do,
(COPY on PostgreSQL), and reserves ids first so that rows pointing at the new ones (tag links)
can be built at once.
The columns come from the model's metadata, so a new model field with a default is filled
without touching this module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

Converter = Callable[[Any], Any]


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
    """Inserts rows given as {attname: value} dicts into `model`'s table.

    Fields a row leaves out get their model default; datetimes are adapted by the backend's
    operations (UTC text on SQLite, aware datetimes on PostgreSQL).
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.fields = [f for f in model._meta.concrete_fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        self.copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        self.converters: list[Converter | None] = [self._converter(f) for f in self.fields]

    @staticmethod
    def _converter(field: models.Field[Any, Any]) -> Converter | None:
        if isinstance(field, models.DateTimeField):
            return connection.ops.adapt_datetimefield_value
        if isinstance(field, models.DecimalField):
            return lambda value: connection.ops.adapt_decimalfield_value(
                value, field.max_digits, field.decimal_places
            )
        return None

    def defaults(self) -> dict[str, Any]:
        """The model defaults, computed once per batch (so `timezone.now` is one instant)."""
        return {f.attname: f.get_default() for f in self.fields}

    def insert(self, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        defaults = self.defaults()
        plan = []
        for field, convert in zip(self.fields, self.converters, strict=True):
            default = defaults[field.attname]
            if convert is not None and default is not None:
                default = convert(default)
            plan.append((field.attname, convert, default))
        params: list[tuple[Any, ...]] = []
        for row in rows:
            values = []
            for attname, convert, default in plan:
                if attname not in row:
                    values.append(default)
                    continue
                value = row[attname]
                if convert is not None and value is not None:
                    value = convert(value)
                values.append(value)
            params.append(tuple(values))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY is PostgreSQL's bulk path: several times faster than INSERTs, and it
                # runs inside the same transaction, so a failed import still rolls back whole.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row_values in params:
                        copy.write_row(row_values)
            else:
                cursor.executemany(self.sql, params)
