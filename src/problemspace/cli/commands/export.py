from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import TextIO

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.lib.files import atomic_write
from problemspace.transfer import export_evidence_csv, export_workspace
from problemspace.workspaces.models import Workspace

HELP = "export a workspace: everything as JSON, or its evidence as CSV"
DESCRIPTION = (
    "Export a workspace. JSON (the default) holds everything in it, members, accounts, contacts,"
    " tags, evidence, problems with your edits, interviews, assumptions and experiments,"
    " recruiting and booking, and `problemspace import` restores it into an empty workspace,"
    " here or on another installation. CSV holds the evidence only, one row per item, in the"
    " columns `problemspace import` reads without --map; open it in a spreadsheet or another"
    " tool."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_option(parser)
    parser.add_argument(
        "--format",
        choices=["json", "csv"],
        help="json: the whole workspace; csv: its evidence (default: csv when FILE ends in"
        " .csv, json otherwise)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of standard output; FILE is replaced only once the export"
        " is complete",
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    workspace = resolve_workspace(args.workspace)
    output: str | None = args.output if args.output != "-" else None
    kind = args.format or ("csv" if output and output.lower().endswith(".csv") else "json")
    if output is None:
        _to_stdout(workspace, kind)
        return 0
    path = Path(output)
    if path.is_dir():
        raise UserError(f"{output} is a folder; give the name of the file to write.")
    if not path.parent.is_dir():
        raise UserError(f"Cannot write {output}: the folder {path.parent} does not exist.")
    try:
        # csv asks for newline="" so that it alone decides the line endings.
        with atomic_write(path, newline="" if kind == "csv" else None) as stream:
            what = _write(workspace, kind, stream)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UserError(f"Cannot write {output}: {reason}. Nothing was written.") from None
    print(f"Exported {what} of {workspace.slug} to {output}.", file=sys.stderr)
    return 0


def _write(workspace: Workspace, kind: str, stream: TextIO) -> str:
    if kind == "csv":
        return _count(export_evidence_csv(workspace, stream), "evidence item")
    counts = export_workspace(workspace, stream).counts
    return (
        f"{_count(counts['evidence'], 'evidence item')}, {_count(counts['accounts'], 'account')},"
        f" {_count(counts['contacts'], 'contact')}, {_count(counts['tags'], 'tag')} and"
        f" {_count(counts['members'], 'member')}"
    )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _to_stdout(workspace: Workspace, kind: str) -> None:
    # UTF-8 whatever the terminal's locale, as a file would be.
    stream = io.TextIOWrapper(
        sys.stdout.buffer, encoding="utf-8", newline="" if kind == "csv" else None
    )
    try:
        _write(workspace, kind, stream)
        stream.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): not an error. Point stdout at /dev/null so Python's
        # own flush at exit does not complain about the closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        stream.detach()
