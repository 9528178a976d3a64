from __future__ import annotations

import argparse
import sys
from pathlib import Path

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.integrations import trackers

HELP = "problems or roadmap initiatives as a CSV for Jira's or GitHub/Linear-style importers"
DESCRIPTION = (
    "Write the workspace's ranked problems (or its roadmap initiatives) as a CSV that an issue "
    "tracker imports: --format jira (Summary, Issue Type, Priority, Description, Labels) or "
    "github (title, body, labels, priority, state, url). Each description holds the problem "
    "statement and the customers' top quotes with links back to problemspace."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_option(parser)
    parser.add_argument("--format", choices=trackers.FORMATS, default="jira")
    parser.add_argument("--what", choices=trackers.WHATS, default="problems")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write here instead of standard output"
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    workspace = resolve_workspace(args.workspace)
    try:
        tickets = trackers.tickets(workspace, args.what)
    except trackers.ExportError as exc:
        raise UserError(str(exc)) from None
    text = trackers.write_csv(tickets, args.format)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise UserError(f"Could not write {args.output}: {exc.strerror}.") from None
        print(f"Wrote {len(tickets)} {args.what} to {args.output}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
