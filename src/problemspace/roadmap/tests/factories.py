"""Goals, initiatives and problems with evidence for tests, built through the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from problemspace.customers.models import Account
from problemspace.evidence.models import Evidence
from problemspace.problems.models import Problem, ProblemEvidence
from problemspace.roadmap import services
from problemspace.roadmap.models import Goal, Initiative
from problemspace.workspaces.models import Member, Workspace

KEY_RESULT = {"metric": "Trial-to-paid conversion", "unit": "%", "baseline": 18, "target": 25}


def make_goal(member: Member, objective: str = "Win mid-market teams", **fields: Any) -> Goal:
    return services.create_goal(member, objective=objective, **fields)


def make_initiative(
    member: Member, title: str = "Approve from a phone", **fields: Any
) -> Initiative:
    fields.setdefault("impact", 2)
    fields.setdefault("effort", 4)
    return services.create_initiative(member, title=title, **fields)


def make_problem_with_evidence(
    workspace: Workspace,
    title: str,
    *,
    accounts: int,
    at: datetime,
    first_hand: bool = True,
    per_account: int = 1,
) -> Problem:
    """A problem with `per_account` items from each of `accounts` new accounts, all at `at`."""
    problem = Problem.objects.create(workspace=workspace, title=title)
    for n in range(accounts):
        account = Account.objects.create(workspace=workspace, name=f"{title} customer {n}")
        for _ in range(per_account):
            evidence = Evidence.objects.create(
                workspace=workspace,
                text=f"{title}: it hurts ({n})",
                occurred_at=at,
                account=account,
                provenance="first_hand" if first_hand else "relayed",
                relayed_by="" if first_hand else "Dana (AE)",
            )
            ProblemEvidence.objects.create(problem=problem, evidence=evidence)
    return problem
