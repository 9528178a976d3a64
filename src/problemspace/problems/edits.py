"""The PM's edits to problems. Each is recorded so that later syntheses keep it.

Evidence the PM places (by merging, splitting or moving) is marked `placed_by=PM` and never
moved by synthesis; a renamed title is kept; pinned and dismissed problems keep their evidence.
Each edit ends by refreshing titles, quotes and scores of the workspace's problems: at once
in a workspace of up to INLINE_REFRESH items, in a background job beyond, where reading every
item would keep the PM's request waiting for seconds. Each edit is recorded in the history of
edits, from which it can be undone (problems/history.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from problemspace.integrations import events
from problemspace.jobs.services import start_refresh
from problemspace.problems import history
from problemspace.problems.linking import links_to_problems
from problemspace.problems.models import (
    EditKind,
    PlacedBy,
    Problem,
    ProblemEdit,
    ProblemEvidence,
    Status,
)
from problemspace.problems.search import embedder_for, synthesis_model
from problemspace.problems.services import synthesize_workspace
from problemspace.synthesis.embedding import (
    Embedder,
    Progress,
    SentenceEmbedder,
    can_embed,
    default_embedder,
    default_model_id,
)
from problemspace.synthesis.items import Vectors
from problemspace.workspaces.models import Member, Workspace


class EditError(ValueError):
    """An edit that cannot be done as asked; the message says why."""


# Longer than any title a person would read in a list; the form says so before this does.
MAX_TITLE = 200
MAX_STATEMENT = 4000
# A refresh reads every item: about 0.4 ms an item on the benchmark machine (2 cores;
# bench/synthesis/edits.py), so beyond this an edit would keep its page waiting over a second.
INLINE_REFRESH = 2_000


class CachedFirstEmbedder:
    """The embedder of the workspace's last synthesis, loaded only if a text is not cached.

    The refresh after an edit finds the vectors of placed evidence in the cache; loading the
    sentence model (seconds) for nothing would make every edit from a page slow. The last
    run's model is the one whose vectors are cached.
    """

    dimensions = SentenceEmbedder.dimensions

    def __init__(self, workspace: Workspace) -> None:
        model = synthesis_model(workspace)
        self.model_id: str = model if model and can_embed(model) else default_model_id()
        self._loaded: Embedder | None = None

    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> Vectors:
        if self._loaded is None:
            self._loaded = embedder_for(self.model_id) or default_embedder()[0]
        return self._loaded.embed(texts, progress)


def _large(workspace_id: int) -> bool:
    from problemspace.evidence.models import Evidence

    in_workspace = Evidence.objects.filter(workspace_id=workspace_id)
    return in_workspace[: INLINE_REFRESH + 1].count() > INLINE_REFRESH


def _refresh(problem: Problem, embedder: Embedder | None) -> None:
    if embedder is None and _large(problem.workspace_id):
        start_refresh(problem.workspace_id)
        return
    synthesize_workspace(
        problem.workspace,
        refresh_only=True,
        embedder=embedder or CachedFirstEmbedder(problem.workspace),
    )


def _storable(text: str, what: str) -> str:
    # PostgreSQL cannot store a NUL character in text; SQLite can, so say it everywhere.
    if "\x00" in text:
        raise EditError(f"The {what} contains a NUL character, which cannot be stored; remove it.")
    return text


def rename(problem: Problem, title: str, *, by: Member | None = None) -> None:
    title = " ".join(_storable(title, "title").split())
    if not title:
        raise EditError("A problem needs a title.")
    if len(title) > MAX_TITLE:
        raise EditError(
            f"A title can be at most {MAX_TITLE} characters; this one has {len(title)}."
        )
    if title == problem.title and problem.title_edited:
        return
    with transaction.atomic():
        before = history.snapshot(problem.workspace, [problem], whole=False, refreshed=False)
        summary = f"Renamed “{problem.title}” to “{title}”"
        problem.title = title
        problem.title_edited = True
        problem.updated_at = timezone.now()
        problem.save(update_fields=["title", "title_edited", "updated_at"])
        history.record(problem.workspace, EditKind.RENAME, summary, before, by)


def set_statement(problem: Problem, statement: str) -> None:
    """The PM's own statement of the problem; blank removes it."""
    statement = _storable(statement, "statement").strip()
    if len(statement) > MAX_STATEMENT:
        raise EditError(
            f"A statement can be at most {MAX_STATEMENT:,} characters; this one has "
            f"{len(statement):,}. Keep it to the problem; the evidence says the rest."
        )
    problem.statement = statement
    problem.updated_at = timezone.now()
    problem.save(update_fields=["statement", "updated_at"])


def set_status(problem: Problem, status: str) -> None:
    if status not in Status.values:
        names = ", ".join(Status.values)
        raise EditError(f"There is no status {status!r}; choose one of {names}.")
    before = problem.status
    problem.status = status
    problem.updated_at = timezone.now()
    with transaction.atomic():
        problem.save(update_fields=["status", "updated_at"])
        if before != status:
            _announce_status(problem, before)


def _announce_status(problem: Problem, before: str) -> None:
    slug = Workspace.objects.filter(pk=problem.workspace_id).values_list("slug", flat=True)[0]
    events.emit(
        problem.workspace_id,
        events.PROBLEM_STATUS_CHANGED,
        {
            "problem": {
                "id": problem.pk,
                "title": problem.title,
                "url": events.link("problems:detail", slug, problem.pk),
            },
            "from": before,
            "to": problem.status,
        },
    )


