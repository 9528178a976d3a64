"""Every change to assumptions and experiments, checked here once for the pages, API and demo.

A mistake raises HypothesisError naming the field at fault, before anything is written; the
writes of one change share a transaction, so nothing is ever half-recorded. Status moves go
through `_transition`, which enforces the life of an assumption and keeps its history:

    untested → testing → validated / invalidated, and back to testing to test again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from problemspace.evidence.models import Evidence
from problemspace.hypotheses.models import (
    MAX_CARD_TEXT,
    MAX_STATEMENT,
    SCORE_MAX,
    SCORE_MIN,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    Kind,
    LearningCard,
    Outcome,
    Status,
    StatusChange,
)
from problemspace.problems.models import Problem
from problemspace.workspaces import lookups
from problemspace.workspaces.models import Member

# Where an assumption may go from each status. Validating or killing one needs it tested
# first; a decided one is reopened by testing it again.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.UNTESTED: frozenset({Status.TESTING}),
    Status.TESTING: frozenset({Status.UNTESTED, Status.VALIDATED, Status.INVALIDATED}),
    Status.VALIDATED: frozenset({Status.TESTING}),
    Status.INVALIDATED: frozenset({Status.TESTING}),
}
MAX_LINKS = 500


class HypothesisError(ValueError):
    """A change that cannot be made; `field` names the input at fault ("" for the whole)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def allowed_moves(status: str) -> list[str]:
    """The statuses an assumption in `status` may be moved to, in board order."""
    return [s for s in Status.values if s in TRANSITIONS.get(status, frozenset())]


def _label(status: str) -> str:
    return str(Status(status).label).lower()


def _text(value: Any, field: str, what: str, *, required: bool, limit: int) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise HypothesisError(f"Write {what}.", field)
    if len(text) > limit:
        raise HypothesisError(f"This can be at most {limit:,} characters.", field)
    return text


def _score(value: Any, field: str, name: str) -> int:
    if isinstance(value, bool):
        value = None
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = 0
    if str(value).strip() != str(score) or not SCORE_MIN <= score <= SCORE_MAX:
        raise HypothesisError(f"{name} is a whole number from {SCORE_MIN} to {SCORE_MAX}.", field)
    return score


def _kind(value: Any) -> str:
    if value not in Kind.values:
        kinds = ", ".join(Kind.values)
        raise HypothesisError(f"Choose the kind of assumption: one of {kinds}.", "kind")
    return str(value)


def _owner(member: Member, owner: Member | int | str | None) -> Member | None:
    return lookups.member_in(member.workspace_id, owner, error=HypothesisError)


def _problems(member: Member, values: Iterable[Any]) -> list[Problem]:
    return lookups.objects_in(
        member.workspace_id,
        Problem,
        values,
        field="problems",
        plural="problems",
        singular="problem",
        limit=MAX_LINKS,
        error=HypothesisError,
    )


def _evidence(member: Member, values: Iterable[Any], field: str = "evidence") -> list[Evidence]:
    return lookups.objects_in(
        member.workspace_id,
        Evidence,
        values,
        field=field,
        plural="evidence items",
        singular="evidence item",
        limit=MAX_LINKS,
        error=HypothesisError,
    )


def create_hypothesis(
    member: Member,
    *,
    statement: str,
    kind: str,
    importance: Any,
    evidence_strength: Any,
    owner: Member | int | str | None = None,
    problem_ids: Sequence[Any] = (),
    evidence_ids: Sequence[Any] = (),
    now: datetime | None = None,
) -> Hypothesis:
    """A new, untested assumption of the member's workspace."""
    now = now or timezone.now()
    fields = {
        "statement": _text(
            statement, "statement", "what you believe", required=True, limit=MAX_STATEMENT
        ),
        "kind": _kind(kind),
        "importance": _score(importance, "importance", "Importance"),
        "evidence_strength": _score(evidence_strength, "evidence_strength", "Evidence strength"),
        "owner": _owner(member, owner),
    }
    problems = _problems(member, problem_ids)
    evidence = _evidence(member, evidence_ids)
    with transaction.atomic():
        hypothesis = Hypothesis.objects.create(
            workspace_id=member.workspace_id, created_at=now, updated_at=now, **fields
        )
        hypothesis.problems.set(problems)
        hypothesis.evidence.set(evidence)
    return hypothesis


