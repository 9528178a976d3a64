from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.recruiting.campaigns import progress, status_counts
from problemspace.recruiting.invites import signup_url
from problemspace.recruiting.models import Campaign, Candidate, CandidateStatus

HELP = "recruiting campaigns with their counts, or one campaign's candidates"
DESCRIPTION = (
    "Without --campaign: every campaign of the workspace with its sign-up link and how many "
    "candidates are at each status. With --campaign ID: that campaign's candidates, their "
    "segment, status and booking."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_option(parser)
    parser.add_argument(
        "--campaign", type=int, metavar="ID", help="list this campaign's candidates"
    )
    parser.add_argument(
        "--status", choices=CandidateStatus.values, help="only candidates at this status"
    )
    parser.add_argument(
        "--format", choices=["table", "json"], default="table", help="output (default: table)"
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    workspace = resolve_workspace(args.workspace)
    if args.campaign is None:
        if args.status:
            raise UserError("--status filters candidates; give --campaign ID too.")
        return _campaigns(workspace.pk, args.format)
    campaign = Campaign.objects.filter(workspace=workspace, pk=args.campaign).first()
    if campaign is None:
        known = ", ".join(
            str(pk)
            for pk in Campaign.objects.filter(workspace=workspace).values_list("pk", flat=True)
        )
        raise UserError(
            f"There is no campaign {args.campaign} in {workspace.slug}. "
            f"Campaigns: {known or 'none yet'}."
        )
    return _candidates(campaign, args.status, args.format)


def _campaigns(workspace_id: int, output: str) -> int:
    campaigns = list(Campaign.objects.filter(workspace_id=workspace_id))
    counts = status_counts([c.pk for c in campaigns])
    rows: list[dict[str, Any]] = [
        {
            "id": c.pk,
            "name": c.name,
            "open": c.is_open,
            "interview_kind": c.interview_kind,
            "signup_url": signup_url(c),
            "candidates": {s: counts[c.pk].get(s, 0) for s in CandidateStatus.values},
            "quotas": [
                {"segment": q.segment, "quota": q.quota, "filled": q.filled} for q in progress(c)
            ],
        }
        for c in campaigns
    ]
    if output == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No campaigns yet. Make one on the Recruiting page.")
        return 0
    table = Table(expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("campaign", ratio=2)
    table.add_column("open", no_wrap=True)
    table.add_column("candidates", ratio=2)
    table.add_column("quotas", ratio=1)
    for row in rows:
        at_status = ", ".join(
            f"{CandidateStatus(status).label.lower()} {n}"
            for status, n in row["candidates"].items()
            if n
        )
        quotas = ", ".join(f"{q['segment']} {q['filled']}/{q['quota']}" for q in row["quotas"])
        table.add_row(
            str(row["id"]), row["name"], "yes" if row["open"] else "no", at_status or "none", quotas
        )
    Console().print(table)
    for row in rows:
        print(f"#{row['id']} sign-up page: {row['signup_url']}")
    return 0


def _candidates(campaign: Campaign, status: str | None, output: str) -> int:
    candidates = Candidate.objects.filter(campaign=campaign).select_related(
        "contact__account", "booking"
    )
    if status:
        candidates = candidates.filter(status=status)
    rows: list[dict[str, Any]] = [
        {
            "id": c.pk,
            "contact_id": c.contact_id,
            "name": c.contact.name,
            "email": c.contact.email,
            "account": c.contact.account.name if c.contact.account else None,
            "segment": c.segment,
            "status": c.status,
            "source": c.source,
            "booked_for": c.booking.starts_at.isoformat() if c.booking else None,
            "answers": {k: v.get("answer") for k, v in c.answers.items() if isinstance(v, dict)},
        }
        for c in candidates
    ]
    if output == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No candidates yet.")
        return 0
    table = Table(expand=True)
    for name in ("id", "who", "account", "segment", "status", "booked for (UTC)"):
        table.add_column(name)
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["name"] or row["email"] or "",
            row["account"] or "",
            row["segment"],
            CandidateStatus(row["status"]).label,
            (row["booked_for"] or "")[:16].replace("T", " "),
        )
    Console().print(table)
    return 0
