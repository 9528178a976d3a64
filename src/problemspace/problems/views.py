"""The problems list (the ranking, and how it moved) and one problem's page, with the PM's edits.

Every edit is a POST that goes through problems/edits.py, so a later synthesis keeps it. A
mistake re-renders the page with the message next to the field and what was typed; a done
edit redirects with a message, so reloading the page never repeats it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from problemspace.evidence import search
from problemspace.evidence.models import Evidence
from problemspace.evidence.queries import page_after, parse_cursor
from problemspace.jobs import services as jobs
from problemspace.jobs.models import Kind
from problemspace.lib import charts
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.problems import edits, history, queries
from problemspace.problems.duplicates import likely_duplicates
from problemspace.problems.forms import (
    EvidenceActionForm,
    MergeForm,
    StatusForm,
    TextForm,
)
from problemspace.problems.models import Problem, ProblemEdit, RunStatus, Status, SynthesisRun
from problemspace.workspaces.access import get_member, get_problem_for_member
from problemspace.workspaces.models import Member, Role

PROBLEMS_PER_PAGE = 50
HISTORY_SHOWN = 100
ACCOUNTS_SHOWN = 12
TREND_WEEKS = 26

# What each score component measures, in a PM's words (docs/synthesis.md has the reasoning).
COMPONENTS = [
    ("reach", "Reach", "How many of the accounts and people we hear from have it."),
    ("revenue", "Revenue", "The share of known annual revenue held by those accounts."),
    ("spread", "Spread", "The share of customer segments it reaches."),
    ("trend", "Trend", "Recent conversations against the rate before; the middle is steady."),
    ("first_hand", "First-hand", "The share of conversations heard directly, not relayed."),
    ("strength", "Strength", "Distinct conversations, an interview weighing more than a note."),
]


@dataclass(frozen=True)
class Move:
    """A problem's movement in the ranking since the previous synthesis, for display."""

    kind: str  # "up", "down", "same" or "new"
    places: int = 0

    @classmethod
    def of(cls, places: int | None) -> Move:
        if places is None:
            return cls("new")
        if places > 0:
            return cls("up", places)
        if places < 0:
            return cls("down", -places)
        return cls("same")


def _last_run(member: Member) -> SynthesisRun | None:
    return (
        SynthesisRun.objects.filter(workspace_id=member.workspace_id, status=RunStatus.DONE)
        .exclude(mode="refresh")
        .order_by("-finished_at", "-id")
        .first()
    )


def _list_filter(data: Any) -> tuple[queries.ListFilter, dict[str, str]]:
    errors: dict[str, str] = {}
    status = (data.get("status") or "").strip()
    if status and status not in Status.values:
        errors["status"] = "There is no such status; choose one from the list."
        status = ""
    return (
        queries.ListFilter(
            status=status,
            dismissed=data.get("dismissed") == "1",
            candidates=data.get("candidates") == "1",
            praise=data.get("praise") == "1",
        ),
        errors,
    )


