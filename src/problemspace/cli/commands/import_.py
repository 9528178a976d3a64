from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.evidence.capture import CaptureError
from problemspace.evidence.importing import (
    ImportFileError,
    ImportOptions,
    ImportReport,
    import_evidence,
)
from problemspace.evidence.importing.describe import describe_reading
from problemspace.evidence.importing.fields import FIELDS, parse_mapping
from problemspace.evidence.importing.rows import CHANNEL_SYNONYMS, PROVENANCE_SYNONYMS
from problemspace.evidence.importing.saved import save_layout
from problemspace.evidence.importing.sources import SOURCES
from problemspace.evidence.mail import MailError, is_mail_file, read_file
from problemspace.evidence.mail_in import store_mail
from problemspace.evidence.models import Channel, ImportColumns, ScoreScale
from problemspace.evidence.scores import SCALE_WORDS
from problemspace.transfer import RestoreError, is_workspace_export, restore_workspace
from problemspace.workspaces.lookups import members_by_email
from problemspace.workspaces.models import Workspace

HELP = "import evidence from a CSV, JSON or JSON Lines export, or emails (.eml, mbox)"
DESCRIPTION = (
    "Import evidence from a CSV, JSON or JSON Lines file as another tool exports it: the "
    "exports of support desks, feedback boards, app stores and review sites, survey tools, "
    "issue trackers and CRMs are recognised by their columns (see --from); any other file is "
    "read by its columns' names (--map FIELD=COLUMN, --ignore COLUMN for others). --dry-run "
    "shows how each column is read. The file is imported whole or not at all: if any row is "
    "bad, every bad row is listed and nothing is written. Importing the same file again "
    f"changes nothing. Fields: {', '.join(FIELDS)}. An .eml or mbox file imports its emails "
    "(as mail-in does). Given a workspace export (`problemspace export`), it restores it into "
    "the workspace, which must be empty."
)
SHOWN_ERRORS = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the file to import")
    add_workspace_option(parser)
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="read FIELD from COLUMN (repeatable), e.g. --map text=Body --map date=Created",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="COLUMN",
        help="do not read COLUMN, whatever its name suggests (repeatable)",
    )
    parser.add_argument(
        "--columns",
        metavar="NAME",
        help="read the columns as saved under NAME (on the import preview, or --save-columns)",
    )
    parser.add_argument(
        "--save-columns",
        metavar="NAME",
        help="save how the columns were read under NAME, for the next file of the same tool",
    )
    parser.add_argument(
        "--from",
        dest="source_format",
        choices=[source.key for source in SOURCES],
        metavar="TOOL",
        help="read the file as this tool's export, if it is not recognised by its columns: "
        + ", ".join(source.key for source in SOURCES),
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check the file and show how each column would be read; write nothing",
    )
    parser.add_argument(
        "--report", type=Path, metavar="FILE", help="write every bad row to FILE as CSV"
    )
    parser.add_argument("--format", choices=["csv", "jsonl", "json"], help="default: detected")
    parser.add_argument("--encoding", help="default: detected (UTF-8, UTF-8 with BOM, cp1252)")
    parser.add_argument("--delimiter", help="CSV delimiter (default: detected)")
    parser.add_argument("--source", help="the system the file came from (default: the file's name)")
    parser.add_argument(
        "--channel",
        default="",
        help="channel of rows that have none (default: the recognised tool's, e.g. support for "
        "a support desk, else other)",
    )
    parser.add_argument(
        "--provenance",
        default="",
        help="provenance of rows that have none: first_hand or relayed (default: relayed for "
        "CRM call notes, else first_hand)",
    )
    parser.add_argument("--relayed-by", default="", help="who relayed rows marked relayed")
    parser.add_argument(
        "--score-scale",
        choices=ScoreScale.values,
        default="",
        help="the scale of the score column: stars (1-5), nps (0-10) or csat (1-5) (default: "
        "from the column's name, e.g. rating, nps, csat; rows with a score_scale keep theirs)",
    )
    order = parser.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        action="store_const",
        const=True,
        dest="dayfirst",
        help="read 03/04/2025 as 3 April (default: from the file's dates: 25/03/2025 is day "
        "first, 03/25/2025 month first; month first when nothing decides)",
    )
    order.add_argument(
        "--monthfirst",
        action="store_const",
        const=False,
        dest="dayfirst",
        help="read 03/04/2025 as March 4",
    )
    parser.add_argument(
        "--timezone", default="UTC", help="time zone of dates written without one (default: UTC)"
    )


