"""The roadmap pages: the now/next/later board, the list by score, the goals with their key
results, one initiative (why, what for, score, history), and the forms that curate them
(editors and owners; everyone in the workspace reads).

A mistake re-renders the form with the message next to its field and what was typed (422); a
done change redirects with a message, so reloading never repeats it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from problemspace.hypotheses.forms import evidence_refs
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.problems.models import Problem
from problemspace.roadmap import queries, services
from problemspace.roadmap.access import (
    get_goal_for_member,
    get_initiative_for_member,
    get_key_result_for_member,
)
from problemspace.roadmap.forms import (
    GoalForm,
    InitiativeForm,
    KeyResultForm,
    ListFilterForm,
    MoveForm,
)
from problemspace.roadmap.models import Goal, Horizon, Initiative, InitiativeStatus, KeyResult
from problemspace.roadmap.scoring import format_number
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member, Role

# The problems offered as checkboxes: the ranking's head; linked ones are always offered.
PROBLEM_CHOICES = 200


def _base(member: Member, **extra: Any) -> dict[str, Any]:
    return {
        "member": member,
        "active": "roadmap",
        "can_edit": member.can(Role.EDITOR),
        "workspace_url": reverse("workspace", args=[member.workspace.slug]),
        **extra,
    }


def _apply_error(form: Any, exc: services.RoadmapError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc))
    form.describe_errors()


def _members(member: Member) -> list[Member]:
    return list(
        Member.objects.filter(workspace_id=member.workspace_id)
        .exclude(role=Role.VIEWER)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )


# --- Board, list, goals --------------------------------------------------------------------


@login_required
def board(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    context = _base(
        member,
        view="board",
        columns=queries.board(member.workspace),
        horizons=Horizon.choices,
        statuses=InitiativeStatus.choices,
    )
    return TemplateResponse(request, "roadmap/board.html", context)


@login_required
def ranked_list(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    form = ListFilterForm(request.GET)
    horizon = status = ""
    if form.is_valid():
        horizon, status = form.cleaned_data["horizon"], form.cleaned_data["status"]
    initiatives = list(queries.ranked(member.workspace, horizon=horizon, status=status))
    context = _base(member, view="list", filter_form=form, initiatives=initiatives)
    return TemplateResponse(request, "roadmap/list.html", context)


@login_required
def goals(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    rows = queries.goals_with_initiatives(member.workspace)
    context = _base(
        member,
        view="goals",
        rows=rows,
        unserved=[r for r in rows if not r.initiatives and r.goal.status != "dropped"],
    )
    return TemplateResponse(request, "roadmap/goals.html", context)


# --- Goals and key results ---------------------------------------------------------------


def _goal_form(member: Member, data: Any = None, **kwargs: Any) -> GoalForm:
    return GoalForm(data, members=_members(member), **kwargs)


@login_required
def create_goal(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug, Role.EDITOR)
    if request.method == "POST":
        form = _goal_form(member, request.POST)
        if form.is_valid():
            try:
                goal = services.create_goal(member, **form.cleaned_data)
            except services.RoadmapError as exc:
                _apply_error(form, exc)
            else:
                messages.success(
                    request, "Goal added as a draft. Add a key result to make it measurable."
                )
                return redirect(reverse("roadmap:goals", args=[slug]) + f"#goal-{goal.pk}")
        context = _base(member, form=form, goal=None)
        return TemplateResponse(request, "roadmap/goal_form.html", context, status=422)
    form = _goal_form(member, initial={"owner": member.pk, "status": "draft"})
    return TemplateResponse(request, "roadmap/goal_form.html", _base(member, form=form, goal=None))


@login_required
def edit_goal(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    goal = get_goal_for_member(member, pk, write=True)
    if request.method == "POST":
        form = _goal_form(member, request.POST)
        if form.is_valid():
            try:
                services.update_goal(member, goal, form.cleaned_data)
            except services.RoadmapError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "Goal saved.")
                return redirect(reverse("roadmap:goals", args=[slug]) + f"#goal-{goal.pk}")
        context = _base(member, form=form, goal=goal)
        return TemplateResponse(request, "roadmap/goal_form.html", context, status=422)
    form = _goal_form(
        member,
        initial={
            name: getattr(goal, name)
            for name in ("objective", "description", "period", "due_on", "status")
        }
        | {"owner": goal.owner_id},
    )
    return TemplateResponse(request, "roadmap/goal_form.html", _base(member, form=form, goal=goal))


def _key_result_page(
    request: AuthenticatedHttpRequest,
    member: Member,
    goal: Goal,
    key_result: KeyResult | None,
    form: KeyResultForm,
    status: int = 200,
) -> TemplateResponse:
    context = _base(member, form=form, goal=goal, key_result=key_result)
    return TemplateResponse(request, "roadmap/key_result_form.html", context, status=status)


@login_required
def add_key_result(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    goal = get_goal_for_member(member, pk, write=True)
    if request.method == "POST":
        form = KeyResultForm(request.POST)
        if form.is_valid():
            try:
                services.add_key_result(member, goal, form.cleaned_data)
            except services.RoadmapError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "Key result added.")
                return redirect(reverse("roadmap:goals", args=[slug]) + f"#goal-{goal.pk}")
        return _key_result_page(request, member, goal, None, form, 422)
    return _key_result_page(request, member, goal, None, KeyResultForm())


@login_required
def edit_key_result(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    key_result = get_key_result_for_member(member, pk, write=True)
    goal = key_result.goal
    if request.method == "POST":
        form = KeyResultForm(request.POST)
        if form.is_valid():
            try:
                services.update_key_result(member, key_result, form.cleaned_data)
            except services.RoadmapError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "Key result saved.")
                return redirect(reverse("roadmap:goals", args=[slug]) + f"#goal-{goal.pk}")
        return _key_result_page(request, member, goal, key_result, form, 422)
    form = KeyResultForm(
        initial={
            "metric": key_result.metric,
            "unit": key_result.unit,
            "baseline": format_number(key_result.baseline),
            "target": format_number(key_result.target),
            "current": format_number(key_result.current),
            "due_on": key_result.due_on,
        }
    )
    return _key_result_page(request, member, goal, key_result, form)


@login_required
@require_POST
def delete_key_result(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    key_result = get_key_result_for_member(member, pk, write=True)
    goal_id = key_result.goal_id
    try:
        services.delete_key_result(member, key_result)
    except services.RoadmapError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Key result removed.")
    return redirect(reverse("roadmap:goals", args=[slug]) + f"#goal-{goal_id}")


# --- Initiatives ---------------------------------------------------------------------------


def _problem_choices(member: Member, initiative: Initiative | None = None) -> list[Problem]:
    problems = list(
        Problem.objects.filter(
            workspace_id=member.workspace_id, dismissed=False, praise=False, candidate=False
        )
        .order_by("-pinned", "-score", "id")
        .only("pk", "title")[:PROBLEM_CHOICES]
    )
    if initiative is not None:
        shown = {p.pk for p in problems}
        problems += [p for p in initiative.problems.only("pk", "title") if p.pk not in shown]
    return problems


def _initiative_form(
    member: Member, data: Any = None, *, initiative: Initiative | None = None, **kwargs: Any
) -> InitiativeForm:
    return InitiativeForm(
        data,
        members=_members(member),
        problems=_problem_choices(member, initiative),
        goals=list(Goal.objects.filter(workspace_id=member.workspace_id).order_by("id")),
        editing=initiative is not None,
        **kwargs,
    )


def _initiative_input(data: dict[str, Any]) -> dict[str, Any]:
    """The form's cleaned data as the service's arguments."""
    values = dict(data)
    values["problem_ids"] = values.pop("problems")
    values["goal_ids"] = values.pop("goals")
    values["evidence_ids"] = values.pop("evidence")
    return values


@login_required
def create_initiative(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug, Role.EDITOR)
    if request.method == "POST":
        form = _initiative_form(member, request.POST)
        if form.is_valid():
            try:
                initiative = services.create_initiative(
                    member, **_initiative_input(form.cleaned_data)
                )
            except services.RoadmapError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "Initiative added to the roadmap.")
                return redirect("roadmap:initiative", slug=slug, pk=initiative.pk)
        context = _base(member, form=form, initiative=None)
        return TemplateResponse(request, "roadmap/initiative_form.html", context, status=422)
    initial: dict[str, Any] = {"owner": member.pk, "effort": "2"}
    problem, goal = request.GET.get("problem", ""), request.GET.get("goal", "")
    if problem.isdigit():
        initial["problems"] = [int(problem)]
    if goal.isdigit():
        initial["goals"] = [int(goal)]
    form = _initiative_form(member, initial=initial)
    return TemplateResponse(
        request, "roadmap/initiative_form.html", _base(member, form=form, initiative=None)
    )


@login_required
def edit_initiative(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    initiative = get_initiative_for_member(member, pk, write=True)
    if request.method == "POST":
        form = _initiative_form(member, request.POST, initiative=initiative)
        if form.is_valid():
            try:
                services.update_initiative(member, initiative, _initiative_input(form.cleaned_data))
            except services.RoadmapError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "Saved; the score is counted again.")
                return redirect("roadmap:initiative", slug=slug, pk=initiative.pk)
        context = _base(member, form=form, initiative=initiative)
        return TemplateResponse(request, "roadmap/initiative_form.html", context, status=422)
    form = _initiative_form(
        member,
        initiative=initiative,
        initial={
            "title": initiative.title,
            "description": initiative.description,
            "problems": list(initiative.problems.values_list("pk", flat=True)),
            "goals": list(initiative.goals.values_list("pk", flat=True)),
            "evidence": evidence_refs(
                list(initiative.evidence.order_by("pk").values_list("pk", flat=True))
            ),
            "impact": str(initiative.impact),
            "effort": format_number(initiative.effort),
            "external_url": initiative.external_url,
            "owner": initiative.owner_id,
            "score_override": (
                ""
                if initiative.score_override is None
                else format_number(initiative.score_override)
            ),
            "override_reason": initiative.override_reason,
        },
    )
    return TemplateResponse(
        request, "roadmap/initiative_form.html", _base(member, form=form, initiative=initiative)
    )


def _initiative_page(
    request: AuthenticatedHttpRequest,
    member: Member,
    initiative: Initiative,
    move_form: MoveForm | None = None,
    status: int = 200,
) -> TemplateResponse:
    page = queries.initiative_page(initiative)
    form = move_form or MoveForm(
        initial={"horizon": initiative.horizon, "status": initiative.status}
    )
    context = _base(member, initiative=initiative, move_form=form, **vars(page))
    return TemplateResponse(request, "roadmap/initiative.html", context, status=status)


@login_required
def initiative(request: AuthenticatedHttpRequest, slug: str, pk: int) -> TemplateResponse:
    member = get_member(request, slug)
    return _initiative_page(request, member, get_initiative_for_member(member, pk))


@login_required
@require_POST
def move(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """The move form: on the initiative's page, and in each card of the board."""
    member = get_member(request, slug)
    initiative = get_initiative_for_member(member, pk, write=True)
    from_board = request.POST.get("next") == "board"
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            done = services.move(member, initiative, **form.cleaned_data)
        except services.RoadmapError as exc:
            if from_board:
                messages.error(request, str(exc))
                return redirect(reverse("roadmap:board", args=[slug]) + f"#initiative-{pk}")
            _apply_error(form, exc)
        else:
            messages.success(request, f"Moved: {done.describe()}.")
            # Back where the form was, on the card that moved; never an address from the
            # request.
            if from_board:
                return redirect(reverse("roadmap:board", args=[slug]) + f"#initiative-{pk}")
            return redirect("roadmap:initiative", slug=slug, pk=pk)
    elif from_board:
        messages.error(request, "Choose a horizon and a status from the lists.")
        return redirect(reverse("roadmap:board", args=[slug]) + f"#initiative-{pk}")
    return _initiative_page(request, member, initiative, form, 422)


@login_required
@require_POST
def recount(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    initiative = get_initiative_for_member(member, pk, write=True)
    services.refresh_score(initiative)
    messages.success(request, "Counted again from the evidence as it is now.")
    return redirect("roadmap:initiative", slug=slug, pk=pk)
