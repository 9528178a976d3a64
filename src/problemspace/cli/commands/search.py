from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from rich.console import Console
from rich.table import Table
from rich.text import Text

from problemspace.cli.commands.evidence import source_cell
from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.evidence import search
from problemspace.evidence.models import Evidence
from problemspace.workspaces.models import Workspace

HELP = "find evidence by its words, best match first"
DESCRIPTION = (
    "Search a workspace's evidence for words, best match first. All the words must appear, in"
    ' any form ("exports" finds "exporting"). "Quote a phrase" for words side by side, put -'
    " before a word to leave out what has it, OR between words for either, and * after the"
    " start of a word for every word that starts so. See docs/search.md."
)
MAX_LIMIT = 200
_SYNTAX_HINT = 'Search for words, "a phrase", word*, a OR b; put - before a word to leave it out.'


@dataclass(frozen=True)
class Result:
    evidence: Evidence
    # How well the words matched (higher is better); None for a result that only meaning found.
    keyword_score: float | None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "query",
        nargs="+",
        help="words to look for, e.g. export slow -netsuite; a phrase keeps its quotes inside"
        """ the shell's, '"month end"'; a query starting with - goes after --""",
    )
    add_workspace_option(parser)
    parser.add_argument(
        "--limit", type=int, default=20, help=f"how many to show (default: 20, at most {MAX_LIMIT})"
    )
    parser.add_argument(
        "--format", choices=["table", "json"], default="table", help="output (default: table)"
    )


def ranked(workspace: Workspace, query: str, limit: int) -> list[tuple[int, float | None]]:
    """The ids to show, best first, each with its keyword score.

    This is where semantic search joins in when it exists: ask it for its ranking of the same
    query too, and combine the two with `search.fuse([keyword_ids, semantic_ids])`, which
    rewards what both rank high. Until then the keyword ranking is the answer.
    """
    try:
        hits = search.keyword_search(workspace, query, limit)
    except search.SearchError as exc:
        raise UserError(f"{exc} {_SYNTAX_HINT}") from None
    return [(hit.evidence_id, hit.score) for hit in hits]


def find(workspace: Workspace, query: str, limit: int) -> list[Result]:
    ranking = ranked(workspace, query, limit)
    rows = Evidence.objects.filter(pk__in=[pk for pk, _ in ranking]).select_related(
        "account", "contact"
    )
    by_id = {evidence.pk: evidence for evidence in rows}
    return [Result(by_id[pk], score) for pk, score in ranking if pk in by_id]


def as_json(result: Result, rank: int, query: str) -> dict[str, Any]:
    evidence = result.evidence
    return {
        "rank": rank,
        "id": evidence.pk,
        "source": evidence.source,
        "external_id": evidence.external_id,
        "score": result.keyword_score,
        "occurred_at": evidence.occurred_at.isoformat(),
        "account": evidence.account.name if evidence.account else None,
        "contact_email": evidence.contact.email if evidence.contact else None,
        "channel": evidence.channel,
        "provenance": evidence.provenance,
        "relayed_by": evidence.relayed_by or None,
        "snippet": search.snippet(evidence.text, query),
        "text": evidence.text,
    }


def _print_table(results: list[Result], query: str) -> None:
    console = Console()
    if not results:
        console.print(Text(f"No evidence matches {query!r}."))
        return
    pattern = search.highlight_pattern(query)
    table = Table(expand=True, show_lines=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("from", max_width=28)
    table.add_column("snippet", ratio=1, min_width=28, overflow="fold")
    local = timezone.get_current_timezone()
    for result in results:
        evidence = result.evidence
        # Text(), not str: customer words are data, so "[b]" in a quote prints as typed.
        words = Text(search.snippet(evidence.text, query))
        if pattern:
            words.highlight_regex(pattern, style="bold")
        table.add_row(
            Text(str(evidence.pk)),
            Text(f"{evidence.occurred_at.astimezone(local):%Y-%m-%d}"),
            source_cell(evidence),
            words,
        )
    console.print(table)


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    if not 1 <= args.limit <= MAX_LIMIT:
        raise UserError(f"--limit must be between 1 and {MAX_LIMIT}, not {args.limit}.")
    workspace = resolve_workspace(args.workspace)
    query = " ".join(args.query)
    results = find(workspace, query, args.limit)
    if args.format == "json":
        rows = [as_json(result, n, query) for n, result in enumerate(results, start=1)]
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_table(results, query)
    return 0
