from __future__ import annotations

import argparse

from problemspace.booking.reminders import send_due_reminders
from problemspace.cli.database import migrate_if_needed

HELP = "send the booking reminders that are due (for cron; each is sent once)"
DESCRIPTION = (
    "Email a reminder to everyone whose booking starts within a day and who was not reminded "
    "yet. The job worker sends them on time by itself; run this from cron as well if the "
    "worker may be down. Running it twice, or beside the worker, sends nothing twice."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="print nothing")


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    sent = send_due_reminders()
    if not args.quiet:
        print(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
    return 0
