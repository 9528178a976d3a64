"""Assumptions and experiments over the API: list and filter, create, read, change (status
included, by the same rules as the board), plan experiments and record their results.

Everyone in the workspace reads; editors and owners write. Rules broken answer 422 with a
sentence saying what to do; nothing is half-written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from problemspace.hypotheses import queries, services
from problemspace.hypotheses.access import (
    check_write,
    get_experiment_for_member,
    get_hypothesis_for_member,
)
from problemspace.hypotheses.models import (
    MAX_CARD_TEXT,
    MAX_STATEMENT,
    Experiment,
    Hypothesis,
    LearningCard,
    StatusChange,
)
from problemspace.lib.ids import Id
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member

router = Router()

KindName = Literal["problem", "solution", "value", "usability", "feasibility", "viability"]
StatusName = Literal["untested", "testing", "validated", "invalidated"]
OutcomeName = Literal["validated", "invalidated", "inconclusive"]
Score = Annotated[int, Field(ge=1, le=5)]
MAX_IDS = services.MAX_LINKS


class HypothesisOwnerOut(Schema):
    member_id: int
    name: str


class HypothesisOut(Schema):
    id: int
    statement: str = Field(description="what we believe")
    kind: str
    importance: int = Field(description="1 (a detail) to 5 (the bet fails without it)")
    evidence_strength: int = Field(description="1 (a guess) to 5 (well known from evidence)")
    status: str
    test_first: bool = Field(description="important and little known: the map's top right")
    owner: HypothesisOwnerOut | None
    problem_ids: list[int]
    evidence_ids: list[int]
    created_at: datetime
    updated_at: datetime


class HypothesisPage(Schema):
    count: int
    items: list[HypothesisOut]
    next_offset: int | None = Field(description="the offset of the next page; null on the last")


class LearningCardOut(Schema):
    observation: str = Field(description="We observed…")
    learning: str = Field(description="From that we learned…")
    decision: str = Field(description="Therefore, we will…")
    outcome: str
    evidence_ids: list[int]
    recorded_at: datetime


class ExperimentOut(Schema):
    id: int
    hypothesis_id: int
    test: str = Field(description="To verify that, we will…")
    metric: str = Field(description="and measure…")
    criterion: str = Field(description="We are right if…")
    cost: str
    duration_days: int | None
    status: str
    created_at: datetime
    started_at: datetime | None
    concluded_at: datetime | None
    learning: LearningCardOut | None = Field(description="the learning card, once recorded")


class HypothesisChangeOut(Schema):
    hypothesis_id: int
    from_status: str
    to_status: str
    changed_at: datetime
    changed_by: HypothesisOwnerOut | None
    experiment_id: int | None


class HypothesisDetailOut(HypothesisOut):
    experiments: list[ExperimentOut]
    history: list[HypothesisChangeOut]


class HypothesisFilters(Schema):
    kind: KindName | None = None
    status: StatusName | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**9)


# Fields are optional in the schemas so that access is checked before the body (a stranger
# gets 404 whatever it sends); the service answers 422 for what is missing.
class HypothesisIn(Schema):
    statement: str = Field("", max_length=MAX_STATEMENT)
    kind: KindName = "problem"
    importance: Score = 3
    evidence_strength: Score = 3
    owner_id: Id | None = Field(None, description="a member of the workspace")
    problem_ids: list[Id] = Field([], max_length=MAX_IDS)
    evidence_ids: list[Id] = Field([], max_length=MAX_IDS)


class HypothesisPatch(Schema):
    statement: str | None = Field(None, max_length=MAX_STATEMENT)
    kind: KindName | None = None
    importance: Score | None = None
    evidence_strength: Score | None = None
    owner_id: Id | None = Field(None, description="a member; 0 leaves it without an owner")
    problem_ids: list[Id] | None = Field(None, max_length=MAX_IDS)
    evidence_ids: list[Id] | None = Field(None, max_length=MAX_IDS)
    status: StatusName | None = Field(
        None,
        description="untested → testing → validated / invalidated; back to testing to reopen",
    )


class ExperimentIn(Schema):
    test: str = Field("", max_length=MAX_CARD_TEXT, description="required")
    metric: str = Field("", max_length=MAX_CARD_TEXT)
    criterion: str = Field(
        "", max_length=MAX_CARD_TEXT, description="needed before the result is recorded"
    )
    cost: str = Field("", max_length=120)
    duration_days: int | None = Field(None, ge=1, le=3650)


class ExperimentResultIn(Schema):
    observation: str = Field("", max_length=MAX_CARD_TEXT, description="required")
    learning: str = Field("", max_length=MAX_CARD_TEXT)
    decision: str = Field("", max_length=MAX_CARD_TEXT)
    outcome: OutcomeName | None = Field(None, description="required")
    evidence_ids: list[Id] = Field([], max_length=MAX_IDS, description="evidence it cites")


class ExperimentResultOut(Schema):
    experiment: ExperimentOut
    hypothesis: HypothesisOut


class HypothesisChangeFilters(Schema):
    # Optional in the schema so that access is checked first; both are required.
    since: datetime | None = Field(None, description="required: from this moment on")
    until: datetime | None = Field(None, description="required: up to, not including, this")
    decided: bool = Field(True, description="only moves to validated or invalidated")


def _owner(member: Member | None) -> dict[str, Any] | None:
    return None if member is None else {"member_id": member.pk, "name": member.display_name}


def _summary(h: Hypothesis) -> dict[str, Any]:
    return {
        "id": h.pk,
        "statement": h.statement,
        "kind": h.kind,
        "importance": h.importance,
        "evidence_strength": h.evidence_strength,
        "status": h.status,
        "test_first": h.test_first,
        "owner": _owner(h.owner),
        # Prefetched by the list; read from the database for one.
        "problem_ids": sorted(p.pk for p in h.problems.all()),
        "evidence_ids": sorted(e.pk for e in h.evidence.all()),
        "created_at": h.created_at,
        "updated_at": h.updated_at,
    }


def _learning(card: LearningCard | None) -> dict[str, Any] | None:
    if card is None:
        return None
    return {
        "observation": card.observation,
        "learning": card.learning,
        "decision": card.decision,
        "outcome": card.outcome,
        "evidence_ids": sorted(e.pk for e in card.evidence.all()),
        "recorded_at": card.recorded_at,
    }


def _experiment(e: Experiment) -> dict[str, Any]:
    card = queries.learning_of(e)
    return {
        "id": e.pk,
        "hypothesis_id": e.hypothesis_id,
        "test": e.test,
        "metric": e.metric,
        "criterion": e.criterion,
        "cost": e.cost,
        "duration_days": e.duration_days,
        "status": e.status,
        "created_at": e.created_at,
        "started_at": e.started_at,
        "concluded_at": e.concluded_at,
        "learning": _learning(card),
    }


def _change(c: StatusChange) -> dict[str, Any]:
    return {
        "hypothesis_id": c.hypothesis_id,
        "from_status": c.from_status,
        "to_status": c.to_status,
        "changed_at": c.changed_at,
        "changed_by": _owner(c.changed_by),
        "experiment_id": c.experiment_id,
    }


def _detail(h: Hypothesis) -> dict[str, Any]:
    page = queries.hypothesis_page(h)
    return {
        **_summary(h),
        "experiments": [_experiment(e) for e in page.experiments],
        "history": [_change(c) for c in page.changes],
    }


def _unprocessable(exc: services.HypothesisError) -> HttpError:
    where = f"{exc.field}: " if exc.field else ""
    return HttpError(422, f"{where}{exc}")


@router.get("/w/{slug}/hypotheses", response=HypothesisPage, summary="The assumptions")
def list_hypotheses(
    request: HttpRequest, slug: str, filters: Query[HypothesisFilters]
) -> dict[str, Any]:
    """Most important and least known first; filter by kind and status."""
    member = get_member(request, slug)
    rows = queries.list_hypotheses(
        member.workspace, kind=filters.kind or "", status=filters.status or ""
    ).prefetch_related("problems", "evidence")
    count = rows.count()
    chosen = list(rows[filters.offset : filters.offset + filters.limit])
    end = filters.offset + len(chosen)
    return {
        "count": count,
        "items": [_summary(h) for h in chosen],
        "next_offset": end if end < count else None,
    }


@router.post(
    "/w/{slug}/hypotheses",
    response={201: HypothesisDetailOut},
    summary="Add an assumption (untested)",
)
def create_hypothesis(request: HttpRequest, slug: str, body: HypothesisIn) -> Status:
    member = get_member(request, slug)
    check_write(member)
    try:
        hypothesis = services.create_hypothesis(
            member,
            statement=body.statement,
            kind=body.kind,
            importance=body.importance,
            evidence_strength=body.evidence_strength,
            owner=body.owner_id,
            problem_ids=body.problem_ids,
            evidence_ids=body.evidence_ids,
        )
    except services.HypothesisError as exc:
        raise _unprocessable(exc) from None
    return Status(201, _detail(hypothesis))


@router.get(
    "/w/{slug}/hypotheses/{int:pk}",
    response=HypothesisDetailOut,
    summary="One assumption with its test cards, learning cards and history",
)
def get_hypothesis(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    member = get_member(request, slug)
    return _detail(get_hypothesis_for_member(member, pk))


@router.patch(
    "/w/{slug}/hypotheses/{int:pk}",
    response=HypothesisDetailOut,
    summary="Change an assumption: its text, kind, scores, owner, links or status",
)
def patch_hypothesis(
    request: HttpRequest, slug: str, pk: int, body: HypothesisPatch
) -> dict[str, Any]:
    """Only the fields sent change; all or nothing."""
    member = get_member(request, slug)
    hypothesis = get_hypothesis_for_member(member, pk, write=True)
    changes: dict[str, Any] = {
        name: value
        for name, value in body.model_dump(exclude_unset=True).items()
        if value is not None or name == "owner_id"
    }
    if "owner_id" in changes:
        changes["owner"] = changes.pop("owner_id") or None
    try:
        services.update_hypothesis(member, hypothesis, changes)
    except services.HypothesisError as exc:
        raise _unprocessable(exc) from None
    hypothesis.refresh_from_db()
    return _detail(hypothesis)


@router.post(
    "/w/{slug}/hypotheses/{int:pk}/experiments",
    response={201: ExperimentOut},
    summary="Plan an experiment: a test card for the assumption",
)
def plan_experiment(request: HttpRequest, slug: str, pk: int, body: ExperimentIn) -> Status:
    member = get_member(request, slug)
    hypothesis = get_hypothesis_for_member(member, pk, write=True)
    try:
        experiment = services.plan_experiment(member, hypothesis, **body.model_dump())
    except services.HypothesisError as exc:
        raise _unprocessable(exc) from None
    return Status(201, _experiment(experiment))


@router.post(
    "/w/{slug}/experiments/{int:pk}/start",
    response=ExperimentOut,
    summary="Start a planned experiment; its assumption moves to testing",
)
def start_experiment(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    member = get_member(request, slug)
    experiment = get_experiment_for_member(member, pk, write=True)
    try:
        experiment = services.start_experiment(member, experiment)
    except services.HypothesisError as exc:
        raise _unprocessable(exc) from None
    return _experiment(experiment)


@router.post(
    "/w/{slug}/experiments/{int:pk}/result",
    response={201: ExperimentResultOut},
    summary="Record an experiment's result as a learning card",
)
def record_result(request: HttpRequest, slug: str, pk: int, body: ExperimentResultIn) -> Status:
    """A validated or invalidated outcome moves the assumption to that status in the same
    transaction; inconclusive leaves it. The test card needs its criterion first."""
    member = get_member(request, slug)
    experiment = get_experiment_for_member(member, pk, write=True)
    try:
        services.record_result(
            member,
            experiment,
            observation=body.observation,
            learning=body.learning,
            decision=body.decision,
            outcome=body.outcome or "",
            evidence_ids=body.evidence_ids,
        )
    except services.HypothesisError as exc:
        raise _unprocessable(exc) from None
    hypothesis = get_hypothesis_for_member(member, experiment.hypothesis_id)
    return Status(201, {"experiment": _experiment(experiment), "hypothesis": _summary(hypothesis)})


@router.get(
    "/w/{slug}/assumption-changes",
    response=list[HypothesisChangeOut],
    summary="Assumptions' status changes in a period, e.g. those validated or killed",
)
def assumption_changes(
    request: HttpRequest, slug: str, filters: Query[HypothesisChangeFilters]
) -> list[dict[str, Any]]:
    """Changes with since <= changed_at < until, oldest first."""
    member = get_member(request, slug)
    if filters.since is None or filters.until is None:
        raise HttpError(422, "Give the period: since and until, as ISO 8601 date-times.")
    if filters.until <= filters.since:
        raise HttpError(422, "until must be later than since.")
    to = queries.DECIDED if filters.decided else tuple(s for s in services.TRANSITIONS)
    changes = queries.status_changes(member.workspace, filters.since, filters.until, to=to)
    return [_change(c) for c in changes[:1000]]