def _options(args: argparse.Namespace) -> ImportOptions:
    if args.channel and args.channel.lower() not in CHANNEL_SYNONYMS:
        raise UserError(
            f"--channel {args.channel!r} is not a channel: {', '.join(c.value for c in Channel)}."
        )
    if args.provenance and args.provenance.lower() not in PROVENANCE_SYNONYMS:
        raise UserError(f"--provenance {args.provenance!r} is not first_hand or relayed.")
    try:
        zone = ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(
            f"--timezone {args.timezone!r} is not a time zone (e.g. UTC, Europe/Paris)."
        ) from None
    if args.delimiter is not None:
        args.delimiter = args.delimiter.replace("\\t", "\t")
        if len(args.delimiter) != 1:
            raise UserError(f"--delimiter {args.delimiter!r} must be one character.")
    return ImportOptions(
        format=args.format,
        encoding=args.encoding,
        delimiter=args.delimiter,
        mapping=parse_mapping(args.map),
        ignore=tuple(args.ignore),
        source_format=args.source_format,
        source=args.source,
        channel=args.channel.lower(),
        provenance=args.provenance.lower(),
        relayed_by=args.relayed_by,
        score_scale=args.score_scale,
        dayfirst=args.dayfirst,
        timezone=zone,
        dry_run=args.dry_run,
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    path: Path = args.file
    if not path.is_file():
        raise UserError(f"{path} does not exist or is not a file.")
    workspace = resolve_workspace(args.workspace)
    if is_workspace_export(path):
        return _restore(workspace, path)
    if is_mail_file(path):
        return _import_mail(workspace, path, dry_run=args.dry_run)
    if args.encoding:
        import codecs

        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise UserError(f"--encoding {args.encoding!r} is not an encoding.") from None
    try:
        options = _with_saved_columns(_options(args), workspace, args.columns)
        report = _import_with_progress(workspace, path, options, args.report)
    except ImportFileError as exc:
        raise UserError(str(exc)) from None
    _print_report(report, args.report)
    if report.ok and args.save_columns and report.layout is not None:
        save_layout(workspace, args.save_columns, report.layout)
        print(f"The columns are saved as {args.save_columns!r}: --columns {args.save_columns!r}.")
    return 0 if report.ok else 2


def _with_saved_columns(
    options: ImportOptions, workspace: Workspace, name: str | None
) -> ImportOptions:
    if not name:
        return options
    saved = ImportColumns.objects.filter(workspace=workspace, name=name).first()
    if saved is None:
        known = ", ".join(
            ImportColumns.objects.filter(workspace=workspace).values_list("name", flat=True)
        )
        listed = f" (saved: {known})" if known else ""
        raise UserError(f"--columns {name!r}: no columns are saved under that name{listed}.")
    return replace(
        options,
        mapping={**saved.mapping(), **options.mapping},
        ignore=(*saved.ignore, *options.ignore),
        dayfirst=options.dayfirst if options.dayfirst is not None else saved.dayfirst,
    )


class _MailRolledBack(Exception):
    pass


def _import_mail(workspace: Workspace, path: Path, *, dry_run: bool) -> int:
    """An .eml file or an mbox: every message, or (if one cannot be read) none."""
    members = members_by_email(workspace.pk)
    created = unchanged = messages = 0
    problems: list[str] = []
    try:
        with transaction.atomic():
            for number, read in read_file(path, members):
                messages += 1
                if isinstance(read, MailError):
                    problems.append(f"message {number}: {read}")
                    continue
                if not read.items:
                    problems.append(f"message {number}: it holds no words from a customer")
                    continue
                try:
                    stored = store_mail(workspace, read, members)
                except CaptureError as exc:
                    problems.append(f"message {number}: {exc}")
                    continue
                created += stored.created
                unchanged += stored.unchanged
            if problems or dry_run:
                raise _MailRolledBack
    except _MailRolledBack:
        pass
    if problems:
        print(
            f"problemspace: {len(problems):,} of {messages:,} messages in {path.name} cannot be "
            "imported; nothing was imported:",
            file=sys.stderr,
        )
        for line in problems[:SHOWN_ERRORS]:
            print(f"  {line}", file=sys.stderr)
        return 2
    verb = "Would import" if dry_run else "Imported"
    print(
        f"{verb} {created:,} new evidence items from {messages:,} "
        f"{'message' if messages == 1 else 'messages'} in {path.name} "
        f"(source 'email'; {unchanged:,} already imported, left as they were)."
    )
    return 0


def _restore(workspace: Workspace, path: Path) -> int:
    try:
        with path.open("rb") as stream:
            summary = restore_workspace(workspace, stream)
    except RestoreError as exc:
        raise UserError(f"{path.name}: {exc}") from None
    counts = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in summary.counts.items() if n)
    print(f"Restored {path.name} into {workspace.slug}: {counts or 'an empty workspace'}.")
    if summary.users_created:
        print(
            "New sign-ins without a password (they set one with password reset): "
            + ", ".join(summary.users_created)
        )
    for line in summary.renewed:
        print(line)
    for line in summary.new_secrets:
        print(line)
    if summary.refresh_queued:
        print(
            "The problems' scores, quotes and profiles are recomputed by a refresh queued now;"
            " it runs in `problemspace serve` or `problemspace worker`."
        )
    return 0


