"""Query lookups that Django lacks."""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import IContains, Lookup
from django.db.models.sql.compiler import SQLCompiler


class ContainsAnyCase(IContains):
    """`icontains` that PostgreSQL can estimate: `col ILIKE '%x%'` rather than `UPPER(col) LIKE`.

    PostgreSQL keeps statistics on the column, not on UPPER(column), so for Django's form it
    guesses that almost no row matches and reads the whole table to sort the matches, about a
    second on a million rows, even when the first fifty rows in index order would have done. With
    ILIKE it sees that a common word matches often and walks the newest-first index instead.
    Other databases use Django's own `icontains` SQL. Use it as an expression in `filter()`.
    """

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        # Lookup.process_lhs, not the PostgreSQL one that wraps the column in UPPER(...::text).
        lhs_sql, lhs_params = Lookup.process_lhs(self, compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs_sql} ILIKE {rhs_sql}", [*lhs_params, *rhs_params]
