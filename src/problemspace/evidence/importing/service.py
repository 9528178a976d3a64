"""Import one file of evidence into a workspace: all of it, or — if any row is bad — none."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from problemspace.evidence.importing.errors import ImportFileError
from problemspace.evidence.importing.fields import (
    default_score_scale,
    lookup,
    resolve_columns,
    resolve_json_fields,
)
from problemspace.evidence.importing.options import ImportOptions
from problemspace.evidence.importing.pipeline import read_in_child
from problemspace.evidence.importing.readers import (
    ByteCounter,
    CsvReader,
    JsonLinesReader,
    Record,
    open_text,
)
from problemspace.evidence.importing.report import ImportReport, RowError
from problemspace.evidence.importing.rows import Row, RowValidator, fingerprint
from problemspace.evidence.importing.sniff import detect_delimiter, detect_encoding, detect_format
from problemspace.evidence.importing.writer import EvidenceWriter
from problemspace.integrations import events
from problemspace.workspaces.models import Workspace

Progress = Callable[[int, int], None]  # (bytes read, bytes in all)

__all__ = ["ImportFileError", "import_evidence"]


class _RolledBack(Exception):
    """Raised inside the transaction to undo a file that had bad rows."""


def import_evidence(
    workspace: Workspace,
    path: Path,
    options: ImportOptions,
    *,
    progress: Progress | None = None,
    error_sink: IO[str] | None = None,
    shown_name: str = "",
) -> ImportReport:
    """Read `path` and add its evidence to `workspace`.

    Every row is validated and every problem reported. If there is any, nothing is written:
    a half-imported file is worse than none, because fixing and re-importing it would have to
    guess which rows made it in. Rows already imported (same source and external id) are left
    as they are, so importing the same file twice changes nothing.

    A written import is announced to webhooks as one evidence.imported event with its counts
    (never one event per row), under `shown_name` (the file's own name when it was uploaded).
    """
    if not path.is_file():
        raise ImportFileError(f"{path} does not exist or is not a file.")
    encoding = options.encoding or detect_encoding(path)
    file_format = options.format or detect_format(path, encoding)
    report = ImportReport(
        path=str(path),
        format=file_format,
        encoding=encoding,
        source=options.source or path.stem[:64],
        dry_run=options.dry_run,
        error_sink=error_sink,
    )
    total = path.stat().st_size
    handle, counter = open_text(path, encoding)
    try:
        records = _records(handle, path.name, file_format, options, report)
        try:
            with transaction.atomic():
                _run(workspace, records, options, report, counter, total, progress)
                if not report.written:
                    raise _RolledBack
                _announce(workspace, report, shown_name or path.name)
        except _RolledBack:
            pass
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{path.name} cannot be read as {encoding}: {exc.reason}. "
            "Pass the file's encoding with --encoding."
        ) from None
    finally:
        handle.close()
    return report


def _announce(workspace: Workspace, report: ImportReport, name: str) -> None:
    events.emit(
        workspace.pk,
        events.EVIDENCE_IMPORTED,
        {
            "filename": name,
            "source": report.source,
            "rows": report.rows,
            "created": report.created,
            "unchanged": report.unchanged,
            "accounts_created": report.accounts_created,
            "contacts_created": report.contacts_created,
            "url": events.link("evidence:inbox", workspace.slug),
        },
    )


def _records(
    handle: IO[str],
    name: str,
    file_format: str,
    options: ImportOptions,
    report: ImportReport,
) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line, field -> raw value, problem) for each record, whatever the file format."""
    if file_format == "csv":
        delimiter = options.delimiter or _sniff_delimiter(Path(report.path), report.encoding)
        report.delimiter = delimiter
        reader = CsvReader(handle, delimiter, name)
        columns = resolve_columns(reader.columns, options.mapping, name)
        report.columns = columns
        report.ignored_columns = [c for c in reader.columns if c not in columns.values()]
        scale = report.score_scale = default_score_scale(columns, options.score_scale, name)
        items = list(columns.items())
        for record in reader:
            if record.values is None:
                yield record.line, None, record.problem
            else:
                values = record.values
                fields = {f: values[c] for f, c in items}
                if scale and not fields.get("score_scale", "").strip():
                    fields["score_scale"] = scale
                yield record.line, fields, ""
        return
    if file_format != "jsonl":
        raise ImportFileError(f"{file_format!r} is not a format this can import: csv or jsonl.")
    resolved_for: dict[tuple[str, ...], tuple[dict[str, str], str]] = {}
    for record in JsonLinesReader(handle, name):
        yield _json_record(record, options, report, resolved_for)


def _sniff_delimiter(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, newline="") as sample:
        return detect_delimiter(sample.read(64 * 1024))


def _json_record(
    record: Record,
    options: ImportOptions,
    report: ImportReport,
    resolved_for: dict[tuple[str, ...], tuple[dict[str, str], str]],
) -> tuple[int, dict[str, Any] | None, str]:
    if record.values is None:
        return record.line, None, record.problem
    shape = tuple(record.values)
    resolved = resolved_for.get(shape)
    if resolved is None:
        fields = resolve_json_fields(record.values, options.mapping)
        scale = default_score_scale(fields, options.score_scale, Path(report.path).name, what="key")
        resolved = resolved_for[shape] = (fields, scale)
        for name, key in fields.items():
            report.columns.setdefault(name, key)
        if scale:
            report.score_scale = report.score_scale or scale
    fields, scale = resolved
    values = {f: lookup(record.values, k) for f, k in fields.items()}
    if scale and not str(values.get("score_scale") or "").strip():
        values["score_scale"] = scale
    return record.line, values, ""


def _run(
    workspace: Workspace,
    records: Iterator[tuple[int, dict[str, Any] | None, str]],
    options: ImportOptions,
    report: ImportReport,
    counter: ByteCounter,
    total: int,
    progress: Progress | None,
) -> None:
    writer = EvidenceWriter(workspace, report, dry_run=options.dry_run)
    validator = RowValidator(options, report.source, timezone.now())
    batches = _valid_batches(records, validator, set(writer.members), options, report)
    for batch, done in read_in_child(batches, report, counter):
        writer.write(batch)
        if progress:
            progress(done, total)
    if report.rows == 0:
        raise ImportFileError(f"{Path(report.path).name} has no rows to import.")
    if report.ok:
        writer.finish()
    if progress:
        progress(total, total)


def _valid_batches(
    records: Iterator[tuple[int, dict[str, Any] | None, str]],
    validator: RowValidator,
    members: set[str],
    options: ImportOptions,
    report: ImportReport,
) -> Iterator[list[Row]]:
    """Batches of valid rows, until the first bad row; after it, rows are only checked."""
    seen: dict[int, int] = {}  # hash of (source, external id) -> line it was first seen on
    batch: list[Row] = []
    for line, values, problem in records:
        report.rows += 1
        if values is None:
            report.add_error(RowError(line, "", problem))
            continue
        row, errors = validator.validate(line, values)
        if row is not None and row.captured_by and row.captured_by not in members:
            errors.append(
                RowError(line, "captured_by", f"{row.captured_by!r} is not a workspace member")
            )
        if errors or row is None:
            for error in errors:
                report.add_error(error)
            continue
        row = _identify(row, seen, report)
        if row is None:
            continue
        if report.ok:
            batch.append(row)
            if len(batch) >= options.batch_size:
                yield batch
                batch = []
    if batch and report.ok:
        yield batch


def _identify(row: Row, seen: dict[int, int], report: ImportReport) -> Row | None:
    """The row with its external id, or None when another row of the file has the same one.

    Rows with no id of their own get a fingerprint of their content; a row identical to an
    earlier one in the same file is numbered (#2, #3...) so that both are kept and re-importing
    the file still recognises each.
    """
    if row.external_id:
        key = hash((row.source, row.external_id))
        first = seen.get(key)
        if first is not None:
            report.add_error(
                RowError(
                    row.line,
                    "external_id",
                    f"{row.external_id!r} is also the id of line {first}; each row needs its own",
                )
            )
            return None
        seen[key] = row.line
        return row
    base = fingerprint(row)
    candidate, n = base, 1
    while hash((row.source, candidate)) in seen:
        n += 1
        candidate = f"{base}#{n}"
    seen[hash((row.source, candidate))] = row.line
    return row._replace(external_id=candidate)
