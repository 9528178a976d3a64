from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.integrations import queries, services, tasks
from problemspace.integrations.models import Delivery, Status

HELP = "webhook endpoints and deliveries: list them, retry failed ones, send what is due"
DESCRIPTION = (
    "List the workspace's webhook endpoints (default) or its latest deliveries (--deliveries). "
    "--retry-failed queues every failed delivery again (same delivery id, fresh attempts) for "
    "endpoints that are on; --send-due makes the attempts that are due now, here, for cron or "
    "when the worker was down; --prune DAYS deletes older finished deliveries. Endpoints are "
    "added and changed on the integrations page or through the API."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_option(parser)
    parser.add_argument(
        "--deliveries", action="store_true", help="list the latest deliveries instead"
    )
    parser.add_argument(
        "--status", choices=Status.values, help="with --deliveries: only those with this status"
    )
    parser.add_argument("--limit", type=int, default=20, help="how many deliveries (default 20)")
    parser.add_argument(
        "--retry-failed", action="store_true", help="queue every failed delivery again"
    )
    parser.add_argument(
        "--send-due", action="store_true", help="make the attempts that are due, now"
    )
    parser.add_argument(
        "--prune",
        type=int,
        metavar="DAYS",
        help="delete delivered and failed deliveries older than DAYS days",
    )
    parser.add_argument(
        "--format", choices=["table", "json"], default="table", help="output (default: table)"
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    if args.limit < 1:
        raise UserError(f"--limit must be at least 1, not {args.limit}.")
    workspace = resolve_workspace(args.workspace)
    if args.retry_failed:
        failed = Delivery.objects.filter(workspace=workspace, status=Status.FAILED).select_related(
            "endpoint"
        )
        queued, skipped = services.retry_failed(list(failed))
        print(
            f"Queued {queued} failed deliver{'y' if queued == 1 else 'ies'} again"
            + (f"; {skipped} skipped because their endpoint is off." if skipped else ".")
        )
        return 0
    if args.prune is not None:
        try:
            deleted = services.prune(workspace.pk, args.prune)
        except services.IntegrationError as exc:
            raise UserError(str(exc)) from None
        print(f"Deleted {deleted} deliver{'y' if deleted == 1 else 'ies'}.")
        return 0
    if args.send_due:
        tried = tasks.send_due(workspace_id=workspace.pk)
        print(f"Made {tried} due attempt{'' if tried == 1 else 's'}.")
        return 0
    if args.deliveries:
        page = queries.delivery_page(workspace.pk, size=args.limit, status=args.status or "")
        _print_deliveries(page.rows, args.format)
    else:
        _print_endpoints(queries.endpoints(workspace.pk), args.format)
    return 0


def _print_endpoints(endpoints: list[Any], fmt: str) -> None:
    if fmt == "json":
        rows = [
            {
                "id": e.pk,
                "name": e.name,
                "url": e.url,
                "kind": e.kind,
                "events": e.events,
                "active": e.active,
                "disabled_reason": e.disabled_reason,
                "last_status": e.last_status,
            }
            for e in endpoints
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not endpoints:
        print("No webhook endpoints. Add one on the workspace's integrations page.")
        return
    table = Table(expand=True)
    for column in ("id", "name", "url", "events", "state", "last delivery"):
        table.add_column(column, overflow="fold")
    for e in endpoints:
        state = "on" if e.active else "off" + (" (auto)" if e.disabled_reason else "")
        last = f"{e.last_status} {e.last_at:%Y-%m-%d %H:%M}" if e.last_at else "-"
        table.add_row(str(e.pk), e.name, e.url, ", ".join(e.events), state, last)
    Console().print(table)


def _print_deliveries(deliveries: list[Delivery], fmt: str) -> None:
    if fmt == "json":
        rows = [
            {
                "id": d.pk,
                "uid": str(d.uid),
                "endpoint": d.endpoint.name,
                "event": d.event,
                "status": d.status,
                "attempts": d.attempts,
                "response_code": d.response_code,
                "error": d.error,
                "created_at": d.created_at.isoformat(),
            }
            for d in deliveries
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not deliveries:
        print("No deliveries.")
        return
    table = Table(expand=True)
    for column in ("id", "created", "event", "endpoint", "status", "tries", "answer"):
        table.add_column(column, overflow="fold")
    for d in deliveries:
        answer = f"HTTP {d.response_code}" if d.response_code else d.error
        table.add_row(
            str(d.pk),
            f"{d.created_at:%Y-%m-%d %H:%M:%S}",
            d.event,
            d.endpoint.name,
            d.status,
            str(d.attempts),
            answer,
        )
    Console().print(table)
