"""Reading problems for the CLI and the pages: the ranking and what backs each problem."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from problemspace.evidence.models import Evidence
from problemspace.problems.models import Problem, ProblemEvidence
from problemspace.workspaces.models import Workspace


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
    workspace: Workspace, *, include_all: bool = False, limit: int | None = None
) -> list[RankedProblem]:
    problems = Problem.objects.filter(workspace=workspace).annotate(evidence_count=Count("links"))
    if not include_all:
        problems = problems.filter(candidate=False, dismissed=False)
    chosen = list(problems.order_by("-pinned", "-score", "id")[:limit])
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
