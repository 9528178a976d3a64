"""`problemspace brief`: a brief for an audience and period as PDF, Markdown or HTML; or, with
--send-due, the scheduled briefs that are due (for cron)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from problemspace.briefs import render, sending, services
from problemspace.briefs.compose import compose
from problemspace.briefs.period import PeriodError, parse
from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace

HELP = "a brief for executives, engineering, sales or the company, as PDF, Markdown or HTML"
DESCRIPTION = (
    "Make a brief of the workspace for one audience over a period: the top customer problems "
    "and how they moved, in customers' own words, assumptions validated or killed, roadmap "
    "moves and their reasons, and hours spent with customers. Every line links to the page "
    "behind it (PROBLEMSPACE_SITE_URL). A PDF goes to -o FILE, or to standard output when that "
    "is not a terminal. --save also keeps it on the workspace's Briefs page. --send-due sends "
    "the scheduled briefs that are due, in every workspace; run it from cron if the worker may "
    "be down (nothing is sent twice)."
)
FORMATS = ["pdf", "md", "html"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_option(parser)
    parser.add_argument(
        "--audience",
        metavar="AUDIENCE",
        help="executives (or exec), engineering, sales, or company",
    )
    parser.add_argument(
        "--period",
        default="30d",
        help="the last N days (30d), weeks (4w), or two dates 2026-11-01..2026-11-30 "
        "(default: 30d)",
    )
    parser.add_argument("--format", choices=FORMATS, default="md", help="output (default: md)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE")
    parser.add_argument(
        "--save", action="store_true", help="also keep it on the workspace's Briefs page"
    )
    parser.add_argument(
        "--send-due", action="store_true", help="send the scheduled briefs that are due, then stop"
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    if args.send_due:
        return _send_due()
    if not args.audience:
        raise UserError(
            "Choose the audience with --audience: executives, engineering, sales or company."
        )
    try:
        audience = services.audience_of(args.audience)
        period = parse(args.period)
    except (services.BriefError, PeriodError) as exc:
        raise UserError(str(exc)) from None
    workspace = resolve_workspace(args.workspace)
    if args.save:
        content = services.generate(workspace, audience, period).content
    else:
        content = compose(workspace, audience, period)
    try:
        output = _render(content, args.format)
    except render.RenderError as exc:
        raise UserError(str(exc)) from None
    _write(output, args, render.filename(content, args.format))
    return 0


def _render(content: dict[str, Any], fmt: str) -> bytes:
    if fmt == "pdf":
        return render.pdf(content)
    if fmt == "html":
        return render.document_html(content).encode()
    return render.markdown(content).encode()


def _write(output: bytes, args: argparse.Namespace, default_name: str) -> None:
    if args.output and args.output != "-":
        path = Path(args.output)
        try:
            path.write_bytes(output)
        except OSError as exc:
            raise UserError(f"Could not write {path}: {exc.strerror or exc}.") from None
        print(f"Wrote the brief to {path}.", file=sys.stderr)
        return
    if args.format != "pdf":
        sys.stdout.write(output.decode())
        return
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None or (sys.stdout.isatty() and args.output != "-"):
        # A PDF on a terminal is noise (and a text-only stream cannot take it): keep it in a
        # file named after the brief instead.
        path = Path(default_name)
        try:
            path.write_bytes(output)
        except OSError as exc:
            raise UserError(f"Could not write {path}: {exc.strerror or exc}.") from None
        print(f"Wrote the brief to {path} (use -o FILE to choose the name).", file=sys.stderr)
        return
    binary.write(output)
    binary.flush()


def _send_due() -> int:
    sent = sending.send_due()
    for record in sent:
        what = f"{record.schedule.get_audience_display()} brief of {record.workspace.name}"
        if record.status == "sent":
            print(f"Sent the {what} to {len(record.recipients)} recipient(s).")
        else:
            print(f"Could not send the {what}: {record.error}")
    if not sent:
        print("No scheduled brief is due.")
    return 0 if all(r.status == "sent" for r in sent) else 1
