"""Bring the database up to date before a command touches it."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def migrate_if_needed(verbose: bool = False) -> bool:
    """Apply pending migrations; True when there were any.

    Commands call this so that a newcomer never has to know Django's `migrate` exists, and an
    upgrade of the package upgrades the database on the next command.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return False
    out = None if verbose else StringIO()
    call_command("migrate", interactive=False, verbosity=1 if verbose else 0, stdout=out)
    return True
