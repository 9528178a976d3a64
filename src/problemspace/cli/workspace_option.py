"""The --workspace option shared by commands that work inside one workspace."""

from __future__ import annotations

import argparse
import os

from problemspace.cli.errors import UserError
from problemspace.workspaces.models import Workspace


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-w",
        "--workspace",
        metavar="SLUG",
        default=os.environ.get("PROBLEMSPACE_WORKSPACE"),
        help="workspace to work in (default: $PROBLEMSPACE_WORKSPACE, or the only one there is)",
    )


def resolve_workspace(slug: str | None) -> Workspace:
    if slug:
        try:
            return Workspace.objects.get(slug=slug)
        except Workspace.DoesNotExist:
            known = ", ".join(Workspace.objects.values_list("slug", flat=True)) or "none yet"
            raise UserError(
                f"There is no workspace {slug!r}. Workspaces: {known}. "
                "Create one with `problemspace init --workspace NAME`."
            ) from None
    workspaces = list(Workspace.objects.all()[:2])
    if not workspaces:
        raise UserError(
            "There is no workspace yet. Create one with `problemspace init --workspace NAME`, "
            "or build the demo with `problemspace demo`."
        )
    if len(workspaces) > 1:
        known = ", ".join(Workspace.objects.values_list("slug", flat=True))
        raise UserError(f"There are several workspaces ({known}); choose one with --workspace.")
    return workspaces[0]
