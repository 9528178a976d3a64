from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from django.utils import timezone
from rich.console import Console
from rich.table import Table
from rich.text import Text

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.evidence.kinds import KIND_LIST, KindError, correct_kind
from problemspace.evidence.models import Evidence
from problemspace.evidence.queries import (
    Cursor,
    FilterError,
    Page,
    filter_evidence,
    page_after,
    parse_filter,
)
from problemspace.evidence.scores import describe_score

HELP = "list evidence, newest first, with the inbox's filters; correct what an item is"
DESCRIPTION = (
    "List a workspace's evidence newest first, narrowed by the same filters as the web inbox. "
    "A page ends with the --after value that continues with older evidence. --set-kind KIND "
    "--id N corrects what items are (problem, request, question, praise, or other: set aside "
    "as saying nothing), as an editor does in the inbox: synthesis keeps a corrected kind."
)
MAX_LIMIT = 1000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_option(parser)
    parser.add_argument("--channel", help="interview, support, sales_call, survey, review, ...")
    parser.add_argument("--segment", help="only accounts in this segment")
    parser.add_argument("--account", help="one account, by name (or a unique part of it) or id")
    parser.add_argument("--provenance", help="first-hand or relayed")
    parser.add_argument("--kind", help=f"only items of this kind: {KIND_LIST}")
    parser.add_argument("--since", metavar="DATE", help="from this day on (YYYY-MM-DD)")
    parser.add_argument("--until", metavar="DATE", help="up to and including this day")
    parser.add_argument(
        "--text", help="only evidence with these words, in any form (see docs/search.md)"
    )
    parser.add_argument(
        "--limit", type=int, default=50, help=f"how many to show (default: 50, at most {MAX_LIMIT})"
    )
    parser.add_argument("--after", metavar="CURSOR", help="continue after a previous page")
    parser.add_argument(
        "--format", choices=["table", "json"], default="table", help="output (default: table)"
    )
    parser.add_argument(
        "--set-kind",
        metavar="KIND",
        help=f"correct what the items given by --id are ({KIND_LIST}), instead of listing",
    )
    parser.add_argument(
        "--id",
        dest="ids",
        action="append",
        default=[],
        metavar="N",
        help="with --set-kind: an item to correct (repeatable, or comma-separated: --id 12,40)",
    )


def as_json(evidence: Evidence) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "text": evidence.text,
        "occurred_at": evidence.occurred_at.isoformat(),
        "channel": evidence.channel,
        "provenance": evidence.provenance,
        "relayed_by": evidence.relayed_by or None,
        "account": evidence.account.name if evidence.account else None,
        "contact_email": evidence.contact.email if evidence.contact else None,
        "source": evidence.source,
        "external_id": evidence.external_id,
        "tags": [tag.name for tag in evidence.tags.all()],
        "kind": evidence.kind or None,
        "kind_corrected": evidence.kind_corrected,
        "kind_confidence": evidence.kind_confidence,
        "score": evidence.score,
        "score_scale": evidence.score_scale or None,
    }


def _find(args: argparse.Namespace) -> Page:
    if not 1 <= args.limit <= MAX_LIMIT:
        raise UserError(
            f"--limit must be between 1 and {MAX_LIMIT}, not {args.limit}. To take everything "
            "out of a workspace, use `problemspace export`."
        )
    options = {
        "channel": args.channel,
        "segment": args.segment,
        "account": args.account,
        "provenance": args.provenance,
        "kind": args.kind,
        "from": args.since,
        "to": args.until,
        "text": args.text,
    }
    evidence_filter, errors = parse_filter({k: v for k, v in options.items() if v})
    if errors:
        raise UserError(" ".join(errors.values()))
    cursor = None
    if args.after:
        try:
            cursor = Cursor.decode(args.after)
        except ValueError:
            raise UserError(
                f"--after {args.after!r} is not a cursor; copy the value printed at the end of "
                "the previous page."
            ) from None
    workspace = resolve_workspace(args.workspace)
    try:
        return page_after(filter_evidence(workspace, evidence_filter), cursor, args.limit)
    except FilterError as exc:
        raise UserError(str(exc)) from None


def source_cell(evidence: Evidence) -> Text:
    """Who said it, then how it reached us: the customer first, channel and provenance below."""
    who = [evidence.account.name if evidence.account else "", str(evidence.contact or "")]
    provenance = evidence.get_provenance_display()
    if evidence.is_relayed and evidence.relayed_by:
        provenance = f"Relayed by {evidence.relayed_by}"
    cell = Text(" / ".join(part for part in who if part) or "unknown customer")
    cell.append(f"\n{evidence.get_channel_display()}, {provenance}", style="dim")
    what = [
        evidence.get_kind_display() if evidence.kind else "",
        describe_score(evidence.score, evidence.score_scale),
    ]
    if any(what):
        cell.append("\n" + ", ".join(part for part in what if part), style="dim")
    return cell


def _print_table(page: Page) -> None:
    console = Console()
    if not page.items:
        console.print("No evidence matches.")
        return
    table = Table(expand=True, show_lines=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("from", max_width=28)
    # The customer's words get whatever width is left.
    table.add_column("text", ratio=1, min_width=28, overflow="fold")
    local = timezone.get_current_timezone()
    for evidence in page.items:
        text = evidence.text if len(evidence.text) <= 300 else evidence.text[:299] + "…"
        table.add_row(
            Text(str(evidence.pk)),
            Text(f"{evidence.occurred_at.astimezone(local):%Y-%m-%d}"),
            source_cell(evidence),
            # Text(), not str: customer words are data, so "[b]" in a quote prints as typed.
            Text(text),
        )
    console.print(table)


def _ids(values: list[str]) -> list[int]:
    ids: list[int] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part.isdigit() or len(part) > 18:
                raise UserError(f"--id {value!r} is not an evidence id (a whole number, like 42).")
            ids.append(int(part))
    return ids


def _set_kind(args: argparse.Namespace) -> int:
    """Correct the kind of the items named by --id, as a person's decision."""
    listing = ("channel", "segment", "account", "provenance", "kind", "since", "until", "text")
    used = [f"--{name}" for name in (*listing, "after") if getattr(args, name)]
    if used:
        raise UserError(
            f"--set-kind corrects the items given by --id only; leave out {', '.join(used)}"
            " (list the items first, then pass their ids)."
        )
    ids = _ids(args.ids)
    if not ids:
        raise UserError("Say which items to correct with --id N (repeatable, or --id 12,40).")
    workspace = resolve_workspace(args.workspace)
    try:
        print(correct_kind(workspace, ids, args.set_kind))
    except KindError as exc:
        raise UserError(str(exc)) from None
    return 0


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    if args.set_kind is not None:
        return _set_kind(args)
    if args.ids:
        raise UserError("--id names the items --set-kind corrects; add --set-kind KIND.")
    page = _find(args)
    if args.format == "json":
        json.dump([as_json(evidence) for evidence in page.items], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_table(page)
    if page.next_cursor:
        # On stderr, so `--format json > file` stays a clean JSON document.
        print(f"More: add --after {page.next_cursor} for older evidence.", file=sys.stderr)
    return 0
