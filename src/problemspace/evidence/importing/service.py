"""Import one file of evidence into a workspace: all of it, or — if any row is bad — none."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from problemspace.customers.matching import similar_accounts
from problemspace.evidence.importing.errors import ImportFileError
from problemspace.evidence.importing.fields import default_score_scale
from problemspace.evidence.importing.layout import SAMPLE_RECORDS, Layout, build, key_paths
from problemspace.evidence.importing.options import ImportOptions
from problemspace.evidence.importing.pipeline import read_in_child
from problemspace.evidence.importing.readers import (
    ByteCounter,
    CsvReader,
    JsonArrayReader,
    JsonLinesReader,
    Record,
    open_text,
)
from problemspace.evidence.importing.report import ImportReport, RowError
from problemspace.evidence.importing.rows import Row, RowValidator, fingerprint
from problemspace.evidence.importing.sniff import detect_delimiter, detect_encoding, detect_format
from problemspace.evidence.importing.writer import EvidenceWriter
from problemspace.evidence.models import Provenance
from problemspace.integrations import events
from problemspace.workspaces.lookups import members_by_email
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
    report, read, layout = _prepare(path, options, error_sink)
    encoding = report.encoding
    total = path.stat().st_size
    options = replace(
        options,
        channel=layout.channel,
        provenance=layout.provenance,
        dayfirst=layout.dayfirst,
        score_scale=layout.score_scale,
        timezone=layout.timezone or options.timezone,
    )
    handle, counter = open_text(path, encoding)
    try:
        records = _records(handle, read, layout, report)
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


def preview(path: Path, options: ImportOptions) -> ImportReport:
    """How the file would be read, from its first records only: the report's layout, format,
    encoding and delimiter, and nothing read past the sample, nothing written."""
    report, _, _ = _prepare(path, replace(options, dry_run=True), None)
    return report


def _prepare(
    path: Path, options: ImportOptions, error_sink: IO[str] | None
) -> tuple[ImportReport, Callable[[IO[str]], Iterable[Record]], Layout]:
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
    try:
        read = _readers(path, encoding, file_format, options, report)
        layout = _layout(path, encoding, read, options, report)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{path.name} cannot be read as {encoding}: {exc.reason}. "
            "Pass the file's encoding with --encoding."
        ) from None
    return report, read, layout


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


def _readers(
    path: Path, encoding: str, file_format: str, options: ImportOptions, report: ImportReport
) -> Callable[[IO[str]], Iterable[Record]]:
    """How to read records from an open handle of the file (the sample and the import each
    read it once)."""
    if file_format == "csv":
        delimiter = options.delimiter or _sniff_delimiter(path, encoding)
        report.delimiter = delimiter
        return lambda handle: CsvReader(handle, delimiter, path.name)
    if file_format == "jsonl":
        return lambda handle: JsonLinesReader(handle, path.name)
    if file_format == "json":
        return lambda handle: JsonArrayReader(_binary(handle, encoding), path.name)
    raise ImportFileError(
        f"{file_format!r} is not a format this can import: csv, jsonl or json (an array)."
    )


def _binary(handle: IO[str], encoding: str) -> IO[bytes]:
    """The bytes under a text handle, for the JSON parser (which reads UTF-8 bytes)."""
    if encoding not in ("utf-8", "utf-8-sig"):
        raise ImportFileError(
            f"A JSON file must be UTF-8 (this one reads as {encoding}); save it as UTF-8."
        )
    raw: IO[bytes] = handle.buffer  # type: ignore[attr-defined]
    if encoding == "utf-8-sig":
        raw.read(3)
    return raw


def _layout(
    path: Path,
    encoding: str,
    read: Callable[[IO[str]], Iterable[Record]],
    options: ImportOptions,
    report: ImportReport,
) -> Layout:
    """Read the first records, then decide the layout from them and the user's choices."""
    handle, _ = open_text(path, encoding)
    try:
        reader = read(handle)
        sample = [
            record.values
            for record in itertools.islice(iter(reader), SAMPLE_RECORDS)
            if record.values is not None
        ]
        columns = list(getattr(reader, "columns", []) or []) or key_paths(sample)
        open_ended = set(getattr(reader, "open_ended", ()))
    finally:
        handle.close()
    if not columns:
        raise ImportFileError(f"{path.name} has no rows to import.")
    layout = build(
        columns,
        sample,
        mapping=options.mapping,
        ignore=options.ignore,
        channel=options.channel,
        provenance=options.provenance,
        score_scale=options.score_scale,
        dayfirst=options.dayfirst,
        file_name=path.name,
        source_key=options.source_format,
        open_ended=open_ended,
    )
    first = {name: cs[0] for name, cs in layout.fields.items()}
    what = "column" if report.format == "csv" else "key"
    default_score_scale(first, layout.score_scale, path.name, what=what)
    report.layout = layout
    report.columns = {name: layout.column_of(name) or "" for name in layout.fields}
    report.ignored_columns = layout.ignored
    report.score_scale = layout.score_scale
    if layout.source is not None and not options.source:
        report.source = layout.source.key
    return layout