def accept_candidate(problem: Problem) -> None:
    """Make a new-problem candidate a problem of the ranking, as a full synthesis would."""
    problem.candidate = False
    problem.save(update_fields=["candidate"])


def set_pinned(problem: Problem, pinned: bool) -> None:
    problem.pinned = pinned
    problem.save(update_fields=["pinned"])


def set_dismissed(problem: Problem, dismissed: bool) -> None:
    problem.dismissed = dismissed
    problem.save(update_fields=["dismissed"])


def move(
    evidence_ids: Iterable[int],
    target: Problem,
    *,
    embedder: Embedder | None = None,
    by: Member | None = None,
) -> int:
    """Put evidence into `target` for good; returns how many items moved."""
    ids = list(dict.fromkeys(evidence_ids))
    if not ids:
        raise EditError("Choose the evidence to move.")
    from problemspace.evidence.models import Evidence

    found = set(
        Evidence.objects.filter(workspace=target.workspace, pk__in=ids).values_list("pk", flat=True)
    )
    missing = sorted(set(ids) - found)
    if missing:
        shown = ", ".join(f"#{pk}" for pk in missing[:5])
        raise EditError(f"There is no evidence {shown} in this workspace.")
    with transaction.atomic():
        sources = Problem.objects.filter(links__evidence_id__in=ids).exclude(pk=target.pk)
        before = history.snapshot(target.workspace, [target, *sources.distinct()], ids, whole=False)
        ProblemEvidence.objects.filter(evidence_id__in=ids).delete()
        ProblemEvidence.objects.bulk_create(
            [ProblemEvidence(problem=target, evidence_id=pk, placed_by=PlacedBy.PM) for pk in ids]
        )
        if target.candidate:
            target.candidate = False
            target.save(update_fields=["candidate"])
        summary = f"Moved {_items(len(ids))} into “{target.title}”"
        history.record(target.workspace, EditKind.MOVE, summary, before, by)
    _refresh(target, embedder)
    return len(ids)


def merge(
    target: Problem,
    others: Iterable[Problem],
    *,
    embedder: Embedder | None = None,
    by: Member | None = None,
) -> Problem:
    """Fold `others` into `target`: their evidence joins it, and they are deleted."""
    others = [p for p in others if p.pk != target.pk]
    if any(p.workspace_id != target.workspace_id for p in others):
        raise EditError("Problems of different workspaces cannot be merged.")
    if not others:
        raise EditError("Choose at least one other problem to merge into this one.")
    with transaction.atomic():
        before = history.snapshot(target.workspace, [target, *others])
        folded = ProblemEvidence.objects.filter(problem__in=others).count()
        names = ", ".join(f"“{p.title}”" for p in others)
        summary = f"Merged {names} ({_items(folded)}) into “{target.title}”"
        # The target's own evidence is now the PM's decision too: the merged whole stays. One
        # statement writes each row once (two would write the folded rows twice).
        ProblemEvidence.objects.filter(problem__in=[target, *others]).exclude(
            problem=target, placed_by=PlacedBy.PM
        ).update(problem=target, placed_by=PlacedBy.PM)
        repoint_links(others, target)
        Problem.objects.filter(pk__in=[p.pk for p in others]).delete()
        history.record(target.workspace, EditKind.MERGE, summary, before, by)
    _refresh(target, embedder)
    target.refresh_from_db()
    return target


def repoint_links(others: list[Problem], target: Problem) -> None:
    """What pointed at a folded problem points at the one it joins: an initiative's or an
    assumption's link to it, a portal post's. Without this, deleting the folded problem would
    drop those links (cascade) or empty them (set null), losing the PM's work. A link the
    target already has is not doubled."""
    for model, field in links_to_problems():
        for row in model._default_manager.filter(**{f"{field}__in": others}):
            setattr(row, field, target)
            try:
                with transaction.atomic():
                    row.save(update_fields=[field])
            except IntegrityError:  # the same link to the target exists already
                row.delete()


def split(
    problem: Problem,
    evidence_ids: Iterable[int],
    title: str,
    *,
    embedder: Embedder | None = None,
    by: Member | None = None,
) -> Problem:
    """Take some of a problem's evidence into a new problem of its own."""
    ids = set(evidence_ids)
    title = _storable(title, "title")
    own = set(ProblemEvidence.objects.filter(problem=problem).values_list("evidence_id", flat=True))
    if not ids or not ids <= own:
        raise EditError("Choose evidence of this problem to split off.")
    if ids == own:
        raise EditError("Splitting off all of a problem's evidence leaves nothing behind.")
    with transaction.atomic():
        before = history.snapshot(problem.workspace, [problem])
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
        summary = f"Split {_items(len(ids))} off “{problem.title}” into “{new.title}”"
        history.record(problem.workspace, EditKind.SPLIT, summary, before, by, created=[new])
    _refresh(problem, embedder)
    new.refresh_from_db()
    return new


def undo(edit: ProblemEdit, *, by: Member | None = None, embedder: Embedder | None = None) -> None:
    """Take back an edit of the history (the latest not yet undone): history.undo. Where the
    titles and scores could not be put back as they were, or where a refresh may still be
    under way in the background (a large workspace), they are refreshed as after an edit."""
    workspace = edit.workspace
    exact = history.undo(edit, by)
    if exact and not _large(workspace.pk):
        return
    anchor = Problem.objects.filter(workspace=workspace).first()
    if anchor is not None:
        _refresh(anchor, embedder)


def _items(count: int) -> str:
    return f"{count:,} item{'' if count == 1 else 's'}"
