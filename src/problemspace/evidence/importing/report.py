from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

# Errors kept in memory for the summary; all of them go to the report file when one is asked
# for, so a file where every row is wrong cannot exhaust memory.
KEPT_ERRORS = 1000


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.reason}"


@dataclass
class ImportReport:
    path: str
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    source: str = ""
    dry_run: bool = False
    columns: dict[str, str] = field(default_factory=dict)  # field -> column used
    ignored_columns: list[str] = field(default_factory=list)
    # The scale of scores in rows that do not give their own: --score-scale, else the name of
    # the score column; "" without scores, or when every row must give its own.
    score_scale: str = ""
    layout: Any = None  # the Layout the file was read with (layout.py), for the preview
    # Rows that are not evidence, by why (no words; written by the team), and a tool's channel
    # values nobody knows with what they were read as: counted, never fatal.
    skipped: Counter[str] = field(default_factory=Counter)
    channels_read_as: Counter[str] = field(default_factory=Counter)
    # captured_by values that are not members here (an export of another workspace): the rows
    # come in without them.
    unknown_members: Counter[str] = field(default_factory=Counter)
    # Rows that named a member of the workspace as who said it: read as relayed by them.
    team_as_contact: Counter[str] = field(default_factory=Counter)
    # Accounts the file names for the first time, and existing accounts each may be meant as
    # ("Granite Peak": ["Granite Peak Construction"]): said, so that they are merged, not missed.
    new_accounts: list[str] = field(default_factory=list)
    similar_accounts: dict[str, list[str]] = field(default_factory=dict)
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    accounts_created: int = 0
    contacts_created: int = 0
    tags_created: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_by_field: Counter[str] = field(default_factory=Counter)
    error_sink: IO[str] | None = None
    _sink_writer: Any = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def describe(self, error: RowError) -> str:
        """The error as a person reads it: with the file's own name for the column, when the
        field came from a column of another name ("line 4, score (column 'Rating'): ...")."""
        column = self.columns.get(error.field)
        if column is None or column == error.field:
            return str(error)
        return str(RowError(error.line, f"{error.field} (column {column!r})", error.reason))

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        self.errors_by_field[error.field or "row"] += 1
        if len(self.errors) < KEPT_ERRORS:
            self.errors.append(error)
        if self.error_sink is not None:
            if self._sink_writer is None:
                self._sink_writer = csv.writer(self.error_sink)
                self._sink_writer.writerow(["line", "field", "reason"])
            self._sink_writer.writerow([error.line, error.field, error.reason])
