"""Every change to goals, key results and initiatives, checked here once for the pages, the API,
the CLI and the demo.

A mistake raises RoadmapError naming the field at fault, before anything is written; the writes
of one change share a transaction, so nothing is half-recorded. Horizon and status changes go
through `_move`, which keeps the history (Move) and announces the move to webhooks once it is
committed. An initiative's score is recounted whenever what it depends on changes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from problemspace.evidence.models import Evidence
from problemspace.problems.models import Problem
from problemspace.roadmap import figures, scoring
from problemspace.roadmap.models import (
    IMPACTS,
    MAX_REASON,
    MAX_TEXT,
    MAX_TITLE,
    MEASURED_STATUSES,
    Goal,
    GoalStatus,
    Horizon,
    Initiative,
    InitiativeStatus,
    KeyResult,
    Move,
)
from problemspace.workspaces import lookups
from problemspace.workspaces.models import Member, Workspace

MAX_LINKS = 500
MAX_KEY_RESULTS = 20
MAX_EFFORT = 1_000.0  # person-weeks: twenty people for a year
MAX_SCORE = 1e9
# 1,000 or 12,500.5: commas that only group thousands.
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
NOT_MEASURABLE = (
    "A goal without key results is not measurable, so it stays a draft: add a key result "
    "(a metric with its baseline and target) first."
)


class RoadmapError(ValueError):
    """A change that cannot be made; `field` names the input at fault ("" for the whole)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# --- Reading input -----------------------------------------------------------------------


def _text(value: Any, field: str, what: str, *, required: bool, limit: int) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise RoadmapError(f"Write {what}.", field)
    if len(text) > limit:
        raise RoadmapError(f"This can be at most {limit:,} characters.", field)
    return text


def _number(value: Any, field: str, what: str) -> float:
    if isinstance(value, bool) or value is None or str(value).strip() == "":
        raise RoadmapError(f"Give {what} as a number.", field)
    text = str(value).strip()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        # "2,4" is not read as 24: a decimal comma must be a point here.
        raise RoadmapError(
            f"Give {what} as a number, such as 12 or 4.5 (with a point for decimals).", field
        ) from None
    if not math.isfinite(number) or abs(number) > 1e15:
        raise RoadmapError(f"Give {what} as an ordinary number.", field)
    return number


def _date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise RoadmapError("Give the date as YYYY-MM-DD, such as 2027-03-31.", field) from None


def _choice(value: Any, field: str, choices: Sequence[str], what: str) -> str:
    if value not in choices:
        raise RoadmapError(f"Choose the {what}: one of {', '.join(choices)}.", field)
    return str(value)


def _owner(member: Member, owner: Member | int | str | None) -> Member | None:
    return lookups.member_in(member.workspace_id, owner, error=RoadmapError)


def _in_workspace(
    member: Member, model: Any, values: Iterable[Any], field: str, what: str
) -> list[Any]:
    return lookups.objects_in(
        member.workspace_id,
        model,
        values,
        field=field,
        plural=what,
        singular=what.removesuffix("s"),
        limit=MAX_LINKS,
        error=RoadmapError,
    )


def _effort(value: Any) -> float:
    effort = _number(value, "effort", "the effort in person-weeks")
    if not 0 < effort <= MAX_EFFORT:
        raise RoadmapError(
            f"Effort is in person-weeks, more than 0 and at most {MAX_EFFORT:,.0f}.", "effort"
        )
    return effort


def _impact(value: Any) -> float:
    scale = ", ".join(scoring.format_number(i) for i in IMPACTS)
    try:
        impact = float(value)
    except (TypeError, ValueError):
        impact = -1.0
    if isinstance(value, bool) or impact not in IMPACTS:
        raise RoadmapError(f"Choose the impact on RICE's scale: {scale}.", "impact")
    return impact


def _url(value: Any) -> str:
    url = _text(value, "external_url", "", required=False, limit=2000)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise RoadmapError(
                "Give the full address of the issue, starting with https://.", "external_url"
            ) from None
    return url


def _override(value: Any, reason: Any) -> tuple[float | None, str]:
    """The score set by hand and its reason; both empty to use the computed score."""
    why = _text(reason, "override_reason", "", required=False, limit=MAX_REASON)
    if value is None or str(value).strip() == "":
        return None, ""
    number = _number(value, "score_override", "the score")
    if not 0 <= number <= MAX_SCORE:
        raise RoadmapError("A score is a number from 0 up.", "score_override")
    if not why:
        raise RoadmapError(
            "Say why the score is set by hand: the reason is shown next to the score, so "
            "everyone knows when judgement overrode the evidence.",
            "override_reason",
        )
    return number, why


# --- Goals and key results -----------------------------------------------------------------


