from __future__ import annotations

import argparse
import json
import sys
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
from problemspace.problems.search import MODES, Found, SearchResult, search_evidence
from problemspace.workspaces.models import Workspace

HELP = "find evidence by its words and its meaning, best match first"
DESCRIPTION = (
    "Search a workspace's evidence, best match first, by its words and by its meaning together."
    ' By words, all of them must appear, in any form ("exports" finds "exporting"); "quote a'
    ' phrase" for words side by side, - before a word to leave out what has it, OR between words'
    " for either, * after the start of a word for every word that starts so. By meaning, evidence"
    " that says the same in other words is found too (after a first `problemspace synthesize`)."
    " The two rankings are fused into one. See docs/search.md."
)
MAX_LIMIT = 200
_SYNTAX_HINT = 'Search for words, "a phrase", word*, a OR b; put - before a word to leave it out.'


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
        "--by",
        choices=sorted(MODES),
        default="both",
        help="words (as typed), meaning (what synthesis's model reads into them), or both"
        " (default), fused into one ranking",
    )
    parser.add_argument(
        "--format", choices=["table", "json"], default="table", help="output (default: table)"
    )


def find(workspace: Workspace, query: str, limit: int, by: str) -> SearchResult:
    try:
        return search_evidence(workspace, query, limit=limit, mode=by)
    except search.SearchError as exc:
        raise UserError(f"{exc} {_SYNTAX_HINT}") from None


def as_json(result: Found, rank: int, query: str) -> dict[str, Any]:
    evidence = result.evidence
    return {
        "rank": rank,
        "id": evidence.pk,
        "source": evidence.source,
        "external_id": evidence.external_id,
        "matched_by": result.matched_by,
        "keyword_score": result.keyword_score,
        "similarity": None if result.similarity is None else round(result.similarity, 4),
        "occurred_at": evidence.occurred_at.isoformat(),
        "account": evidence.account.name if evidence.account else None,
        "contact_email": evidence.contact.email if evidence.contact else None,
        "channel": evidence.channel,
        "provenance": evidence.provenance,
        "relayed_by": evidence.relayed_by or None,
        "snippet": search.snippet(evidence.text, query),
        "text": evidence.text,
    }


def _print_table(results: list[Found], query: str) -> None:
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
    table.add_column("found by", no_wrap=True)
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
            Text(result.matched_by.replace(" and ", " +\n")),
        )
    console.print(table)


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    if not 1 <= args.limit <= MAX_LIMIT:
        raise UserError(f"--limit must be between 1 and {MAX_LIMIT}, not {args.limit}.")
    workspace = resolve_workspace(args.workspace)
    query = " ".join(args.query)
    found = find(workspace, query, args.limit, args.by)
    results = found.results
    if args.format == "json":
        rows = [as_json(result, n, query) for n, result in enumerate(results, start=1)]
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_table(results, query)
    for note in found.notes:
        print(f"Note: {note}", file=sys.stderr)
    return 0
