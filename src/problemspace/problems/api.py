"""Customer problems over the API: the ranking, one problem with what backs it, and the PM's
edits (rename, status, pin, dismiss, merge, split, move), which later syntheses keep, and the
history of those edits, the latest of which can be undone."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from problemspace.lib.ids import Id
from problemspace.problems import edits, history, queries
from problemspace.problems.models import Problem, ProblemEdit, ProblemEvidence
from problemspace.workspaces.access import get_member, get_problem_for_member
from problemspace.workspaces.models import Member, Role

router = Router()

StatusName = Literal["discovered", "validated", "being_solved", "solved"]
MAX_IDS = 10_000
# Ids are 64-bit in the database; a larger number could only fail there.


class Figures(Schema):
    """The figures behind the score, as of the last synthesis or edit."""

    accounts: int = 0
    contacts: int = 0
    segments: int = 0
    revenue: float = Field(0.0, description="annual recurring revenue of those accounts")
    conversations: int = Field(0, description="distinct conversations; repeats count once")
    items: int = 0
    first_hand_share: float = Field(0.0, description="share of conversations heard first-hand")
    trend: str = Field("", description="rising, steady, falling or new")


class ProblemOut(Schema):
    id: int
    title: str
    statement: str
    status: str
    score: float
    explanation: str = Field(description='why it ranks where it does: "12 accounts, ..."')
    evidence_count: int
    pinned: bool
    dismissed: bool
    candidate: bool = Field(description="a group of new evidence that fits no problem yet")
    praise: bool = Field(description="mostly praise: what customers value, not a problem")
    rank: int | None = Field(description="place in the ranking (1 is first); null if not in it")
    movement: int | None = Field(
        description="places moved since the previous synthesis: positive up, negative down, "
        "null when new or when there is no previous synthesis"
    )
    figures: Figures
    updated_at: datetime


class ProblemPage(Schema):
    count: int
    items: list[ProblemOut]
    next_offset: int | None = Field(description="the offset of the next page; null on the last")


class QuoteOut(Schema):
    id: int
    text: str
    account: str | None
    provenance: str
    occurred_at: datetime


class ExternalId(Schema):
    evidence_id: int
    source: str
    external_id: str


class ProblemDetailOut(ProblemOut):
    keywords: list[str]
    components: dict[str, float] = Field(
        description="each part of the score between 0 and 1 (reach, revenue, spread, trend, "
        "first_hand, strength); a part the workspace has no data for is left out"
    )
    weights: dict[str, Any] = Field(description="how much each component counts")
    quotes: list[QuoteOut] = Field(description="representative quotes, verbatim")
    evidence_ids: list[int]
    external_ids: list[ExternalId] = Field(description="evidence ids in their source systems")


class ProblemFilters(Schema):
    status: StatusName | None = None
    dismissed: bool = Field(False, description="include dismissed problems")
    candidates: bool = Field(False, description="include new-problem candidates")
    praise: bool = Field(False, description="include groups of praise (what customers value)")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**9)


class ProblemPatch(Schema):
    title: str | None = Field(None, max_length=edits.MAX_TITLE)
    statement: str | None = Field(None, max_length=edits.MAX_STATEMENT)
    status: StatusName | None = None
    pinned: bool | None = None
    dismissed: bool | None = None


class MergeIn(Schema):
    # Optional in the schema so that access is checked before the body (a stranger's request
    # gets 404 whatever it sends); the operation answers 422 when it is missing.
    into: Id | None = Field(None, description="required: the problem that takes this one in")


class SplitIn(Schema):
    evidence_ids: list[Id] = Field([], max_length=MAX_IDS)
    title: str = Field("", max_length=edits.MAX_TITLE, description="empty: named by synthesis")


class MoveIn(Schema):
    evidence_ids: list[Id] = Field([], max_length=MAX_IDS)


class MoveOut(Schema):
    moved: int
    problem: ProblemDetailOut


def _summary(
    problem: Problem, ranking: list[int], moved: dict[int, int | None], count: int
) -> dict[str, Any]:
    figures = problem.score_components or {}
    return {
        "id": problem.pk,
        "title": problem.title,
        "statement": problem.statement,
        "status": problem.status,
        "score": problem.score,
        "explanation": problem.explanation,
        "evidence_count": count,
        "pinned": problem.pinned,
        "dismissed": problem.dismissed,
        "candidate": problem.candidate,
        "praise": problem.praise,
        "rank": ranking.index(problem.pk) + 1 if problem.pk in ranking else None,
        "movement": moved.get(problem.pk),
        "figures": {k: v for k, v in figures.items() if k in Figures.model_fields},
        "updated_at": problem.updated_at,
    }


def _detail(member: Member, problem: Problem) -> dict[str, Any]:
    ranking = queries.ranking_ids(member.workspace)
    moved = queries.movement(member.workspace, ranking)
    rows = list(
        ProblemEvidence.objects.filter(problem=problem)
        .order_by("evidence_id")
        .values_list("evidence_id", "evidence__source", "evidence__external_id")
    )
    figures = problem.score_components or {}
    return {
        **_summary(problem, ranking, moved, len(rows)),
        "keywords": problem.keywords,
        "components": figures.get("components", {}),
        "weights": figures.get("weights", {}),
        "quotes": [
            {
                "id": e.pk,
                "text": e.text,
                "account": e.account.name if e.account else None,
                "provenance": e.provenance,
                "occurred_at": e.occurred_at,
            }
            for e in queries.quotes_of(problem)
        ],
        "evidence_ids": [pk for pk, _, _ in rows],
        "external_ids": [
            {"evidence_id": pk, "source": source, "external_id": external}
            for pk, source, external in rows
            if external
        ],
    }


@router.get("/w/{slug}/problems", response=ProblemPage, summary="The ranked customer problems")
def list_problems(
    request: HttpRequest, slug: str, filters: Query[ProblemFilters]
) -> dict[str, Any]:
    """Pinned problems first, then by score; each with the explanation of its score."""
    member = get_member(request, slug)
    f = queries.ListFilter(
        status=filters.status or "",
        dismissed=filters.dismissed,
        candidates=filters.candidates,
        praise=filters.praise,
    )
    problems = queries.list_problems(member.workspace, f)
    count = problems.count()
    chosen = list(problems[filters.offset : filters.offset + filters.limit])
    ranking = queries.ranking_ids(member.workspace)
    moved = queries.movement(member.workspace, ranking)
    counts = queries.evidence_counts(chosen)
    end = filters.offset + len(chosen)
    return {
        "count": count,
        "items": [_summary(p, ranking, moved, counts.get(p.pk, 0)) for p in chosen],
        "next_offset": end if end < count else None,
    }


@router.get(
    "/w/{slug}/problems/{int:pk}",
    response=ProblemDetailOut,
    summary="One problem with its quotes, score components and evidence ids",
)
def get_problem(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    member = get_member(request, slug)
    return _detail(member, get_problem_for_member(member, pk))


@router.patch(
    "/w/{slug}/problems/{int:pk}",
    response=ProblemDetailOut,
    summary="Rename a problem, set its statement or status, pin or dismiss it",
)
def patch_problem(request: HttpRequest, slug: str, pk: int, body: ProblemPatch) -> dict[str, Any]:
    """Change only the fields sent; all or nothing. A later synthesis keeps these choices."""
    member = get_member(request, slug)
    problem = get_problem_for_member(member, pk, write=True)
    try:
        with transaction.atomic():
            if body.title is not None:
                edits.rename(problem, body.title, by=member)
            if body.statement is not None:
                edits.set_statement(problem, body.statement)
            if body.status is not None:
                edits.set_status(problem, body.status)
            if body.pinned is not None:
                edits.set_pinned(problem, body.pinned)
            if body.dismissed is not None:
                edits.set_dismissed(problem, body.dismissed)
    except edits.EditError as exc:
        raise HttpError(422, str(exc)) from None
    problem.refresh_from_db()
    return _detail(member, problem)


def _other(member: Member, pk: int, what: str) -> Problem:
    problem = Problem.objects.filter(workspace_id=member.workspace_id, pk=pk).first()
    if problem is None:
        raise HttpError(422, f"There is no problem {pk} in this workspace to {what}.")
    return problem


@router.post(
    "/w/{slug}/problems/{int:pk}/merge",
    response=ProblemDetailOut,
    summary="Merge this problem into another",
)
def merge_problem(request: HttpRequest, slug: str, pk: int, body: MergeIn) -> dict[str, Any]:
    """This problem's evidence joins `into`, and this problem is deleted; `into` is returned."""
    member = get_member(request, slug)
    problem = get_problem_for_member(member, pk, write=True)
    if body.into is None:
        raise HttpError(422, 'Say which problem to merge into: {"into": <problem id>}.')
    if body.into == problem.pk:
        raise HttpError(422, "A problem cannot be merged into itself; choose another one.")
    target = _other(member, body.into, "merge into")
    try:
        edits.merge(target, [problem], by=member)
    except edits.EditError as exc:
        raise HttpError(422, str(exc)) from None
    return _detail(member, target)


