"""Assumptions and experiments for tests, built through the services as a user would."""

from __future__ import annotations

from typing import Any

from problemspace.hypotheses import services
from problemspace.hypotheses.models import Experiment, Hypothesis
from problemspace.workspaces.models import Member


def make_hypothesis(
    member: Member, statement: str = "Controllers approve on the road.", **fields: Any
) -> Hypothesis:
    fields.setdefault("kind", "problem")
    fields.setdefault("importance", 4)
    fields.setdefault("evidence_strength", 2)
    return services.create_hypothesis(member, statement=statement, **fields)


def make_experiment(member: Member, hypothesis: Hypothesis, **fields: Any) -> Experiment:
    fields.setdefault("test", "Interview five controllers who travel.")
    fields.setdefault("metric", "How many approve invoices away from their desk weekly.")
    fields.setdefault("criterion", "At least three of five.")
    return services.plan_experiment(member, hypothesis, **fields)
