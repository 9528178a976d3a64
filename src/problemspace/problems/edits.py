"""The PM's edits to problems. Each is recorded so that later syntheses keep it.

Evidence the PM places (by merging, splitting or moving) is marked `placed_by=PM` and never
moved by synthesis; a renamed title is kept; pinned and dismissed problems keep their evidence.
Each edit ends by refreshing titles, quotes and scores of the workspace's problems.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from problemspace.problems.models import PlacedBy, Problem, ProblemEvidence
from problemspace.problems.services import synthesize_workspace
from problemspace.synthesis.embedding import Embedder


class EditError(ValueError):
    """An edit that cannot be done as asked; the message says why."""


def _refresh(problem: Problem, embedder: Embedder | None) -> None:
    synthesize_workspace(problem.workspace, refresh_only=True, embedder=embedder)


def rename(problem: Problem, title: str) -> None:
    title = " ".join(title.split())
    if not title:
        raise EditError("A problem needs a title.")
    problem.title = title[:200]
    problem.title_edited = True
    problem.updated_at = timezone.now()
    problem.save(update_fields=["title", "title_edited", "updated_at"])


def set_pinned(problem: Problem, pinned: bool) -> None:
    problem.pinned = pinned
    problem.save(update_fields=["pinned"])


def set_dismissed(problem: Problem, dismissed: bool) -> None:
    problem.dismissed = dismissed
    problem.save(update_fields=["dismissed"])


def move(evidence_ids: Iterable[int], target: Problem, *, embedder: Embedder | None = None) -> int:
    """Put evidence into `target` for good; returns how many items moved."""
    ids = list(evidence_ids)
    from problemspace.evidence.models import Evidence

    found = set(
        Evidence.objects.filter(workspace=target.workspace, pk__in=ids).values_list("pk", flat=True)
    )
    missing = sorted(set(ids) - found)
    if missing:
        raise EditError(f"No evidence {missing[:5]} in this workspace.")
    with transaction.atomic():
        ProblemEvidence.objects.filter(evidence_id__in=ids).delete()
        ProblemEvidence.objects.bulk_create(
            [ProblemEvidence(problem=target, evidence_id=pk, placed_by=PlacedBy.PM) for pk in ids]
        )
        if target.candidate:
            target.candidate = False
            target.save(update_fields=["candidate"])
    _refresh(target, embedder)
    return len(ids)


def merge(
    target: Problem, others: Iterable[Problem], *, embedder: Embedder | None = None
) -> Problem:
    """Fold `others` into `target`: their evidence joins it, and they are deleted."""
    others = [p for p in others if p.pk != target.pk]
    if any(p.workspace_id != target.workspace_id for p in others):
        raise EditError("Problems of different workspaces cannot be merged.")
    if not others:
        raise EditError("Choose at least one other problem to merge into this one.")
    with transaction.atomic():
        ProblemEvidence.objects.filter(problem__in=others).update(
            problem=target, placed_by=PlacedBy.PM
        )
        # The target's own evidence is now the PM's decision too: the merged whole stays.
        ProblemEvidence.objects.filter(problem=target).update(placed_by=PlacedBy.PM)
        Problem.objects.filter(pk__in=[p.pk for p in others]).delete()
    _refresh(target, embedder)
    target.refresh_from_db()
    return target


def split(
    problem: Problem,
    evidence_ids: Iterable[int],
    title: str,
    *,
    embedder: Embedder | None = None,
) -> Problem:
    """Take some of a problem's evidence into a new problem of its own."""
    ids = set(evidence_ids)
    own = set(ProblemEvidence.objects.filter(problem=problem).values_list("evidence_id", flat=True))
    if not ids or not ids <= own:
        raise EditError("Choose evidence of this problem to split off.")
    if ids == own:
        raise EditError("Splitting off all of a problem's evidence leaves nothing behind.")
    with transaction.atomic():
        now = timezone.now()
        new = Problem.objects.create(
            workspace=problem.workspace,
            title=" ".join(title.split())[:200] or "(untitled problem)",
            title_edited=bool(title.strip()),
            created_at=now,
            updated_at=now,
        )
        ProblemEvidence.objects.filter(evidence_id__in=ids).update(
            problem=new, placed_by=PlacedBy.PM
        )
        ProblemEvidence.objects.filter(problem=problem).update(placed_by=PlacedBy.PM)
    _refresh(problem, embedder)
    new.refresh_from_db()
    return new
