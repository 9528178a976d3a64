from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.problems.queries import ranked_problems

HELP = "the ranked customer problems, each score with its explanation"
DESCRIPTION = (
    "List the workspace's customer problems, ranked by how broadly real customers have them, "
    "each with the explanation of its score. JSON includes every problem's evidence ids and "
    "external ids."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_option(parser)
    parser.add_argument("--limit", type=int, default=20, help="how many (default: 20)")
    parser.add_argument(
        "--all", action="store_true", help="include candidates and dismissed problems"
    )
    parser.add_argument(
        "--praise",
        action="store_true",
        help="show what customers value (the groups of praise) instead of the problems",
    )
    parser.add_argument(
        "--format", choices=["table", "json"], default="table", help="output (default: table)"
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    if args.limit < 1:
        raise UserError(f"--limit must be at least 1, not {args.limit}.")
    workspace = resolve_workspace(args.workspace)
    problems = ranked_problems(
        workspace, include_all=args.all, limit=args.limit, praise=args.praise
    )
    if args.format == "json":
        print(json.dumps([_as_json(p) for p in problems], indent=2, ensure_ascii=False))
        return 0
    if not problems:
        if args.praise:
            print("No praise groups yet. Run `problemspace synthesize` first.")
        else:
            print("No problems yet. Run `problemspace synthesize` first.")
        return 0
    table = Table(show_lines=False, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("problem", ratio=3)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("why", ratio=3)
    table.add_column("items", justify="right", no_wrap=True)
    for rank, problem in enumerate(problems, start=1):
        flags = "".join(
            f" [{flag}]"
            for flag, on in (
                ("pinned", problem.pinned),
                ("candidate", problem.candidate),
                ("dismissed", problem.dismissed),
                ("mostly questions", problem.mostly_questions),
            )
            if on
        )
        table.add_row(
            str(rank),
            # Escaped: rich reads "[pinned]" (and brackets in a title) as markup.
            escape(problem.title + flags),
            f"{problem.score:.2f}",
            problem.explanation,
            f"{problem.evidence_count:,}",
        )
    Console().print(table)
    return 0


def _as_json(problem: Any) -> dict[str, Any]:
    details = problem.score_components or {}
    return {
        "id": problem.pk,
        "title": problem.title,
        "status": problem.status,
        "score": round(problem.score, 4),
        "explanation": problem.explanation,
        # Each component between 0 and 1, the figures behind them, and the weights used.
        "components": details.get("components", {}),
        "figures": {k: v for k, v in details.items() if k not in ("components", "value")},
        "keywords": problem.keywords,
        "pinned": problem.pinned,
        "candidate": problem.candidate,
        "dismissed": problem.dismissed,
        "praise": problem.praise,
        # How many of its items are problems, requests, questions, praise or no content.
        "kinds": problem.kind_mix,
        "quotes": problem.quotes,
        "evidence_ids": problem.evidence_ids,
        "external_ids": problem.external_ids,
    }
