from __future__ import annotations

import argparse

from django.conf import settings

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.workspaces.services import WorkspaceError, create_workspace

HELP = "create the database (and a workspace, if named)"
DESCRIPTION = (
    "Create or upgrade the database and, with --workspace, a workspace in it. "
    "The database is a SQLite file in $PROBLEMSPACE_HOME unless DATABASE_URL names another."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", metavar="NAME", help="create a workspace with this name")
    parser.add_argument("--slug", help="its short name in web addresses (default: from NAME)")


def run(args: argparse.Namespace) -> int:
    changed = migrate_if_needed(verbose=False)
    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db['ENGINE']} {db['NAME']}"
    print(f"Database {'created/upgraded' if changed else 'up to date'}: {where}")
    if args.workspace:
        try:
            workspace = create_workspace(args.workspace, args.slug)
        except WorkspaceError as exc:
            raise UserError(str(exc)) from None
        print(f"Workspace {workspace.name!r} created (slug: {workspace.slug}).")
    return 0
