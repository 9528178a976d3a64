"""`problemspace roadmap`: the roadmap as a now/next/later board, or as a list by score."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.roadmap import queries, services
from problemspace.roadmap.models import Horizon, Initiative, InitiativeStatus
from problemspace.roadmap.scoring import format_number

HELP = "the roadmap: now, next and later, or every initiative by score"
DESCRIPTION = (
    "Show the workspace's roadmap. The board (the default) lists the open initiatives under "
    "now, next and later; --list lists every initiative, highest score first, with the "
    "sentence that explains its score (a score set by hand shows with its reason). JSON adds "
    "the linked problems and goals. --recount counts every score again from the evidence first."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_option(parser)
    parser.add_argument(
        "--list", action="store_true", help="every initiative by score instead of the board"
    )
    parser.add_argument("--horizon", choices=Horizon.values, help="only this horizon (--list)")
    parser.add_argument(
        "--status", choices=InitiativeStatus.values, help="only this status (--list)"
    )
    parser.add_argument(
        "--recount", action="store_true", help="count every score again from the evidence"
    )
    parser.add_argument(
        "--format", choices=["table", "json"], default="table", help="output (default: table)"
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    workspace = resolve_workspace(args.workspace)
    if args.recount:
        services.refresh_workspace(workspace.pk)
    if args.list or args.horizon or args.status:
        initiatives = list(
            queries.ranked(workspace, horizon=args.horizon or "", status=args.status or "")
        )
    else:
        initiatives = [i for c in queries.board(workspace) for i in c.initiatives]
    if args.format == "json":
        print(json.dumps([_as_json(i) for i in initiatives], indent=2, ensure_ascii=False))
        return 0
    if not initiatives:
        print("The roadmap is empty. Add initiatives on the Roadmap page of the workspace.")
        return 0
    if args.list or args.horizon or args.status:
        _print_list(initiatives)
    else:
        _print_board(initiatives)
    return 0


def _score(i: Initiative) -> str:
    if i.score_override is None:
        return format_number(i.score)
    return f"{format_number(i.score_override)}*"


def _print_board(initiatives: list[Initiative]) -> None:
    table = Table(expand=True)
    for horizon in Horizon:
        table.add_column(f"{horizon.label} ({sum(i.horizon == horizon for i in initiatives)})")
    columns = [[i for i in initiatives if i.horizon == h] for h in Horizon]
    for row in range(max(len(c) for c in columns)):
        table.add_row(
            *(
                # Escaped: rich would read [brackets] in what people wrote as markup.
                escape(f"{c[row].title} ({_score(c[row])}, {c[row].get_status_display()})")
                if row < len(c)
                else ""
                for c in columns
            )
        )
    Console().print(table)
    if any(i.score_override is not None for i in initiatives):
        print("* score set by hand; `problemspace roadmap --list` shows why.")


def _print_list(initiatives: list[Initiative]) -> None:
    table = Table(expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("initiative", ratio=3)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("horizon", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("why this score", ratio=4)
    for i in initiatives:
        why = i.explanation
        if i.score_override is not None:
            why = f"Set by hand: {i.override_reason} (computed {format_number(i.score)})"
        table.add_row(
            str(i.pk),
            escape(i.title),
            _score(i),
            i.horizon,
            i.status,
            escape(why),
        )
    Console().print(table)


def _as_json(i: Initiative) -> dict[str, Any]:
    return {
        "id": i.pk,
        "title": i.title,
        "horizon": i.horizon,
        "status": i.status,
        "score": i.effective_score,
        "computed_score": i.score,
        "score_override": i.score_override,
        "override_reason": i.override_reason,
        "explanation": i.explanation,
        "impact": i.impact,
        "effort": i.effort,
        "external_url": i.external_url,
        "owner": i.owner.display_name if i.owner else None,
        "problems": [{"id": p.pk, "title": p.title} for p in i.problems.all()],
        "goals": [{"id": g.pk, "objective": g.objective} for g in i.goals.all()],
        "updated_at": i.updated_at.isoformat(),
    }
