"""Problems as synthesis would leave them, without running it: for page and API tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from problemspace.evidence.models import Evidence
from problemspace.problems import profile
from problemspace.problems.models import Problem, ProblemEvidence
from problemspace.problems.services import load_items
from problemspace.workspaces.models import Workspace


def make_problem(
    workspace: Workspace,
    title: str = "Exports time out",
    *,
    evidence: Sequence[Evidence] = (),
    score: float = 0.5,
    explanation: str = "",
    figures: dict[str, Any] | None = None,
    **fields: Any,
) -> Problem:
    """A problem backed by `evidence`, its first three items as its quotes."""
    figures = {
        "accounts": len({e.account_id for e in evidence if e.account_id}),
        "contacts": len({e.contact_id for e in evidence if e.contact_id}),
        "segments": 1,
        "revenue": 0.0,
        "items": len(evidence),
        "conversations": len(evidence),
        "first_hand_share": 1.0,
        "trend": "steady",
        "components": {"reach": 0.5, "first_hand": 1.0, "trend": 0.5, "strength": 0.4},
        "weights": {"reach": 0.35, "first_hand": 0.1, "trend": 0.1, "strength": 0.1},
        **(figures or {}),
    }
    problem = Problem.objects.create(
        workspace=workspace,
        title=title,
        score=score,
        explanation=explanation or f"{len(evidence)} accounts, 100% first-hand, steady",
        score_components=figures,
        quote_ids=[e.pk for e in evidence[:3]],
        **fields,
    )
    ProblemEvidence.objects.bulk_create(
        [ProblemEvidence(problem=problem, evidence=e) for e in evidence]
    )
    refresh_profile(problem)
    return problem


def refresh_profile(problem: Problem) -> None:
    """Sum the problem's profile from its evidence now, as synthesis would."""
    ids = set(problem.links.values_list("evidence_id", flat=True))
    problem.profile = profile.build([i for i in load_items(problem.workspace) if i.id in ids])
    problem.save(update_fields=["profile"])