def update_hypothesis(
    member: Member, hypothesis: Hypothesis, changes: dict[str, Any], *, now: datetime | None = None
) -> Hypothesis:
    """Change the fields given (statement, kind, importance, evidence_strength, owner,
    problem_ids, evidence_ids, status); all or nothing."""
    values: dict[str, Any] = {}
    if "statement" in changes:
        values["statement"] = _text(
            changes["statement"],
            "statement",
            "what you believe",
            required=True,
            limit=MAX_STATEMENT,
        )
    if "kind" in changes:
        values["kind"] = _kind(changes["kind"])
    if "importance" in changes:
        values["importance"] = _score(changes["importance"], "importance", "Importance")
    if "evidence_strength" in changes:
        values["evidence_strength"] = _score(
            changes["evidence_strength"], "evidence_strength", "Evidence strength"
        )
    if "owner" in changes:
        values["owner"] = _owner(member, changes["owner"])
    problems = _problems(member, changes["problem_ids"]) if "problem_ids" in changes else None
    evidence = _evidence(member, changes["evidence_ids"]) if "evidence_ids" in changes else None
    status = changes.get("status")
    now = now or timezone.now()
    with transaction.atomic():
        # The row as it is now: the caller's copy may be older than a move made since.
        locked = Hypothesis.objects.select_for_update().get(pk=hypothesis.pk)
        if status is not None and status != locked.status:
            _check_move(locked.status, status)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.updated_at = now
        locked.save(update_fields=[*values, "updated_at"])
        if problems is not None:
            locked.problems.set(problems)
        if evidence is not None:
            locked.evidence.set(evidence)
        if status is not None and status != locked.status:
            _transition(member, locked, status, now=now)
    hypothesis.refresh_from_db()
    return hypothesis


def _check_move(current: str, to: str) -> None:
    if to not in Status.values:
        statuses = ", ".join(Status.values)
        raise HypothesisError(f"There is no status {to!r}; choose one of {statuses}.", "status")
    if to == current:
        raise HypothesisError(f"It is already {_label(to)}.", "status")
    if to not in TRANSITIONS[current]:
        if current == Status.UNTESTED:
            hint = "Test it first: move it to testing, or record an experiment's result."
        else:
            hint = "Move it back to testing first, then decide again."
        raise HypothesisError(
            f"An assumption cannot go from {_label(current)} to {_label(to)}. {hint}", "status"
        )


def _transition(
    member: Member | None,
    hypothesis: Hypothesis,
    to: str,
    *,
    experiment: Experiment | None = None,
    now: datetime | None = None,
) -> StatusChange:
    _check_move(hypothesis.status, to)
    now = now or timezone.now()
    change = StatusChange.objects.create(
        workspace_id=hypothesis.workspace_id,
        hypothesis=hypothesis,
        from_status=hypothesis.status,
        to_status=to,
        changed_by=member,
        changed_at=now,
        experiment=experiment,
    )
    hypothesis.status = to
    hypothesis.updated_at = now
    hypothesis.save(update_fields=["status", "updated_at"])
    return change


def move(
    member: Member, hypothesis: Hypothesis, to: str, *, now: datetime | None = None
) -> StatusChange:
    """Move an assumption to another status by hand (the board's buttons)."""
    with transaction.atomic():
        locked = Hypothesis.objects.select_for_update().get(pk=hypothesis.pk)
        change = _transition(member, locked, to, now=now)
    hypothesis.status, hypothesis.updated_at = locked.status, locked.updated_at
    return change


def _card_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "test" in data:
        fields["test"] = _text(
            data["test"], "test", "how you will test it", required=True, limit=MAX_CARD_TEXT
        )
    for name in ("metric", "criterion"):
        if name in data:
            fields[name] = _text(data[name], name, "", required=False, limit=MAX_CARD_TEXT)
    if "cost" in data:
        fields["cost"] = _text(data["cost"], "cost", "", required=False, limit=120)
    if "duration_days" in data:
        days = data["duration_days"]
        if days in (None, ""):
            fields["duration_days"] = None
        else:
            try:
                fields["duration_days"] = int(days)
            except (TypeError, ValueError):
                fields["duration_days"] = -1
            if not 0 < fields["duration_days"] <= 3650:
                raise HypothesisError(
                    "Give the duration as a number of days, from 1 to 3,650.", "duration_days"
                )
    return fields


