"""Reading problems for the CLI, the pages and the API: the ranking and what backs each problem.

The ranking is one order everywhere: pinned problems first, then by score. Dismissed problems
and new-problem candidates are not in it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from problemspace.customers.models import Account
from problemspace.evidence.models import Evidence
from problemspace.evidence.queries import with_related
from problemspace.problems import profile
from problemspace.problems.linking import links_to_problems
from problemspace.problems.models import Problem, ProblemEvidence, RunStatus, SynthesisRun
from problemspace.workspaces.models import Workspace

RANKING_ORDER = ("-pinned", "-score", "id")


@dataclass
class RankedProblem:
    problem: Problem
    evidence_count: int
    evidence_ids: list[int]
    external_ids: list[dict[str, str]]
    quotes: list[dict[str, Any]]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.problem, name)


def ranked_problems(
    workspace: Workspace,
    *,
    include_all: bool = False,
    limit: int | None = None,
    praise: bool = False,
) -> list[RankedProblem]:
    """The ranking; with `praise`, the groups of praise instead (what customers value)."""
    problems = Problem.objects.filter(workspace=workspace).annotate(evidence_count=Count("links"))
    if not include_all:
        problems = problems.filter(candidate=False, dismissed=False, praise=praise)
    chosen = list(problems.order_by(*RANKING_ORDER)[:limit])
    ids = [p.pk for p in chosen]
    evidence: dict[int, list[int]] = defaultdict(list)
    external: dict[int, list[dict[str, str]]] = defaultdict(list)
    rows = (
        ProblemEvidence.objects.filter(problem_id__in=ids)
        .order_by("problem_id", "evidence_id")
        .values_list("problem_id", "evidence_id", "evidence__source", "evidence__external_id")
    )
    for problem_id, evidence_id, source, external_id in rows:
        evidence[problem_id].append(evidence_id)
        if external_id:
            external[problem_id].append({"source": source, "external_id": external_id})
    quote_ids = {q for p in chosen for q in p.quote_ids}
    quotes = {e.pk: e for e in Evidence.objects.filter(pk__in=quote_ids).select_related("account")}
    return [
        RankedProblem(
            problem=p,
            evidence_count=p.evidence_count,
            evidence_ids=evidence[p.pk],
            external_ids=external[p.pk],
            quotes=[_quote(quotes[q]) for q in p.quote_ids if q in quotes],
        )
        for p in chosen
    ]


def _quote(evidence: Evidence) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "text": evidence.text,
        "account": evidence.account.name if evidence.account else None,
        "provenance": evidence.provenance,
        "occurred_at": evidence.occurred_at.isoformat(),
    }


def ranking_ids(workspace: Workspace) -> list[int]:
    """The ids of the ranked problems, first to last."""
    return list(
        Problem.objects.filter(workspace=workspace, candidate=False, dismissed=False, praise=False)
        .order_by(*RANKING_ORDER)
        .values_list("pk", flat=True)
    )


def previous_ranking(workspace: Workspace) -> list[int] | None:
    """The ranking left by the synthesis before the latest one; None when there is none.

    Only syntheses count (full or incremental runs): the refresh after each PM edit is not one,
    so a rename or a merge does not hide how the last synthesis moved things. A run from before
    rankings were recorded that found problems has an unknown ranking, hence None too.
    """
    runs = list(
        SynthesisRun.objects.filter(workspace=workspace, status=RunStatus.DONE)
        .exclude(mode="refresh")
        .order_by("-finished_at", "-id")
        .values_list("ranking", "counts")[:2]
    )
    if len(runs) < 2:
        return None
    ranking, counts = runs[1]
    if not ranking and (counts or {}).get("problems"):
        return None
    return [int(pk) for pk in ranking]


def movement(workspace: Workspace, current: list[int] | None = None) -> dict[int, int | None]:
    """How each ranked problem moved since the previous synthesis: problem id -> places.

    Positive is up ("up 2"), negative down, 0 unchanged, None for a problem that was not in
    the previous ranking (new, split off, or brought back from dismissed). Empty when there is
    no previous synthesis to compare with. `current` is the ranking now (`ranking_ids`), for
    a caller that already has it.
    """
    before = previous_ranking(workspace)
    if before is None:
        return {}
    if current is None:
        current = ranking_ids(workspace)
    place = {pk: index for index, pk in enumerate(before)}
    return {pk: place[pk] - index if pk in place else None for index, pk in enumerate(current)}


@dataclass(frozen=True)
class ListFilter:
    """What the problems list shows besides the ranking."""

    status: str = ""
    dismissed: bool = False
    candidates: bool = False
    praise: bool = False


def list_problems(workspace: Workspace, f: ListFilter) -> QuerySet[Problem]:
    """The ranking, then praise, new-problem candidates and dismissed problems, as `f` asks.

    No evidence count here: counting every problem's evidence would read all the links before
    LIMIT applies; `evidence_counts` counts only the problems of one page.
    """
    problems = Problem.objects.filter(workspace=workspace).defer("centroid")
    if not f.dismissed:
        problems = problems.filter(dismissed=False)
    if not f.candidates:
        problems = problems.filter(candidate=False)
    if not f.praise:
        problems = problems.filter(praise=False)
    if f.status:
        problems = problems.filter(status=f.status)
    return problems.order_by("dismissed", "candidate", "praise", *RANKING_ORDER)


def evidence_counts(problems: Iterable[Problem]) -> dict[int, int]:
    """How much evidence backs each of `problems`.

    From the profile synthesis keeps (its weekly counts add up to the problem's evidence), so a
    list of problems of 100,000 items each reads no links; counted, in one grouped query, only
    for problems placed before profiles existed.
    """
    counts: dict[int, int] = {}
    ids = []
    for problem in problems:
        weeks = (problem.profile or {}).get("weeks")
        if isinstance(weeks, dict):
            counts[problem.pk] = sum(first + relayed for first, relayed in weeks.values())
        else:
            ids.append(problem.pk)
    if not ids:
        return counts
    rows = (
        ProblemEvidence.objects.filter(problem_id__in=ids)
        .order_by()
        .values_list("problem_id")
        .annotate(n=Count("id"))
    )
    return {**counts, **dict(rows)}


def lead_quotes(problems: Iterable[Problem]) -> dict[int, Evidence]:
    """Each problem's first representative quote (the one closest to its centre)."""
    first = {problem.pk: problem.quote_ids[0] for problem in problems if problem.quote_ids}
    if not first:
        return {}
    found = Evidence.objects.select_related("account", "contact").in_bulk(list(first.values()))
    return {pk: found[q] for pk, q in first.items() if q in found}


def quotes_of(problem: Problem) -> list[Evidence]:
    """The problem's representative quotes, in the order synthesis chose them."""
    found = (
        Evidence.objects.filter(workspace_id=problem.workspace_id)
        .select_related("account", "contact")
        .in_bulk(problem.quote_ids)
    )
    return [found[q] for q in problem.quote_ids if q in found]


# From this many items on, a problem's evidence is found by walking the workspace's evidence
# newest first (the inbox index) and keeping what belongs to it: a page then takes a few
# dozen probes. A smaller problem's evidence is fetched whole and sorted, which is cheaper than
# walking past everyone else's.
WALK_FROM_ITEMS = 1000


def problem_evidence(problem: Problem) -> QuerySet[Evidence]:
    """The problem's evidence, newest first, with what a quote card shows, for keyset pages.

    `repeats` is the evidence an item repeats (same conversation), which is counted once.
    """
    links = ProblemEvidence.objects.filter(problem=problem)
    evidence = Evidence.objects.filter(workspace_id=problem.workspace_id)
    size = (problem.score_components or {}).get("items") or 0
    if size >= WALK_FROM_ITEMS:
        evidence = evidence.filter(Exists(links.filter(evidence_id=OuterRef("pk"))))
    else:
        evidence = evidence.filter(pk__in=links.values("evidence_id"))
    repeats = links.filter(evidence_id=OuterRef("pk")).values("duplicate_of_id")[:1]
    return with_related(evidence.annotate(repeats=Subquery(repeats)))


@dataclass(frozen=True)
class AccountReach:
    """One account that has the problem, and how much it told us about it."""

    pk: int
    name: str
    segment: str
    revenue: Decimal | None
    items: int
    first_hand: int


@dataclass(frozen=True)
class SegmentReach:
    name: str  # "" for accounts without a segment
    accounts: int
    revenue: Decimal
    items: int


@dataclass(frozen=True)
class CustomerReach:
    """Who has the problem: its accounts (the most evidence first) and its segments."""

    accounts: list[AccountReach]
    account_count: int
    segments: list[SegmentReach]
    # False for a problem synthesized before profiles were kept: the next synthesis fills it.
    known: bool = True


def customer_reach(problem: Problem, *, limit: int = 12) -> CustomerReach:
    """The accounts and segments of the problem's evidence, from its profile (profile.py).

    Accounts are shown as they are now (name, segment, revenue); an account deleted since the
    last synthesis is left out.
    """
    summary = problem.profile or {}
    if summary.get("version") != profile.VERSION:
        return CustomerReach(accounts=[], account_count=0, segments=[], known=False)
    top = summary["accounts"][:limit]
    found = Account.objects.filter(workspace_id=problem.workspace_id).in_bulk(
        [pk for pk, _, _ in top]
    )
    accounts = [
        AccountReach(
            pk=pk,
            name=found[pk].name,
            segment=found[pk].segment,
            revenue=found[pk].revenue,
            items=items,
            first_hand=first_hand,
        )
        for pk, items, first_hand in top
        if pk in found
    ]
    segments = [
        SegmentReach(name=name, accounts=count, revenue=Decimal(str(revenue)), items=items)
        for name, count, revenue, items in summary["segments"]
    ]
    # Accounts without a segment go last: they say nothing about spread.
    segments.sort(key=lambda s: (s.name == "", -s.accounts, -s.revenue, s.name.lower()))
    return CustomerReach(
        accounts=accounts, account_count=summary["account_count"], segments=segments
    )


@dataclass(frozen=True)
class WeeklyEvidence:
    weeks: list[date]  # each week's Monday
    first_hand: list[int]
    relayed: list[int]


def weekly_evidence(
    problem: Problem, *, weeks: int = 26, now: datetime | None = None
) -> WeeklyEvidence:
    """Evidence of the problem per week over the last `weeks` weeks (this one included).

    Weeks run Monday to Sunday in the workspace's time zone, from the problem's profile.
    """
    today = timezone.localdate(now or timezone.now())
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    mondays = [first_monday + timedelta(weeks=i) for i in range(weeks)]
    counted = (problem.profile or {}).get("weeks", {})
    first_hand, relayed = [], []
    for monday in mondays:
        first, other = counted.get(monday.isoformat(), (0, 0))
        first_hand.append(first)
        relayed.append(other)
    return WeeklyEvidence(weeks=mondays, first_hand=first_hand, relayed=relayed)


def other_problems(problem: Problem) -> list[Problem]:
    """The workspace's other problems, to merge into or move evidence to: ranking order."""
    return list(
        Problem.objects.filter(workspace_id=problem.workspace_id)
        .exclude(pk=problem.pk)
        .only("pk", "title", "candidate", "dismissed", "praise", "pinned", "score")
        .order_by("dismissed", "candidate", "praise", *RANKING_ORDER)
    )


@dataclass(frozen=True)
class MergePreview:
    """What a merge moves with a problem: its evidence, its accounts, and what links to it."""

    items: int
    accounts: int
    links: int  # initiatives, assumptions and portal posts that name it


def merge_preview(problem: Problem) -> MergePreview:
    links = ProblemEvidence.objects.filter(problem=problem)
    named = sum(
        model._default_manager.filter(**{field: problem}).count()
        for model, field in links_to_problems()
    )
    return MergePreview(
        items=links.count(),
        accounts=links.exclude(evidence__account=None)
        .values("evidence__account")
        .distinct()
        .count(),
        links=named,
    )