def _records(
    handle: IO[str],
    read: Callable[[IO[str]], Iterable[Record]],
    layout: Layout,
    report: ImportReport,
) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line, field -> raw value, problem) for each record, whatever the file format; a row
    that is not evidence (no words, written by the team) comes as (line, None, "")."""
    scale = layout.score_scale
    for record in read(handle):
        if record.values is None:
            if record.skipped:
                report.skipped[record.skipped] += 1
            yield record.line, None, record.problem
            continue
        values = layout.read(record.values, report.skipped, report.channels_read_as)
        if values is None:
            yield record.line, None, ""
            continue
        if scale and not str(values.get("score_scale") or "").strip():
            values["score_scale"] = scale
        yield record.line, values, ""


def _sniff_delimiter(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, newline="") as sample:
        return detect_delimiter(sample.read(64 * 1024))


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
    team = {
        email: member.user.get_full_name() or member.user.email
        for email, member in members_by_email(workspace.pk).items()
    }
    batches = _valid_batches(records, validator, set(writer.members), team, options, report)
    for batch, done in read_in_child(batches, report, counter):
        writer.write(batch)
        if progress:
            progress(done, total)
    if report.rows == 0:
        raise ImportFileError(f"{Path(report.path).name} has no rows to import.")
    skipped = sum(report.skipped.values())
    if skipped == report.rows:
        reasons = "; ".join(f"{n:,} {why}" for why, n in report.skipped.items())
        raise ImportFileError(
            f"{Path(report.path).name}: none of its {report.rows:,} rows is evidence to import "
            f"({reasons}). If the words are in a column that was not read, name it with "
            "--map text=COLUMN."
        )
    if report.ok:
        writer.finish()
        for name in report.new_accounts:
            alike = similar_accounts(workspace.pk, name)
            if alike:
                report.similar_accounts[name] = [account.name for account in alike]
    if progress:
        progress(total, total)


def _valid_batches(
    records: Iterator[tuple[int, dict[str, Any] | None, str]],
    validator: RowValidator,
    members: set[str],
    team: dict[str, str],
    options: ImportOptions,
    report: ImportReport,
) -> Iterator[list[Row]]:
    """Batches of valid rows, until the first bad row; after it, rows are only checked."""
    seen: dict[int, int] = {}  # hash of (source, external id) -> line it was first seen on
    batch: list[Row] = []
    for line, values, problem in records:
        report.rows += 1
        if values is None:
            if problem:
                report.add_error(RowError(line, "", problem))
            continue
        row, errors = validator.validate(line, values)
        if row is not None and row.captured_by and row.captured_by not in members:
            # An export from another workspace names its members: the evidence still comes in.
            report.unknown_members[row.captured_by] += 1
            row = row._replace(captured_by="")
        if errors or row is None:
            for error in errors:
                report.add_error(error)
            continue
        if row.contact_email in team:
            # A teammate named as who said it (a tracker's reporter, a CRM note's author):
            # they passed it on; the customer is not known from the row.
            report.team_as_contact[row.contact_email] += 1
            row = row._replace(
                provenance=Provenance.RELAYED,
                relayed_by=row.relayed_by or team[row.contact_email],
                contact_email="",
                contact_name="",
                contact_role="",
            )
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