def plan_experiment(
    member: Member,
    hypothesis: Hypothesis,
    *,
    test: str,
    metric: str = "",
    criterion: str = "",
    cost: str = "",
    duration_days: int | str | None = None,
    now: datetime | None = None,
) -> Experiment:
    """A new test card for `hypothesis`, planned (not yet running)."""
    fields = _card_fields(
        {
            "test": test,
            "metric": metric,
            "criterion": criterion,
            "cost": cost,
            "duration_days": duration_days,
        }
    )
    now = now or timezone.now()
    return Experiment.objects.create(
        hypothesis=hypothesis, created_by=member, created_at=now, updated_at=now, **fields
    )


def update_experiment(
    member: Member, experiment: Experiment, changes: dict[str, Any], *, now: datetime | None = None
) -> Experiment:
    """Edit the test card; once its result is recorded it is a record and stays as it was."""
    if experiment.status == ExperimentStatus.DONE:
        raise HypothesisError("Its result is recorded, so this test card can no longer change.")
    for name, value in _card_fields(changes).items():
        setattr(experiment, name, value)
    experiment.updated_at = now or timezone.now()
    experiment.save()
    return experiment


def start_experiment(
    member: Member, experiment: Experiment, *, now: datetime | None = None
) -> Experiment:
    """Planned → running; its assumption is now being tested."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Experiment.objects.select_for_update().get(pk=experiment.pk)
        if locked.status != ExperimentStatus.PLANNED:
            raise HypothesisError(f"It is already {locked.get_status_display().lower()}.")
        hypothesis = Hypothesis.objects.select_for_update().get(pk=locked.hypothesis_id)
        _start(member, locked, hypothesis, now)
    return locked


def _start(member: Member, experiment: Experiment, hypothesis: Hypothesis, now: datetime) -> None:
    experiment.status = ExperimentStatus.RUNNING
    experiment.started_at = now
    experiment.updated_at = now
    experiment.save(update_fields=["status", "started_at", "updated_at"])
    if hypothesis.status != Status.TESTING:
        _transition(member, hypothesis, Status.TESTING, experiment=experiment, now=now)


def record_result(
    member: Member,
    experiment: Experiment,
    *,
    observation: str,
    outcome: str,
    learning: str = "",
    decision: str = "",
    evidence_ids: Sequence[Any] = (),
    now: datetime | None = None,
) -> LearningCard:
    """Conclude an experiment with its learning card, in one transaction.

    A validated or invalidated outcome moves the assumption to that status (through testing
    when it was elsewhere, so its history stays a true story); an inconclusive one leaves it.
    """
    now = now or timezone.now()
    text = {
        "observation": _text(
            observation, "observation", "what you observed", required=True, limit=MAX_CARD_TEXT
        ),
        "learning": _text(learning, "learning", "", required=False, limit=MAX_CARD_TEXT),
        "decision": _text(decision, "decision", "", required=False, limit=MAX_CARD_TEXT),
    }
    if outcome not in Outcome.values:
        raise HypothesisError(
            "Choose the outcome: validated, invalidated or inconclusive.", "outcome"
        )
    cited = _evidence(member, evidence_ids)
    try:
        with transaction.atomic():
            locked = (
                Experiment.objects.select_for_update()
                .filter(pk=experiment.pk, hypothesis__workspace_id=member.workspace_id)
                .get()
            )
            if locked.status == ExperimentStatus.DONE:
                raise HypothesisError("This experiment's result is already recorded.")
            if not locked.criterion.strip():
                raise HypothesisError(
                    "This test card does not say what proves you right (“We are right if…”). "
                    "Add the criterion to the test card before recording the result.",
                    "criterion",
                )
            hypothesis = Hypothesis.objects.select_for_update().get(pk=locked.hypothesis_id)
            if locked.status == ExperimentStatus.PLANNED:
                _start(member, locked, hypothesis, now)
            card = LearningCard.objects.create(
                experiment=locked, outcome=outcome, recorded_by=member, recorded_at=now, **text
            )
            card.evidence.set(cited)
            locked.status = ExperimentStatus.DONE
            locked.concluded_at = now
            locked.updated_at = now
            locked.save(update_fields=["status", "concluded_at", "updated_at"])
            if outcome != Outcome.INCONCLUSIVE and hypothesis.status != outcome:
                if hypothesis.status != Status.TESTING:
                    _transition(member, hypothesis, Status.TESTING, experiment=locked, now=now)
                _transition(member, hypothesis, outcome, experiment=locked, now=now)
    except IntegrityError:
        # Two people recorded the same result at once; the first one stands.
        raise HypothesisError("This experiment's result is already recorded.") from None
    experiment.refresh_from_db()
    return card