@login_required
def problem_list(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    """The ranking: what most customers have, and why, with how it moved since last time."""
    member = get_member(request, slug)
    f, errors = _list_filter(request.GET)
    page = Paginator(queries.list_problems(member.workspace, f), PROBLEMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    problems = list(page.object_list)
    ranking = queries.ranking_ids(member.workspace)
    moved = queries.movement(member.workspace, ranking)
    counts = queries.evidence_counts(problems)
    quotes = queries.lead_quotes(problems)
    active = jobs.active_jobs(member, Kind.SYNTHESIS, Kind.REFRESH)
    rank = {pk: index for index, pk in enumerate(ranking, start=1)}
    rows = [
        {
            "problem": p,
            "rank": rank.get(p.pk),
            "move": Move.of(moved[p.pk]) if p.pk in moved else None,
            "evidence_count": counts.get(p.pk, 0),
            "quote": quotes.get(p.pk),
            "figures": p.score_components or {},
        }
        for p in problems
    ]
    last_run = _last_run(member)
    can_edit = member.can(Role.EDITOR)
    context = {
        "member": member,
        "active": "problems",
        "f": f,
        "errors": errors,
        "page": page,
        "rows": rows,
        "statuses": Status.choices,
        "last_run": last_run,
        "ranked": len(ranking),
        "can_edit": can_edit,
        "running": active.get(Kind.SYNTHESIS),
        "refreshing": active.get(Kind.REFRESH),
        "has_evidence": (
            last_run is not None
            or Evidence.objects.filter(workspace_id=member.workspace_id).exists()
        ),
        "filtered": f != queries.ListFilter(),
    }
    return TemplateResponse(request, "problems/list.html", context)


@login_required
def synthesize(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Start a synthesis in the background, or follow the one already under way."""
    member = get_member(request, slug, Role.EDITOR)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    job = jobs.active_job(member, Kind.SYNTHESIS)
    if job is None:
        job = jobs.start_synthesis(member, full=request.POST.get("full") == "1")
    else:
        messages.info(request, "A synthesis was already under way; here is its progress.")
    return redirect("jobs:detail", slug=member.workspace.slug, pk=job.pk)


def _detail(
    request: AuthenticatedHttpRequest,
    member: Member,
    problem: Problem,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> TemplateResponse:
    """The problem's page; `forms` carries bound forms with errors after a failed edit."""
    cursor, errors = parse_cursor(request.GET)
    words = (request.GET.get("q") or request.POST.get("q") or "").strip()[:200]
    listed, matches = queries.problem_evidence(problem), None
    if words:
        try:
            listed = search.matching(listed, words)
            matches = listed.count()
        except search.SearchError as exc:
            errors = {**errors, "q": str(exc)}
            words = ""
    page = page_after(listed, cursor, settings.INBOX_PAGE_SIZE)
    reach = queries.customer_reach(problem, limit=ACCOUNTS_SHOWN)
    weekly = queries.weekly_evidence(problem, weeks=TREND_WEEKS)
    others = queries.other_problems(problem) if member.can(Role.EDITOR) else []
    ranking = queries.ranking_ids(member.workspace)
    moved = queries.movement(member.workspace, ranking)
    figures = problem.score_components or {}
    components = figures.get("components", {})
    weights = figures.get("weights", {})
    forms = forms or {}
    context = {
        "member": member,
        "active": "problems",
        "refreshing": jobs.active_job(member, Kind.REFRESH),
        "problem": problem,
        "figures": figures,
        "components": [
            {
                "name": name,
                "label": label,
                "help": help_text,
                "value": components[name],
                "weight": weights.get(name),
            }
            for name, label, help_text in COMPONENTS
            if name in components
        ],
        "rank": ranking.index(problem.pk) + 1 if problem.pk in ranking else None,
        "ranked": len(ranking),
        "move": Move.of(moved[problem.pk]) if problem.pk in moved else None,
        "quotes": queries.quotes_of(problem),
        "duplicates": likely_duplicates(problem),
        "words": words,
        "matches": matches,
        "page": page,
        "errors": errors,
        "reach": reach,
        "more_accounts": reach.account_count - len(reach.accounts),
        "trend_chart": _trend_chart(weekly) if any(weekly.first_hand + weekly.relayed) else None,
        "weekly": weekly,
        "weekly_rows": [
            row
            for row in zip(weekly.weeks, weekly.first_hand, weekly.relayed, strict=True)
            if any(row[1:])
        ],
        "spread_chart": _spread_chart(reach.segments),
        "can_edit": member.can(Role.EDITOR),
        "others": others,
        "text_form": forms.get("text")
        or TextForm(initial={"title": problem.title, "statement": problem.statement}),
        "status_form": forms.get("status") or StatusForm(initial={"status": problem.status}),
        "merge_form": forms.get("merge") or MergeForm(others=others),
        "evidence_form": forms.get("evidence") or EvidenceActionForm(others=others),
        "workspace_url": reverse("workspace", args=[member.workspace.slug]),
    }
    # What was ticked stays ticked after a mistake (read from the input: a failed field is
    # dropped from cleaned_data).
    ticked = request.POST.getlist("evidence") if "evidence" in forms else []
    context["selected"] = {int(v) for v in ticked if v.isdigit()}
    return TemplateResponse(request, "problems/detail.html", context, status=status)


def _trend_chart(weekly: queries.WeeklyEvidence) -> str:
    labels = [monday.strftime("%-d %b") for monday in weekly.weeks]
    return charts.column_series(
        f"Evidence per week over the last {len(weekly.weeks)} weeks, first-hand and relayed",
        labels,
        [("First-hand", weekly.first_hand), ("Relayed", weekly.relayed)],
        stacked=True,
    )


def _spread_chart(segments: list[queries.SegmentReach]) -> str | None:
    named = [s for s in segments if s.name]
    if not named:
        return None
    return charts.horizontal_bars(
        "Accounts per segment", [s.name for s in named], [s.accounts for s in named]
    )


@login_required
def problem_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> TemplateResponse:
    member = get_member(request, slug)
    problem = get_problem_for_member(member, pk)
    return _detail(request, member, problem)


def _editable(
    request: AuthenticatedHttpRequest, slug: str, pk: int
) -> tuple[Member, Problem, HttpResponse | None]:
    """The member and problem of an edit; a response when it must stop there.

    Access is checked before the method, so an outsider gets the same 404 on every URL.
    """
    member = get_member(request, slug)
    problem = get_problem_for_member(member, pk, write=True)
    refused = None if request.method == "POST" else HttpResponseNotAllowed(["POST"])
    return member, problem, refused


def _back(problem: Problem) -> HttpResponse:
    return redirect("problems:detail", slug=problem.workspace.slug, pk=problem.pk)


@login_required
def edit_text(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member, problem, refused = _editable(request, slug, pk)
    if refused:
        return refused
    form = TextForm(request.POST)
    if form.is_valid():
        try:
            title, statement = form.cleaned_data["title"], form.cleaned_data["statement"]
            if title != problem.title:
                edits.rename(problem, title, by=member)
            if statement != problem.statement:
                edits.set_statement(problem, statement)
        except edits.EditError as exc:
            form.add_error("title", str(exc))
        else:
            messages.success(request, "Saved. A later synthesis keeps this title.")
            return _back(problem)
    return _detail(request, member, problem, forms={"text": form}, status=422)


@login_required
def edit_status(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member, problem, refused = _editable(request, slug, pk)
    if refused:
        return refused
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _detail(request, member, problem, forms={"status": form}, status=422)
    edits.set_status(problem, form.cleaned_data["status"])
    messages.success(request, f"Status set to {problem.get_status_display().lower()}.")
    return _back(problem)


def _flag(request: AuthenticatedHttpRequest) -> bool | None:
    value = request.POST.get("on")
    return {"1": True, "0": False}.get(value or "")


def _toggle(
    request: AuthenticatedHttpRequest,
    slug: str,
    pk: int,
    change: Callable[[Problem, bool], None],
    *,
    usage: str,
    said: tuple[str, str],
) -> HttpResponse:
    """Pin or dismiss (on=1) and undo it (on=0); `said` is the message for (on, off)."""
    _, problem, refused = _editable(request, slug, pk)
    if refused:
        return refused
    on = _flag(request)
    if on is None:
        return HttpResponse(usage, status=400)
    change(problem, on)
    messages.success(request, said[0] if on else said[1])
    return _back(problem)


@login_required
def pin(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    return _toggle(
        request,
        slug,
        pk,
        edits.set_pinned,
        usage="Send on=1 to pin or on=0 to unpin.",
        said=(
            "Pinned: it stays at the top of the ranking, and synthesis leaves its evidence alone.",
            "Unpinned: it takes its place in the ranking by score.",
        ),
    )


@login_required
def dismiss(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    return _toggle(
        request,
        slug,
        pk,
        edits.set_dismissed,
        usage="Send on=1 to dismiss or on=0 to restore.",
        said=(
            "Dismissed: it left the ranking, and synthesis will not bring its evidence back.",
            "Restored to the ranking.",
        ),
    )


@login_required
def accept(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    _, problem, refused = _editable(request, slug, pk)
    if refused:
        return refused
    edits.accept_candidate(problem)
    messages.success(request, "Kept as a problem: it is now part of the ranking.")
    return _back(problem)


@login_required
def merge(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Fold this problem into another one: its evidence joins the other, and it goes."""
    member, problem, refused = _editable(request, slug, pk)
    if refused:
        return refused
    others = queries.other_problems(problem)
    form = MergeForm(request.POST, others=others)
    if form.is_valid():
        target = get_problem_for_member(member, form.cleaned_data["into"], write=True)
        if not request.POST.get("confirm") and target.pk != problem.pk:
            # Say what will happen first; the merge is made by the confirming POST.
            return TemplateResponse(
                request,
                "problems/merge_confirm.html",
                {
                    "member": member,
                    "active": "problems",
                    "problem": problem,
                    "target": target,
                    "moving": queries.merge_preview(problem),
                    "staying": queries.merge_preview(target),
                },
            )
        try:
            edits.merge(target, [problem], by=member)
        except edits.EditError as exc:
            form.add_error("into", str(exc))
        else:
            messages.success(
                request,
                format_html(
                    'Merged “{}” into this problem. <a href="{}">Undo</a>',
                    problem.title,
                    _history_url(slug),
                ),
            )
            return _back(target)
    return _detail(request, member, problem, forms={"merge": form}, status=422)


@login_required
def evidence_action(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Split the ticked evidence off into a new problem, or move it to another problem."""
    member, problem, refused = _editable(request, slug, pk)
    if refused:
        return refused
    others = queries.other_problems(problem)
    form = EvidenceActionForm(request.POST, others=others)
    if form.is_valid():
        ids = form.cleaned_data["evidence"]
        words = form.cleaned_data["q"].strip()
        try:
            if form.cleaned_data["all_matching"] and words:
                # Every item of the problem the words match, not only the page on screen.
                matched = search.matching(queries.problem_evidence(problem), words)
                ids = list(matched.values_list("pk", flat=True))
                if not ids:
                    raise edits.EditError(f"Nothing in this problem matches “{words}” any more.")
            if form.cleaned_data["action"] == EvidenceActionForm.SPLIT:
                new = edits.split(problem, ids, form.cleaned_data["title"], by=member)
                messages.success(
                    request,
                    format_html(
                        '{} split off into a new problem, <a href="{}">{}</a>. '
                        '<a href="{}">Undo</a>',
                        _items(len(ids)),
                        reverse("problems:detail", args=[slug, new.pk]),
                        new.title,
                        _history_url(slug),
                    ),
                )
            else:
                target = get_problem_for_member(member, form.cleaned_data["target"], write=True)
                moved = edits.move(ids, target, by=member)
                messages.success(
                    request,
                    format_html(
                        '{} moved to <a href="{}">{}</a>. <a href="{}">Undo</a>',
                        _items(moved),
                        reverse("problems:detail", args=[slug, target.pk]),
                        target.title,
                        _history_url(slug),
                    ),
                )
        except (edits.EditError, search.SearchError) as exc:
            form.add_error("evidence", str(exc))
        else:
            # No anchor: the message saying what happened is at the top of the page.
            return _back(problem)
    return _detail(request, member, problem, forms={"evidence": form}, status=422)


def _items(count: int) -> str:
    return f"{count:,} evidence item{'' if count == 1 else 's'}"


def _history_url(slug: str) -> str:
    return reverse("problems:history", args=[slug]) + "#latest"


@login_required
def edit_history(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    """The workspace's edits to problems, latest first, with undo for the latest."""
    member = get_member(request, slug)
    undoable = history.latest_undoable(member.workspace)
    return TemplateResponse(
        request,
        "problems/history.html",
        {
            "member": member,
            "active": "problems",
            "edits": history.history(member.workspace, limit=HISTORY_SHOWN),
            "undoable": undoable,
            "can_edit": member.can(Role.EDITOR),
            "keep": history.UNDOABLE,
        },
    )


@login_required
def undo(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug, Role.EDITOR)
    edit = get_object_or_404(ProblemEdit, workspace=member.workspace, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        edits.undo(edit, by=member)
    except history.UndoError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, format_html("Undone: {}.", edit.summary))
    return redirect("problems:history", slug=slug)
