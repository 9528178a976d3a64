from __future__ import annotations

import argparse

from django.db.models import Count
from rich.console import Console
from rich.table import Table

from problemspace.cli.database import migrate_if_needed
from problemspace.workspaces.models import Workspace

HELP = "list the workspaces"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    table = Table("slug", "name", "members", "created")
    rows = Workspace.objects.annotate(n_members=Count("members")).order_by("slug")
    for workspace in rows:
        table.add_row(
            workspace.slug,
            workspace.name,
            str(workspace.n_members),
            f"{workspace.created_at:%Y-%m-%d}",
        )
    Console().print(table)
    return 0
