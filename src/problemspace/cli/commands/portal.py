"""`problemspace portal`: the customer portal's posts, waiting for moderation or published."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.portal import notify, queries
from problemspace.portal.models import Post, PostStatus

HELP = "the customer portal's posts: waiting for moderation and published"
DESCRIPTION = (
    "List the posts customers made on the workspace's portal: by default those waiting for "
    "moderation and those published, most voted first within each. JSON adds the body, the "
    "customer and the linked problem. --send-notices emails any portal news a stopped worker "
    "left unsent (for a cron job)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_option(parser)
    parser.add_argument(
        "--status",
        choices=PostStatus.values,
        action="append",
        help="only posts in this status (repeat for several; default: pending and published)",
    )
    parser.add_argument(
        "--format", choices=["table", "json"], default="table", help="output (default: table)"
    )
    parser.add_argument(
        "--send-notices",
        action="store_true",
        help="send the portal emails not sent yet, then list",
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    if args.send_notices:
        sent = notify.send_pending()
        if args.format == "table":
            print(f"Sent {sent} portal notice{'s' if sent != 1 else ''}.")
    workspace = resolve_workspace(args.workspace)
    statuses = args.status or [PostStatus.PENDING, PostStatus.PUBLISHED]
    posts = list(
        queries.posts(workspace)
        .filter(status__in=statuses)
        .order_by("status", "-vote_count", "-id")
    )
    order = {status: i for i, status in enumerate(statuses)}
    posts.sort(key=lambda p: order[p.status])
    if args.format == "json":
        print(json.dumps([_as_json(p) for p in posts], indent=2, ensure_ascii=False))
        return 0
    if not posts:
        print(
            "No such posts. Customers post on the portal page (/p/<workspace>/), once it is "
            "opened in the workspace's portal settings."
        )
        return 0
    table = Table(expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("votes", justify="right", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("title", ratio=4)
    table.add_column("customer", ratio=2)
    for post in posts:
        table.add_row(
            str(post.pk),
            post.status,
            str(post.vote_count),
            post.kind,
            # Escaped: rich would read [brackets] in what customers wrote as markup.
            escape(post.title),
            escape(_customer(post)),
        )
    Console().print(table)
    return 0


def _customer(post: Post) -> str:
    contact = post.contact
    if contact is None:
        return ""
    who = contact.name or contact.email or ""
    return f"{who} ({contact.account.name})" if contact.account else who


def _as_json(post: Post) -> dict[str, Any]:
    contact = post.contact
    return {
        "id": post.pk,
        "status": post.status,
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "votes": post.vote_count,
        "customer": None
        if contact is None
        else {
            "name": contact.name,
            "email": contact.email,
            "account": contact.account.name if contact.account else None,
        },
        "evidence_id": post.evidence_id,
        "problem": {"id": post.problem.pk, "title": post.problem.title} if post.problem else None,
        "merged_into_id": post.merged_into_id,
        "created_at": post.created_at.isoformat(),
    }
