"""Goals and the roadmap over the API: goals with their key results (list, create, read,
change), initiatives (list by score with filters, create, read, change, move), and the moves of
a period with their reasons.

Everyone in the workspace reads; editors and owners write. Rules broken answer 422 with a
sentence saying what to do; nothing is half-written.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from problemspace.lib.ids import Id
from problemspace.roadmap import queries, services
from problemspace.roadmap.access import (
    check_write,
    get_goal_for_member,
    get_initiative_for_member,
)
from problemspace.roadmap.models import (
    MAX_REASON,
    MAX_TEXT,
    MAX_TITLE,
    Goal,
    Initiative,
    KeyResult,
    Move,
)
from problemspace.roadmap.scoring import EvidenceFigures, confidence, progress
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member

router = Router()

GoalStatusName = Literal["draft", "active", "achieved", "missed", "dropped"]
HorizonName = Literal["now", "next", "later"]
StatusName = Literal["proposed", "planned", "in_progress", "shipped", "dropped"]
MAX_IDS = services.MAX_LINKS


class PersonOut(Schema):
    member_id: int
    name: str


class KeyResultIn(Schema):
    metric: str = Field("", max_length=MAX_TITLE, description="required: what is measured")
    unit: str = Field("", max_length=24)
    baseline: float | None = Field(None, description="required")
    target: float | None = Field(None, description="required; below the baseline to go down")
    current: float | None = Field(None, description="the latest value; the baseline if left out")
    due_on: date | None = None


class KeyResultOut(Schema):
    id: int
    metric: str
    unit: str
    baseline: float
    target: float
    current: float
    due_on: date | None
    progress: float = Field(description="(current - baseline) / (target - baseline), 0 to 1")
    direction: str = Field(description="up, down (target below baseline) or hold")


class GoalOut(Schema):
    id: int
    objective: str
    description: str
    owner: PersonOut | None
    period: str
    due_on: date | None
    status: str
    measurable: bool = Field(description="false while it has no key results")
    key_results: list[KeyResultOut]
    initiative_ids: list[int] = Field(description="the initiatives serving it, not dropped")
    created_at: datetime
    updated_at: datetime


class GoalIn(Schema):
    objective: str = Field("", max_length=MAX_TITLE, description="required")
    description: str = Field("", max_length=MAX_TEXT)
    owner_id: Id | None = Field(None, description="a member of the workspace")
    period: str = Field("", max_length=40, description="such as Q1 2027")
    due_on: date | None = None
    status: GoalStatusName = Field(
        "draft", description="active, achieved and missed need at least one key result"
    )
    key_results: list[KeyResultIn] = Field([], max_length=services.MAX_KEY_RESULTS)


class GoalPatch(Schema):
    objective: str | None = Field(None, max_length=MAX_TITLE)
    description: str | None = Field(None, max_length=MAX_TEXT)
    owner_id: Id | None = Field(None, description="a member; null leaves it without an owner")
    period: str | None = Field(None, max_length=40)
    due_on: date | None = None
    status: GoalStatusName | None = None
    key_results: list[KeyResultIn] | None = Field(
        None, max_length=services.MAX_KEY_RESULTS, description="replaces all its key results"
    )


class ScoreOut(Schema):
    value: float = Field(description="the score the roadmap ranks by: the override if set")
    computed: float = Field(description="reach * impact * confidence / effort")
    override: float | None
    override_reason: str
    reach: int = Field(description="customers with evidence in the linked problems, in window")
    impact: float
    confidence: float = Field(description="1.0, 0.8 or 0.5 (RICE's high, medium, low)")
    effort: float = Field(description="person-weeks")
    explanation: str
    window_days: int
    scored_at: datetime | None


class InitiativeOut(Schema):
    id: int
    title: str
    description: str
    horizon: str
    status: str
    score: ScoreOut
    problem_ids: list[int]
    goal_ids: list[int]
    evidence_ids: list[int]
    external_url: str
    owner: PersonOut | None
    created_at: datetime
    updated_at: datetime


class MoveOut(Schema):
    initiative_id: int
    initiative_title: str
    from_horizon: str | None = Field(description="null when it was added to the roadmap")
    to_horizon: str
    from_status: str | None
    to_status: str
    reason: str
    moved_by: PersonOut | None
    moved_at: datetime


class InitiativeDetailOut(InitiativeOut):
    history: list[MoveOut]


class InitiativePage(Schema):
    count: int
    items: list[InitiativeOut]
    next_offset: int | None = Field(description="the offset of the next page; null on the last")


class InitiativeFilters(Schema):
    horizon: HorizonName | None = None
    status: StatusName | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**9)


# Fields are optional in the schemas so that access is checked before the body (a stranger
# gets 404 whatever it sends); the service answers 422 for what is missing.
class InitiativeIn(Schema):
    title: str = Field("", max_length=MAX_TITLE, description="required")
    description: str = Field("", max_length=MAX_TEXT)
    horizon: HorizonName = "later"
    status: StatusName = "proposed"
    reason: str = Field("", max_length=MAX_REASON, description="why it goes on the roadmap")
    problem_ids: list[Id] = Field([], max_length=MAX_IDS, description="the problems it solves")
    goal_ids: list[Id] = Field([], max_length=MAX_IDS, description="the goals it serves")
    evidence_ids: list[Id] = Field([], max_length=MAX_IDS, description="quotes it cites")
    impact: float = Field(1.0, description="RICE's scale: 0.25, 0.5, 1, 2 or 3")
    effort: float = Field(1.0, description="person-weeks, more than 0")
    external_url: str = Field("", max_length=2000)
    owner_id: Id | None = None
    score_override: float | None = Field(None, description="needs override_reason")
    override_reason: str = Field("", max_length=MAX_REASON)


class InitiativePatch(Schema):
    title: str | None = Field(None, max_length=MAX_TITLE)
    description: str | None = Field(None, max_length=MAX_TEXT)
    problem_ids: list[Id] | None = Field(None, max_length=MAX_IDS)
    goal_ids: list[Id] | None = Field(None, max_length=MAX_IDS)
    evidence_ids: list[Id] | None = Field(None, max_length=MAX_IDS)
    impact: float | None = None
    effort: float | None = None
    external_url: str | None = Field(None, max_length=2000)
    owner_id: Id | None = Field(None, description="a member; null leaves it without an owner")
    score_override: float | None = Field(
        None, description="needs override_reason; null clears the override"
    )
    override_reason: str | None = Field(None, max_length=MAX_REASON)


class MoveIn(Schema):
    horizon: HorizonName | None = Field(None, description="the new horizon (or keep it)")
    status: StatusName | None = Field(None, description="the new status (or keep it)")
    reason: str = Field("", max_length=MAX_REASON, description="kept in its history")


class MoveFilters(Schema):
    # Optional in the schema so that access is checked first; both are required.
    since: datetime | None = Field(None, description="required: from this moment on")
    until: datetime | None = Field(None, description="required: up to, not including, this")


def _person(member: Member | None) -> dict[str, Any] | None:
    return None if member is None else {"member_id": member.pk, "name": member.display_name}


def _key_result(kr: KeyResult) -> dict[str, Any]:
    done = progress(kr.baseline, kr.target, kr.current)
    return {
        "id": kr.pk,
        "metric": kr.metric,
        "unit": kr.unit,
        "baseline": kr.baseline,
        "target": kr.target,
        "current": kr.current,
        "due_on": kr.due_on,
        "progress": round(done.share, 4),
        "direction": done.direction,
    }


def _goal(row: queries.GoalRow) -> dict[str, Any]:
    goal = row.goal
    return {
        "id": goal.pk,
        "objective": goal.objective,
        "description": goal.description,
        "owner": _person(goal.owner),
        "period": goal.period,
        "due_on": goal.due_on,
        "status": goal.status,
        "measurable": row.measurable,
        "key_results": [_key_result(r.key_result) for r in row.key_results],
        "initiative_ids": [i.pk for i in row.initiatives],
        "created_at": goal.created_at,
        "updated_at": goal.updated_at,
    }


def _one_goal(member: Member, goal: Goal) -> dict[str, Any]:
    return _goal(queries.goals_with_initiatives(member.workspace, pk=goal.pk)[0])


def _score(i: Initiative) -> dict[str, Any]:
    counted = EvidenceFigures.from_dict(i.figures or {})
    return {
        "value": i.effective_score,
        "computed": i.score,
        "override": i.score_override,
        "override_reason": i.override_reason,
        "reach": counted.reach,
        "impact": i.impact,
        "confidence": confidence(counted).level,
        "effort": i.effort,
        "explanation": i.explanation,
        "window_days": counted.window_days,
        "scored_at": i.scored_at,
    }


def _initiative(i: Initiative) -> dict[str, Any]:
    return {
        "id": i.pk,
        "title": i.title,
        "description": i.description,
        "horizon": i.horizon,
        "status": i.status,
        "score": _score(i),
        # Prefetched by the list; read from the database for one.
        "problem_ids": sorted(p.pk for p in i.problems.all()),
        "goal_ids": sorted(g.pk for g in i.goals.all()),
        "evidence_ids": sorted(e.pk for e in i.evidence.all()),
        "external_url": i.external_url,
        "owner": _person(i.owner),
        "created_at": i.created_at,
        "updated_at": i.updated_at,
    }


def _move(m: Move) -> dict[str, Any]:
    return {
        "initiative_id": m.initiative_id,
        "initiative_title": m.initiative.title,
        "from_horizon": m.from_horizon or None,
        "to_horizon": m.to_horizon,
        "from_status": m.from_status or None,
        "to_status": m.to_status,
        "reason": m.reason,
        "moved_by": _person(m.moved_by),
        "moved_at": m.moved_at,
    }


def _detail(i: Initiative) -> dict[str, Any]:
    moves = i.moves.select_related("moved_by__user", "initiative").order_by("moved_at", "id")
    return {**_initiative(i), "history": [_move(m) for m in moves]}


def _unprocessable(exc: services.RoadmapError) -> HttpError:
    where = f"{exc.field}: " if exc.field else ""
    return HttpError(422, f"{where}{exc}")


def _owner_change(changes: dict[str, Any]) -> None:
    if "owner_id" in changes:
        changes["owner"] = changes.pop("owner_id") or None


def _key_results(rows: list[KeyResultIn]) -> list[dict[str, Any]]:
    return [row.model_dump() for row in rows]


@router.get("/w/{slug}/goals", response=list[GoalOut], summary="The goals, with key results")
def list_goals(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """By the date they are judged on; each with its key results' progress and the
    initiatives serving it (an empty initiative_ids: a goal nothing serves)."""
    member = get_member(request, slug)
    return [_goal(row) for row in queries.goals_with_initiatives(member.workspace)]


@router.post("/w/{slug}/goals", response={201: GoalOut}, summary="Add a goal")
def create_goal(request: HttpRequest, slug: str, body: GoalIn) -> Status:
    member = get_member(request, slug)
    check_write(member)
    try:
        goal = services.create_goal(
            member,
            objective=body.objective,
            description=body.description,
            owner=body.owner_id,
            period=body.period,
            due_on=body.due_on,
            status=body.status,
            key_results=_key_results(body.key_results),
        )
    except services.RoadmapError as exc:
        raise _unprocessable(exc) from None
    return Status(201, _one_goal(member, goal))


@router.get("/w/{slug}/goals/{int:pk}", response=GoalOut, summary="One goal")
def get_goal(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    member = get_member(request, slug)
    return _one_goal(member, get_goal_for_member(member, pk))


@router.patch(
    "/w/{slug}/goals/{int:pk}",
    response=GoalOut,
    summary="Change a goal: its text, owner, period, status or key results",
)
def patch_goal(request: HttpRequest, slug: str, pk: int, body: GoalPatch) -> dict[str, Any]:
    """Only the fields sent change; key_results, when sent, replaces them all."""
    member = get_member(request, slug)
    goal = get_goal_for_member(member, pk, write=True)
    changes: dict[str, Any] = {
        name: value
        for name, value in body.model_dump(exclude_unset=True).items()
        if value is not None or name in ("owner_id", "due_on")
    }
    _owner_change(changes)
    if body.key_results is not None:
        changes["key_results"] = _key_results(body.key_results)
    try:
        services.update_goal(member, goal, changes)
    except services.RoadmapError as exc:
        raise _unprocessable(exc) from None
    return _one_goal(member, goal)


@router.get(
    "/w/{slug}/initiatives",
    response=InitiativePage,
    summary="The roadmap's initiatives, highest score first",
)
def list_initiatives(
    request: HttpRequest, slug: str, filters: Query[InitiativeFilters]
) -> dict[str, Any]:
    """A score set by hand ranks instead of the computed one; filter by horizon and status."""
    member = get_member(request, slug)
    rows = queries.ranked(
        member.workspace, horizon=filters.horizon or "", status=filters.status or ""
    ).prefetch_related("evidence")
    count = rows.count()
    chosen = list(rows[filters.offset : filters.offset + filters.limit])
    end = filters.offset + len(chosen)
    return {
        "count": count,
        "items": [_initiative(i) for i in chosen],
        "next_offset": end if end < count else None,
    }


@router.post(
    "/w/{slug}/initiatives", response={201: InitiativeDetailOut}, summary="Add an initiative"
)
def create_initiative(request: HttpRequest, slug: str, body: InitiativeIn) -> Status:
    member = get_member(request, slug)
    check_write(member)
    values = body.model_dump()
    values["owner"] = values.pop("owner_id")
    try:
        initiative = services.create_initiative(member, **values)
    except services.RoadmapError as exc:
        raise _unprocessable(exc) from None
    return Status(201, _detail(get_initiative_for_member(member, initiative.pk)))


@router.get(
    "/w/{slug}/initiatives/{int:pk}",
    response=InitiativeDetailOut,
    summary="One initiative with its score's explanation and its history",
)
def get_initiative(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    member = get_member(request, slug)
    return _detail(get_initiative_for_member(member, pk))


@router.patch(
    "/w/{slug}/initiatives/{int:pk}",
    response=InitiativeDetailOut,
    summary="Change an initiative (horizon and status change by a move)",
)
def patch_initiative(
    request: HttpRequest, slug: str, pk: int, body: InitiativePatch
) -> dict[str, Any]:
    """Only the fields sent change; all or nothing. The score is counted again."""
    member = get_member(request, slug)
    initiative = get_initiative_for_member(member, pk, write=True)
    changes: dict[str, Any] = {
        name: value
        for name, value in body.model_dump(exclude_unset=True).items()
        if value is not None or name in ("owner_id", "score_override")
    }
    _owner_change(changes)
    try:
        services.update_initiative(member, initiative, changes)
    except services.RoadmapError as exc:
        raise _unprocessable(exc) from None
    return _detail(get_initiative_for_member(member, pk))


@router.post(
    "/w/{slug}/initiatives/{int:pk}/move",
    response=InitiativeDetailOut,
    summary="Move an initiative to another horizon or status, with the reason",
)
def move_initiative(request: HttpRequest, slug: str, pk: int, body: MoveIn) -> dict[str, Any]:
    member = get_member(request, slug)
    initiative = get_initiative_for_member(member, pk, write=True)
    try:
        services.move(
            member, initiative, horizon=body.horizon, status=body.status, reason=body.reason
        )
    except services.RoadmapError as exc:
        raise _unprocessable(exc) from None
    return _detail(get_initiative_for_member(member, pk))


@router.get(
    "/w/{slug}/roadmap-moves",
    response=list[MoveOut],
    summary="The roadmap's moves in a period, with their reasons",
)
def roadmap_moves(
    request: HttpRequest, slug: str, filters: Query[MoveFilters]
) -> list[dict[str, Any]]:
    """Moves with since <= moved_at < until, oldest first; arrivals on the roadmap have null
    from_horizon and from_status."""
    member = get_member(request, slug)
    if filters.since is None or filters.until is None:
        raise HttpError(422, "Give the period: since and until, as ISO 8601 date-times.")
    if filters.until <= filters.since:
        raise HttpError(422, "until must be later than since.")
    moves = queries.moves_in_period(member.workspace, filters.since, filters.until)
    return [_move(m) for m in moves[:1000]]