def _key_result_fields(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if not partial or "metric" in data:
        fields["metric"] = _text(
            data.get("metric"), "metric", "what you measure", required=True, limit=MAX_TITLE
        )
    if not partial or "unit" in data:
        fields["unit"] = _text(data.get("unit"), "unit", "", required=False, limit=24)
    for name, what in (("baseline", "the baseline"), ("target", "the target")):
        if not partial or name in data:
            fields[name] = _number(data.get(name), name, what)
    if not partial or "current" in data:
        current = data.get("current")
        if (current is None or str(current).strip() == "") and "baseline" in fields:
            # Not measured yet: it stands where it started.
            fields["current"] = fields["baseline"]
        else:
            fields["current"] = _number(current, "current", "the current value")
    if not partial or "due_on" in data:
        fields["due_on"] = _date(data.get("due_on"), "due_on")
    return fields


def _goal_fields(member: Member, data: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "objective" in data:
        fields["objective"] = _text(
            data["objective"], "objective", "the objective", required=True, limit=MAX_TITLE
        )
    if "description" in data:
        fields["description"] = _text(
            data["description"], "description", "", required=False, limit=MAX_TEXT
        )
    if "owner" in data:
        fields["owner"] = _owner(member, data["owner"])
    if "period" in data:
        fields["period"] = _text(data["period"], "period", "", required=False, limit=40)
    if "due_on" in data:
        fields["due_on"] = _date(data["due_on"], "due_on")
    if "status" in data:
        fields["status"] = _choice(data["status"], "status", GoalStatus.values, "goal's status")
    return fields


def _check_measurable(status: str, key_results: int) -> None:
    if status in MEASURED_STATUSES and key_results == 0:
        raise RoadmapError(NOT_MEASURABLE, "status")


def create_goal(
    member: Member,
    *,
    objective: str,
    description: str = "",
    owner: Member | int | str | None = None,
    period: str = "",
    due_on: date | str | None = None,
    status: str = GoalStatus.DRAFT,
    key_results: Sequence[dict[str, Any]] = (),
    now: datetime | None = None,
) -> Goal:
    """A new goal of the member's workspace, with its key results, all or nothing."""
    fields = _goal_fields(
        member,
        {
            "objective": objective,
            "description": description,
            "owner": owner,
            "period": period,
            "due_on": due_on,
            "status": status,
        },
    )
    rows = _key_result_rows(key_results)
    _check_measurable(fields["status"], len(rows))
    now = now or timezone.now()
    with transaction.atomic():
        goal = Goal.objects.create(
            workspace_id=member.workspace_id, created_at=now, updated_at=now, **fields
        )
        KeyResult.objects.bulk_create(
            [KeyResult(goal=goal, position=i, updated_at=now, **row) for i, row in enumerate(rows)]
        )
    return goal


def _key_result_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(rows) > MAX_KEY_RESULTS:
        raise RoadmapError(f"A goal has at most {MAX_KEY_RESULTS} key results.", "key_results")
    checked = []
    for number, row in enumerate(rows, start=1):
        try:
            checked.append(_key_result_fields(row))
        except RoadmapError as exc:
            raise RoadmapError(f"Key result {number}: {exc}", "key_results") from None
    return checked


def update_goal(
    member: Member, goal: Goal, changes: dict[str, Any], *, now: datetime | None = None
) -> Goal:
    """Change the fields given (objective, description, owner, period, due_on, status, and
    key_results, which replaces them all); all or nothing."""
    fields = _goal_fields(member, changes)
    rows = _key_result_rows(changes["key_results"]) if "key_results" in changes else None
    now = now or timezone.now()
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        count = len(rows) if rows is not None else locked.key_results.count()
        _check_measurable(fields.get("status", locked.status), count)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.updated_at = now
        locked.save(update_fields=[*fields, "updated_at"])
        if rows is not None:
            locked.key_results.all().delete()
            KeyResult.objects.bulk_create(
                [
                    KeyResult(goal=locked, position=i, updated_at=now, **row)
                    for i, row in enumerate(rows)
                ]
            )
    goal.refresh_from_db()
    return goal


def add_key_result(
    member: Member, goal: Goal, data: dict[str, Any], *, now: datetime | None = None
) -> KeyResult:
    fields = _key_result_fields(data)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        count = locked.key_results.count()
        if count >= MAX_KEY_RESULTS:
            raise RoadmapError(f"A goal has at most {MAX_KEY_RESULTS} key results.")
        return KeyResult.objects.create(goal=locked, position=count, updated_at=now, **fields)


def update_key_result(
    member: Member, key_result: KeyResult, data: dict[str, Any], *, now: datetime | None = None
) -> KeyResult:
    """Change the fields given; updating `current` alone is the usual check-in."""
    fields = _key_result_fields(data, partial=True)
    for name, value in fields.items():
        setattr(key_result, name, value)
    key_result.updated_at = now or timezone.now()
    key_result.save(update_fields=[*fields, "updated_at"])
    return key_result


def delete_key_result(member: Member, key_result: KeyResult) -> None:
    """Remove a key result; the last one of a goal that claims to be measured cannot go."""
    with transaction.atomic():
        goal = Goal.objects.select_for_update().get(pk=key_result.goal_id)
        if goal.status in MEASURED_STATUSES and goal.key_results.count() <= 1:
            raise RoadmapError(
                f"This is the only key result of a goal that is {goal.get_status_display().lower()}"
                "; a goal without key results is not measurable. Add another one first, or set "
                "the goal back to draft."
            )
        key_result.delete()


# --- Initiatives ---------------------------------------------------------------------------


def _initiative_fields(member: Member, data: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "title" in data:
        fields["title"] = _text(
            data["title"], "title", "what the initiative is", required=True, limit=MAX_TITLE
        )
    if "description" in data:
        fields["description"] = _text(
            data["description"], "description", "", required=False, limit=MAX_TEXT
        )
    if "effort" in data:
        fields["effort"] = _effort(data["effort"])
    if "impact" in data:
        fields["impact"] = _impact(data["impact"])
    if "external_url" in data:
        fields["external_url"] = _url(data["external_url"])
    if "owner" in data:
        fields["owner"] = _owner(member, data["owner"])
    if "score_override" in data:
        fields["score_override"], fields["override_reason"] = _override(
            data.get("score_override"), data.get("override_reason")
        )
    return fields


def _links(member: Member, data: dict[str, Any]) -> dict[str, list[Any]]:
    links: dict[str, list[Any]] = {}
    if "problem_ids" in data:
        links["problems"] = _in_workspace(
            member, Problem, data["problem_ids"], "problems", "problems"
        )
    if "goal_ids" in data:
        links["goals"] = _in_workspace(member, Goal, data["goal_ids"], "goals", "goals")
    if "evidence_ids" in data:
        links["evidence"] = _in_workspace(
            member, Evidence, data["evidence_ids"], "evidence", "evidence items"
        )
    return links


def create_initiative(
    member: Member,
    *,
    title: str,
    description: str = "",
    horizon: str = Horizon.LATER,
    status: str = InitiativeStatus.PROPOSED,
    effort: Any = 1,
    impact: Any = 1,
    external_url: str = "",
    owner: Member | int | str | None = None,
    score_override: Any = None,
    override_reason: str = "",
    problem_ids: Sequence[Any] = (),
    goal_ids: Sequence[Any] = (),
    evidence_ids: Sequence[Any] = (),
    reason: str = "",
    now: datetime | None = None,
) -> Initiative:
    """A new initiative on the roadmap, scored from its problems' evidence; its arrival is
    the first entry of its history."""
    fields = _initiative_fields(
        member,
        {
            "title": title,
            "description": description,
            "effort": effort,
            "impact": impact,
            "external_url": external_url,
            "owner": owner,
            "score_override": score_override,
            "override_reason": override_reason,
        },
    )
    fields["horizon"] = _choice(horizon, "horizon", Horizon.values, "horizon")
    fields["status"] = _choice(status, "status", InitiativeStatus.values, "status")
    why = _text(reason, "reason", "", required=False, limit=MAX_REASON)
    links = _links(
        member, {"problem_ids": problem_ids, "goal_ids": goal_ids, "evidence_ids": evidence_ids}
    )
    now = now or timezone.now()
    with transaction.atomic():
        initiative = Initiative.objects.create(
            workspace_id=member.workspace_id, created_at=now, updated_at=now, **fields
        )
        for name, objects in links.items():
            getattr(initiative, name).set(objects)
        move = Move.objects.create(
            workspace_id=member.workspace_id,
            initiative=initiative,
            to_horizon=initiative.horizon,
            to_status=initiative.status,
            reason=why,
            moved_by=member,
            moved_at=now,
        )
        refresh_score(initiative, now=now)
        _announce_move(initiative, move)
    return initiative


def update_initiative(
    member: Member, initiative: Initiative, changes: dict[str, Any], *, now: datetime | None = None
) -> Initiative:
    """Change the fields given (title, description, effort, impact, external_url, owner,
    score_override with override_reason, problem_ids, goal_ids, evidence_ids, and horizon or
    status with an optional reason); all or nothing."""
    fields = _initiative_fields(member, changes)
    links = _links(member, changes)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        keeps_override = locked.score_override is not None and "score_override" not in changes
        if keeps_override and "override_reason" in changes:
            # A new reason for the override already in place.
            fields["score_override"], fields["override_reason"] = _override(
                locked.score_override, changes["override_reason"]
            )
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.updated_at = now
        locked.save(update_fields=[*fields, "updated_at"])
        for name, objects in links.items():
            getattr(locked, name).set(objects)
        horizon, status = changes.get("horizon"), changes.get("status")
        if (horizon and horizon != locked.horizon) or (status and status != locked.status):
            _move(member, locked, horizon, status, changes.get("reason", ""), now)
        refresh_score(locked, now=now)
    initiative.refresh_from_db()
    return initiative


def move(
    member: Member,
    initiative: Initiative,
    *,
    horizon: str | None = None,
    status: str | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Move:
    """Move an initiative to another horizon and/or status, with the reason for the history."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        done = _move(member, locked, horizon, status, reason, now)
    initiative.horizon, initiative.status = locked.horizon, locked.status
    initiative.updated_at = locked.updated_at
    return done


def _move(
    member: Member | None,
    initiative: Initiative,
    horizon: str | None,
    status: str | None,
    reason: Any,
    now: datetime,
) -> Move:
    to_horizon = _choice(horizon or initiative.horizon, "horizon", Horizon.values, "horizon")
    to_status = _choice(status or initiative.status, "status", InitiativeStatus.values, "status")
    why = _text(reason, "reason", "", required=False, limit=MAX_REASON)
    if to_horizon == initiative.horizon and to_status == initiative.status:
        raise RoadmapError(
            f"It is already in {initiative.get_horizon_display()} and "
            f"{initiative.get_status_display().lower()}; choose another horizon or status.",
            "horizon",
        )
    done = Move.objects.create(
        workspace_id=initiative.workspace_id,
        initiative=initiative,
        from_horizon=initiative.horizon,
        to_horizon=to_horizon,
        from_status=initiative.status,
        to_status=to_status,
        reason=why,
        moved_by=member,
        moved_at=now,
    )
    initiative.horizon, initiative.status, initiative.updated_at = to_horizon, to_status, now
    initiative.save(update_fields=["horizon", "status", "updated_at"])
    _announce_move(initiative, done)
    return done


def _announce_move(initiative: Initiative, done: Move) -> None:
    """Tell the workspace's webhooks (integrations.events, "initiative.moved") once the move
    is committed: a rolled-back move is never announced, and a receiver never holds it up."""
    if not apps.is_installed("problemspace.integrations"):
        return
    from problemspace.integrations import events

    slug = Workspace.objects.filter(pk=initiative.workspace_id).values_list("slug", flat=True)[0]
    payload = {
        "initiative": {
            "id": initiative.pk,
            "title": initiative.title,
            "url": reverse("roadmap:initiative", args=[slug, initiative.pk]),
        },
        "from": {"horizon": done.from_horizon or None, "status": done.from_status or None},
        "to": {"horizon": done.to_horizon, "status": done.to_status},
        "reason": done.reason,
        "moved_at": done.moved_at.isoformat(),
        "moved_by": done.moved_by.display_name if done.moved_by else None,
    }
    workspace_id = initiative.workspace_id
    transaction.on_commit(
        lambda: events.emit(workspace_id, events.INITIATIVE_MOVED, payload), robust=True
    )


# --- Scores --------------------------------------------------------------------------------


def refresh_score(initiative: Initiative, *, now: datetime | None = None) -> scoring.Score:
    """Count the linked problems' evidence again and store the figures, score and sentence."""
    now = now or timezone.now()
    problem_ids = list(
        initiative.problems.filter(dismissed=False).values_list("pk", flat=True).order_by("pk")
    )
    counted = figures.count(problem_ids, now)
    result = scoring.score(counted, impact=initiative.impact, effort=initiative.effort)
    Initiative.objects.filter(pk=initiative.pk).update(
        figures={**counted.as_dict(), "confidence": result.confidence.level},
        score=result.value,
        explanation=result.explain()[:400],
        scored_at=now,
    )
    initiative.figures = {**counted.as_dict(), "confidence": result.confidence.level}
    initiative.score, initiative.explanation = result.value, result.explain()[:400]
    initiative.scored_at = now
    return result


def refresh_workspace(workspace_id: int, *, now: datetime | None = None) -> int:
    """Recount every initiative of the workspace (after a synthesis moved the evidence);
    returns how many."""
    now = now or timezone.now()
    initiatives = list(Initiative.objects.filter(workspace_id=workspace_id))
    for initiative in initiatives:
        refresh_score(initiative, now=now)
    return len(initiatives)


def refresh_for_problems(problem_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Recount the initiatives that solve any of `problem_ids` (an assumption about them was
    decided)."""
    initiatives = list(Initiative.objects.filter(problems__in=list(problem_ids)).distinct())
    for initiative in initiatives:
        refresh_score(initiative, now=now)
    return len(initiatives)
