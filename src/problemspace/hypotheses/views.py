"""The assumption pages: the map, the board, one assumption with its test and learning
cards, and the forms that create and curate them (editors and owners).

A mistake re-renders the form with the message next to its field and what was typed (422); a
done change redirects with a message, so reloading never repeats it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from problemspace.hypotheses import queries, services
from problemspace.hypotheses.access import get_experiment_for_member, get_hypothesis_for_member
from problemspace.hypotheses.forms import (
    ExperimentForm,
    HypothesisForm,
    ListFilterForm,
    MoveForm,
    ResultForm,
    evidence_refs,
)
from problemspace.hypotheses.models import Experiment, ExperimentStatus, Hypothesis, Status
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.problems.models import Problem
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member, Role

# The problems offered as checkboxes: the ranking's head is what assumptions are about; a
# problem further down can still be linked from its own page.
PROBLEM_CHOICES = 200


def _base(member: Member, **extra: Any) -> dict[str, Any]:
    return {
        "member": member,
        "active": "assumptions",
        "can_edit": member.can(Role.EDITOR),
        "workspace_url": reverse("workspace", args=[member.workspace.slug]),
        **extra,
    }


def _hypotheses(member: Member, data: Any) -> tuple[list[Hypothesis], ListFilterForm]:
    form = ListFilterForm(data)
    kind = status = ""
    if form.is_valid():
        kind, status = form.cleaned_data["kind"], form.cleaned_data["status"]
    rows = list(queries.list_hypotheses(member.workspace, kind=kind, status=status))
    return rows, form


@login_required
def assumption_map(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    """Importance by evidence strength, the "test first" quadrant highlighted."""
    member = get_member(request, slug)
    hypotheses, form = _hypotheses(member, request.GET)
    context = _base(
        member,
        view="map",
        filter_form=form,
        hypotheses=hypotheses,
        quadrants=queries.assumption_map(hypotheses),
        killed=[h for h in hypotheses if h.status == Status.INVALIDATED],
    )
    return TemplateResponse(request, "hypotheses/map.html", context)


@login_required
def board(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    hypotheses, form = _hypotheses(member, {"kind": request.GET.get("kind", "")})
    can_edit = member.can(Role.EDITOR)
    columns = [
        {"column": column, "cards": [(h, _moves(h) if can_edit else []) for h in column.hypotheses]}
        for column in queries.board(hypotheses)
    ]
    context = _base(member, view="board", filter_form=form, columns=columns)
    return TemplateResponse(request, "hypotheses/board.html", context)


def _moves(hypothesis: Hypothesis) -> list[tuple[str, str]]:
    return [(s, str(Status(s).label)) for s in services.allowed_moves(hypothesis.status)]


def _problem_choices(member: Member, hypothesis: Hypothesis | None = None) -> list[Problem]:
    problems = list(
        Problem.objects.filter(workspace_id=member.workspace_id, dismissed=False, praise=False)
        .order_by("-pinned", "-score", "id")
        .only("pk", "title")[:PROBLEM_CHOICES]
    )
    if hypothesis is not None:
        shown = {p.pk for p in problems}
        problems += [p for p in hypothesis.problems.only("pk", "title") if p.pk not in shown]
    return problems


def _members(member: Member) -> list[Member]:
    return list(
        Member.objects.filter(workspace_id=member.workspace_id)
        .exclude(role=Role.VIEWER)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )


def _hypothesis_form(
    member: Member, data: Any = None, *, hypothesis: Hypothesis | None = None, **kwargs: Any
) -> HypothesisForm:
    return HypothesisForm(
        data,
        members=_members(member),
        problems=_problem_choices(member, hypothesis),
        **kwargs,
    )


def _apply_error(form: Any, exc: services.HypothesisError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc))
    form.describe_errors()


@login_required
def create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug, Role.EDITOR)
    if request.method == "POST":
        form = _hypothesis_form(member, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                hypothesis = services.create_hypothesis(
                    member,
                    statement=data["statement"],
                    kind=data["kind"],
                    importance=data["importance"],
                    evidence_strength=data["evidence_strength"],
                    owner=data["owner"],
                    problem_ids=data["problems"],
                    evidence_ids=data["evidence"],
                )
            except services.HypothesisError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "Assumption added. Plan an experiment to test it.")
                return redirect("hypotheses:detail", slug=slug, pk=hypothesis.pk)
        context = _base(member, form=form, hypothesis=None)
        return TemplateResponse(request, "hypotheses/hypothesis_form.html", context, status=422)
    initial: dict[str, Any] = {"kind": "problem", "importance": 3, "evidence_strength": 2}
    initial["owner"] = member.pk
    problem = request.GET.get("problem", "")
    if problem.isdigit():
        initial["problems"] = [int(problem)]
    form = _hypothesis_form(member, initial=initial)
    return TemplateResponse(
        request, "hypotheses/hypothesis_form.html", _base(member, form=form, hypothesis=None)
    )


@login_required
def edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    hypothesis = get_hypothesis_for_member(member, pk, write=True)
    if request.method == "POST":
        form = _hypothesis_form(member, request.POST, hypothesis=hypothesis)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_hypothesis(
                    member,
                    hypothesis,
                    {
                        "statement": data["statement"],
                        "kind": data["kind"],
                        "importance": data["importance"],
                        "evidence_strength": data["evidence_strength"],
                        "owner": data["owner"],
                        "problem_ids": data["problems"],
                        "evidence_ids": data["evidence"],
                    },
                )
            except services.HypothesisError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "Saved.")
                return redirect("hypotheses:detail", slug=slug, pk=hypothesis.pk)
        context = _base(member, form=form, hypothesis=hypothesis)
        return TemplateResponse(request, "hypotheses/hypothesis_form.html", context, status=422)
    form = _hypothesis_form(
        member,
        hypothesis=hypothesis,
        initial={
            "statement": hypothesis.statement,
            "kind": hypothesis.kind,
            "importance": hypothesis.importance,
            "evidence_strength": hypothesis.evidence_strength,
            "owner": hypothesis.owner_id,
            "problems": list(hypothesis.problems.values_list("pk", flat=True)),
            "evidence": evidence_refs(
                list(hypothesis.evidence.order_by("pk").values_list("pk", flat=True))
            ),
        },
    )
    return TemplateResponse(
        request,
        "hypotheses/hypothesis_form.html",
        _base(member, form=form, hypothesis=hypothesis),
    )


@login_required
def detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> TemplateResponse:
    member = get_member(request, slug)
    hypothesis = get_hypothesis_for_member(member, pk)
    context = _base(
        member,
        hypothesis=hypothesis,
        moves=_moves(hypothesis),
        **vars(queries.hypothesis_page(hypothesis)),
    )
    return TemplateResponse(request, "hypotheses/detail.html", context)


@login_required
def move(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """A board button: the assumption goes to another column."""
    member = get_member(request, slug)
    hypothesis = get_hypothesis_for_member(member, pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # Back where the button was, on the card that moved; never an address from the request.
    back = (
        reverse("hypotheses:board", args=[slug]) + f"#hypothesis-{pk}"
        if request.POST.get("next") == "board"
        else reverse("hypotheses:detail", args=[slug, pk])
    )
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the statuses on the board.")
        return redirect(back)
    try:
        services.move(member, hypothesis, form.cleaned_data["status"])
    except services.HypothesisError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Moved to {hypothesis.get_status_display().lower()}.")
    return redirect(back)


@login_required
def plan_experiment(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    hypothesis = get_hypothesis_for_member(member, pk, write=True)
    if request.method == "POST":
        form = ExperimentForm(request.POST)
        if form.is_valid():
            try:
                services.plan_experiment(member, hypothesis, **form.cleaned_data)
            except services.HypothesisError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "Test card added. Start it when the test begins.")
                return redirect("hypotheses:detail", slug=slug, pk=hypothesis.pk)
        context = _base(member, form=form, hypothesis=hypothesis, experiment=None)
        return TemplateResponse(request, "hypotheses/experiment_form.html", context, status=422)
    context = _base(member, form=ExperimentForm(), hypothesis=hypothesis, experiment=None)
    return TemplateResponse(request, "hypotheses/experiment_form.html", context)


def _experiment(
    request: AuthenticatedHttpRequest, slug: str, pk: int
) -> tuple[Member, Experiment, Hypothesis]:
    member = get_member(request, slug)
    experiment = get_experiment_for_member(member, pk, write=True)
    return member, experiment, experiment.hypothesis


@login_required
def edit_experiment(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member, experiment, hypothesis = _experiment(request, slug, pk)
    if experiment.status == ExperimentStatus.DONE:
        messages.error(request, "Its result is recorded, so this test card can no longer change.")
        return redirect("hypotheses:detail", slug=slug, pk=hypothesis.pk)
    if request.method == "POST":
        form = ExperimentForm(request.POST)
        if form.is_valid():
            try:
                services.update_experiment(member, experiment, form.cleaned_data)
            except services.HypothesisError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "Test card saved.")
                return redirect("hypotheses:detail", slug=slug, pk=hypothesis.pk)
        context = _base(member, form=form, hypothesis=hypothesis, experiment=experiment)
        return TemplateResponse(request, "hypotheses/experiment_form.html", context, status=422)
    form = ExperimentForm(
        initial={
            name: getattr(experiment, name)
            for name in ("test", "metric", "criterion", "cost", "duration_days")
        }
    )
    context = _base(member, form=form, hypothesis=hypothesis, experiment=experiment)
    return TemplateResponse(request, "hypotheses/experiment_form.html", context)


@login_required
def start_experiment(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member, experiment, hypothesis = _experiment(request, slug, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.start_experiment(member, experiment)
    except services.HypothesisError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Running: the assumption is being tested.")
    return redirect("hypotheses:detail", slug=slug, pk=hypothesis.pk)


@login_required
def record_result(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """The learning card; a validated or invalidated outcome moves the assumption."""
    member, experiment, hypothesis = _experiment(request, slug, pk)
    if experiment.status == ExperimentStatus.DONE:
        messages.info(request, "This experiment's result is already recorded.")
        return redirect("hypotheses:detail", slug=slug, pk=hypothesis.pk)
    if request.method == "POST":
        form = ResultForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                card = services.record_result(
                    member,
                    experiment,
                    observation=data["observation"],
                    learning=data["learning"],
                    decision=data["decision"],
                    outcome=data["outcome"],
                    evidence_ids=data["evidence"],
                )
            except services.HypothesisError as exc:
                _apply_error(form, exc)
            else:
                hypothesis.refresh_from_db()
                messages.success(
                    request,
                    f"Result recorded ({card.get_outcome_display().lower()}); the assumption "
                    f"is {hypothesis.get_status_display().lower()}.",
                )
                return redirect("hypotheses:detail", slug=slug, pk=hypothesis.pk)
        context = _base(member, form=form, hypothesis=hypothesis, experiment=experiment)
        return TemplateResponse(request, "hypotheses/result_form.html", context, status=422)
    context = _base(member, form=ResultForm(), hypothesis=hypothesis, experiment=experiment)
    return TemplateResponse(request, "hypotheses/result_form.html", context)
