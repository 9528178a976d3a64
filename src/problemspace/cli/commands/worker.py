from __future__ import annotations

import argparse

from django.core.management import call_command

from problemspace.cli.database import migrate_if_needed

HELP = "run background jobs (imports, synthesis) queued by the web app"
DESCRIPTION = (
    "Run the jobs the web app queues: imports and synthesis. `problemspace serve` runs one "
    "worker itself; on PostgreSQL, start more on any machine that reaches the database (and "
    "shares PROBLEMSPACE_HOME/uploads) to share the work. Jobs are claimed once, so workers "
    "never run the same job twice."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--batch", action="store_true", help="run what is queued now, then stop")
    parser.add_argument(
        "--interval",
        type=float,
        default=1.0,
        help="seconds between looks at the queue when it is empty (default: 1)",
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    options: dict[str, object] = {
        "interval": args.interval,
        "reload": False,
        "startup_delay": False,
        "verbosity": 0,
    }
    if args.batch:
        options["batch"] = True
    call_command("db_worker", **options)
    return 0