@router.post(
    "/w/{slug}/problems/{int:pk}/split",
    response={201: ProblemDetailOut},
    summary="Split some evidence off into a new problem",
)
def split_problem(request: HttpRequest, slug: str, pk: int, body: SplitIn) -> Status:
    """The evidence (of this problem) becomes a new problem, which is returned."""
    member = get_member(request, slug)
    problem = get_problem_for_member(member, pk, write=True)
    try:
        new = edits.split(problem, body.evidence_ids, body.title, by=member)
    except edits.EditError as exc:
        raise HttpError(422, str(exc)) from None
    return Status(201, _detail(member, new))


@router.post(
    "/w/{slug}/problems/{int:pk}/move",
    response=MoveOut,
    summary="Move evidence into this problem",
)
def move_evidence(request: HttpRequest, slug: str, pk: int, body: MoveIn) -> dict[str, Any]:
    """The evidence (from other problems, or in none yet) joins this problem for good."""
    member = get_member(request, slug)
    problem = get_problem_for_member(member, pk, write=True)
    try:
        moved = edits.move(body.evidence_ids, problem, by=member)
    except edits.EditError as exc:
        raise HttpError(422, str(exc)) from None
    problem.refresh_from_db()
    return {"moved": moved, "problem": _detail(member, problem)}


