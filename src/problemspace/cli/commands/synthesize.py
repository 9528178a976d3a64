from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.workspace_option import add_workspace_option, resolve_workspace
from problemspace.problems import services
from problemspace.synthesis.cluster import GRANULARITY
from problemspace.synthesis.embedding import default_embedder

HELP = "group the workspace's evidence into customer problems, ranked and explained"
DESCRIPTION = (
    "Group evidence into customer problems and rank them by how broadly real customers have "
    "them. The first run clusters everything; later runs place only new evidence (or propose "
    "new-problem candidates) and keep your edits. --full re-clusters, still keeping what you "
    "renamed, merged, split, moved, pinned or dismissed."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workspace_option(parser)
    parser.add_argument(
        "--full", action="store_true", help="re-cluster everything not held by your edits"
    )
    parser.add_argument(
        "--granularity",
        choices=list(GRANULARITY),
        help="how finely to cut problems: broad (a few, for a roadmap review), standard, detailed,"
        " fine (narrow, to plan work), or auto (read from the evidence: the level for finding the"
        " intents of many short messages); later runs keep the last one (default: standard)",
    )
    parser.add_argument(
        "--fallback",
        action="store_true",
        help="use the light word-hashing embedder even when the model is installed",
    )


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    workspace = resolve_workspace(args.workspace)
    console = Console(stderr=True)
    embedder, notes = default_embedder(fallback=args.fallback)
    # Before the run, not after it: a synthesis without the model is a different product.
    for note in notes:
        print(f"Note: {note}", file=sys.stdout)
    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    task = bar.add_task("Embedding evidence", total=None)

    def start(total: int) -> None:
        bar.update(task, total=total, completed=0)

    def embedded(done: int) -> None:
        bar.advance(task, done)

    def stage(name: str) -> None:
        bar.update(task, description=name.capitalize())

    hooks = services.Progress(start_embedding=start, embedded=embedded, stage=stage)
    with bar:
        result = services.synthesize_workspace(
            workspace,
            full=args.full,
            granularity=args.granularity,
            embedder=embedder,
            progress=hooks,
        )
    counts = result.counts
    out = sys.stdout
    print(
        f"Synthesized {counts.get('items', 0):,} evidence items of {workspace.name} "
        f"({result.mode}, {result.granularity}, {result.model_id}): "
        f"{counts.get('problems', 0):,} problems, "
        f"{counts.get('candidates', 0):,} new-problem candidates, "
        f"{counts.get('unassigned', 0):,} items in no problem, "
        f"{counts.get('praise', 0):,} groups of praise (problems --praise), "
        f"{counts.get('set_aside', 0):,} items with nothing said set aside "
        "(evidence --kind other); "
        f"{counts.get('embedded', 0):,} texts embedded now, the rest from the cache.",
        file=out,
    )
    for note in result.notes:
        print(f"Note: {note}", file=out)
    print("See the ranking with: problemspace problems", file=out)
    return 0