def _import_with_progress(
    workspace: Workspace, path: Path, options: ImportOptions, report_path: Path | None
) -> ImportReport:
    console = Console(stderr=True)
    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    sink = report_path.open("w", newline="", encoding="utf-8") if report_path else None
    try:
        with progress:
            task = progress.add_task(f"Importing {path.name}", total=path.stat().st_size)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            return import_evidence(
                workspace,
                path,
                options,
                progress=advance,
                error_sink=sink,
            )
    finally:
        if sink:
            sink.close()


def _print_report(report: ImportReport, report_path: Path | None) -> None:
    name = Path(report.path).name
    out = sys.stdout
    if not report.ok:
        if report.dry_run:
            # What a dry run is for: how the file is read, even when some rows are wrong.
            for line in describe_reading(report, full=True):
                print(line, file=out)
        err = sys.stderr
        rows = "row is" if report.error_count == 1 else "rows are"
        print(
            f"problemspace: {report.error_count:,} {rows} not valid in {name}; "
            + (
                "an import would write nothing. Fix them, or change how a column is read:"
                if report.dry_run
                else "nothing was imported. Fix them and import the file again:"
            ),
            file=err,
        )
        for error in report.errors[:SHOWN_ERRORS]:
            print(f"  {report.describe(error)}", file=err)
        hidden = report.error_count - min(len(report.errors), SHOWN_ERRORS)
        if hidden:
            where = (
                f"all of them are in {report_path}"
                if report_path
                else "--report FILE lists them all"
            )
            print(f"  ... and {hidden:,} more ({where}).", file=err)
        return
    for line in describe_reading(report, full=report.dry_run):
        print(line, file=out)
    verb = "Would import" if report.dry_run else "Imported"
    print(
        f"{verb} {report.created:,} new evidence items from {name} "
        f"(source {report.source!r}; {report.unchanged:,} already imported, left as they were).",
        file=out,
    )
    print(
        f"{'Would create' if report.dry_run else 'Created'}: {report.accounts_created:,} "
        f"accounts, {report.contacts_created:,} contacts, {report.tags_created:,} tags.",
        file=out,
    )
    if report.score_scale:
        print(
            f"Scores read on the {SCALE_WORDS[ScoreScale(report.score_scale)]} scale, except in"
            " rows that give their own.",
            file=out,
        )
    if report.dry_run:
        print("Dry run: nothing was written.", file=out)
