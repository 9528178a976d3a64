from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.interviews import exposure

HELP = "each member's hours with customers in the last six weeks"
DESCRIPTION = (
    "Show each member's hours in held customer interviews over the rolling six weeks, against "
    "the rule of thumb of two hours every six weeks. With --nudge, email the members who asked "
    "for a nudge and are under it (at most once a week each); run it daily from cron."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_option(parser)
    parser.add_argument(
        "--nudge",
        action="store_true",
        help="email the opted-in members who are under two hours",
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    workspace = resolve_workspace(args.workspace)
    team = exposure.team_exposure(workspace)
    table = Table(
        title=f"Hours with customers, {team.since:%d %b} to {team.until:%d %b %Y}", expand=True
    )
    table.add_column("member", ratio=2)
    table.add_column("role", no_wrap=True)
    table.add_column("interviews", justify="right", no_wrap=True)
    table.add_column("hours", justify="right", no_wrap=True)
    table.add_column(f"under {team.target_hours} h", no_wrap=True)
    table.add_column("nudge", no_wrap=True)
    for row in team.members:
        table.add_row(
            row.member.display_name,
            row.member.role,
            str(row.interviews),
            f"{row.hours:.1f}",
            "yes" if row.under_target else "",
            "on" if row.nudge else "",
        )
    Console().print(table)
    if args.nudge:
        report = exposure.send_nudges(workspace)
        print(
            f"Nudged {len(report.sent)} member(s)"
            + (
                f"; {report.skipped_recent} nudged in the past week"
                if report.skipped_recent
                else ""
            )
            + "."
        )
        if report.failed:
            names = ", ".join(m.display_name for m in report.failed)
            print(f"Could not email: {names} (see the server log; they will be tried next time).")
            return 1
    return 0
