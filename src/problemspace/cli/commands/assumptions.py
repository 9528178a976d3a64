"""`problemspace assumptions`: the workspace's assumptions, riskiest first."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.hypotheses.models import Hypothesis, Kind, Status
from problemspace.hypotheses.queries import list_hypotheses

HELP = "the assumptions behind the team's bets, and how their experiments went"
DESCRIPTION = (
    "List the workspace's assumptions (hypotheses), most important and least known first: "
    "their kind, importance and evidence strength (1 to 5), status, and whether they are in "
    "the assumption map's 'test first' corner. JSON adds the linked problems and evidence."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_option(parser)
    parser.add_argument("--status", choices=Status.values, help="only assumptions in this status")
    parser.add_argument("--kind", choices=Kind.values, help="only assumptions of this kind")
    parser.add_argument(
        "--format", choices=["table", "json"], default="table", help="output (default: table)"
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    workspace = resolve_workspace(args.workspace)
    hypotheses = list(
        list_hypotheses(workspace, kind=args.kind or "", status=args.status or "").prefetch_related(
            "problems", "evidence"
        )
    )
    if args.format == "json":
        print(json.dumps([_as_json(h) for h in hypotheses], indent=2, ensure_ascii=False))
        return 0
    if not hypotheses:
        which = f" {args.status}" if args.status else ""
        print(f"No{which} assumptions. Add them on the Assumptions page of the workspace.")
        return 0
    table = Table(expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("we believe", ratio=4)
    table.add_column("kind", no_wrap=True)
    table.add_column("imp.", justify="right", no_wrap=True)
    table.add_column("evid.", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for h in hypotheses:
        flag = (
            " [test first]"
            if h.test_first and h.status in (Status.UNTESTED, Status.TESTING)
            else ""
        )
        table.add_row(
            str(h.pk),
            # Escaped: rich would read [brackets] in what people wrote as markup.
            escape(h.statement + flag),
            h.kind,
            str(h.importance),
            str(h.evidence_strength),
            h.status,
        )
    Console().print(table)
    return 0


def _as_json(h: Hypothesis) -> dict[str, Any]:
    return {
        "id": h.pk,
        "statement": h.statement,
        "kind": h.kind,
        "importance": h.importance,
        "evidence_strength": h.evidence_strength,
        "status": h.status,
        "test_first": h.test_first,
        "owner": h.owner.display_name if h.owner else None,
        "experiments": getattr(h, "experiment_count", 0),
        "problems": [{"id": p.pk, "title": p.title} for p in h.problems.all()],
        "evidence_ids": sorted(e.pk for e in h.evidence.all()),
        "updated_at": h.updated_at.isoformat(),
    }
