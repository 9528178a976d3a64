from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.interviews.models import Interview, Status

HELP = "the workspace's interviews, planned and held"
DESCRIPTION = (
    "List the workspace's customer interviews, the latest first: kind, goal, when, how long, "
    "who was there and how many quotes became evidence."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_option(parser)
    parser.add_argument(
        "--status", choices=[s.value for s in Status], help="only planned, held or cancelled"
    )
    parser.add_argument("--limit", type=int, default=50, help="how many (default: 50)")
    parser.add_argument(
        "--format", choices=["table", "json"], default="table", help="output (default: table)"
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    if args.limit < 1:
        raise UserError(f"--limit must be at least 1, not {args.limit}.")
    workspace = resolve_workspace(args.workspace)
    interviews = Interview.objects.filter(workspace=workspace).prefetch_related(
        "contacts", "attendees__user", "highlights"
    )
    if args.status:
        interviews = interviews.filter(status=args.status)
    rows = list(interviews[: args.limit])
    if args.format == "json":
        print(json.dumps([_as_json(i) for i in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No interviews yet. Plan one on the Interviews page.")
        return 0
    table = Table(expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("when", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("goal", ratio=3)
    table.add_column("with", ratio=2)
    table.add_column("min", justify="right", no_wrap=True)
    table.add_column("quotes", justify="right", no_wrap=True)
    for interview in rows:
        table.add_row(
            str(interview.pk),
            f"{interview.scheduled_at:%Y-%m-%d %H:%M}",
            interview.status,
            interview.kind,
            interview.goal,
            ", ".join(str(c) for c in interview.contacts.all()),
            str(interview.duration_minutes),
            str(len(interview.highlights.all())),
        )
    Console().print(table)
    return 0


def _as_json(interview: Interview) -> dict[str, Any]:
    return {
        "id": interview.pk,
        "kind": interview.kind,
        "goal": interview.goal,
        "status": interview.status,
        "scheduled_at": interview.scheduled_at.isoformat(),
        "duration_minutes": interview.duration_minutes,
        "contacts": [
            {"id": c.pk, "name": c.name, "email": c.email} for c in interview.contacts.all()
        ],
        "attendees": [m.user.email for m in interview.attendees.all()],
        "highlights": len(interview.highlights.all()),
    }