class ErrorOut(Schema):
    detail: str


class EditOut(Schema):
    id: int
    kind: Literal["merge", "split", "move", "rename"]
    summary: str = Field(description='what happened: "Merged “A” (12 items) into “B”"')
    made_by: str | None = Field(description="the member's email; null if no longer a member")
    made_at: datetime
    undone_at: datetime | None
    undone_by: str | None
    undoable: bool = Field(description="the edit an undo would take back now (the latest)")


def _edit(edit: ProblemEdit, undoable: ProblemEdit | None) -> dict[str, Any]:
    return {
        "id": edit.pk,
        "kind": edit.kind,
        "summary": edit.summary,
        "made_by": edit.made_by.user.email if edit.made_by else None,
        "made_at": edit.made_at,
        "undone_at": edit.undone_at,
        "undone_by": edit.undone_by.user.email if edit.undone_by else None,
        "undoable": undoable is not None and undoable.pk == edit.pk,
    }


@router.get(
    "/w/{slug}/problem-edits",
    response=list[EditOut],
    summary="The history of edits to problems, the latest first",
)
def list_edits(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Merges, splits, moves and renames, the latest 100. Only the latest edit not yet undone
    can be undone (`undoable`), then the one before it."""
    member = get_member(request, slug)
    undoable = history.latest_undoable(member.workspace)
    return [_edit(edit, undoable) for edit in history.history(member.workspace, limit=100)]


@router.post(
    "/w/{slug}/problem-edits/{int:pk}/undo",
    response={200: EditOut, 409: ErrorOut},
    summary="Undo an edit to problems",
)
def undo_edit(request: HttpRequest, slug: str, pk: int) -> Any:
    """Puts back what the edit changed: problems a merge deleted come back with their ids, a
    split's new problem goes. 409 when it cannot be undone (a later edit must be undone first,
    it is too old, or a full synthesis has regrouped everything since), with the reason."""
    member = get_member(request, slug, Role.EDITOR)
    edit = ProblemEdit.objects.filter(workspace=member.workspace, pk=pk).first()
    if edit is None:
        raise HttpError(404, f"There is no edit {pk} in this workspace.")
    try:
        edits.undo(edit, by=member)
    except history.UndoError as exc:
        return Status(409, {"detail": str(exc)})
    edit.refresh_from_db()
    return _edit(edit, history.latest_undoable(member.workspace))
