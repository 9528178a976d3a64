"""The demo's initiatives and assumptions follow the evidence they cite to its problem.

Each demo initiative and assumption is built citing the first-hand evidence of its story
theme (CANDIDATES of it, interviews first). Problems only exist once synthesis has run, and
where synthesis puts one piece of evidence is its own decision: a long interview answer about
the SAP connector may land in the month-end export problem. So when a synthesis of the demo
finishes, each is tied to the problem holding most of what it cites, and then cites only the
evidence that problem holds (the first `keep`, in the order cited). What a brief or a page
prints for it, the problem and its customers' words, is then the problem that actually holds
its evidence, whatever synthesis decided.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from problemspace.problems.models import ProblemEvidence

# Evidence of its theme each demo initiative or assumption cites when built: enough that most
# of it sits in the theme's problem, whatever a few of its items do.
CANDIDATES = 12


def follow_the_evidence(owners: Iterable[Any], owner_field: str, keep: int) -> int:
    """Tie each of `owners` (initiatives or assumptions, each with `evidence` and `problems`
    many-to-many relations; `owner_field` names it on their evidence's through model) to the
    ranked problem holding most of the evidence it cites, and keep citing only what that
    problem holds. Returns how many were tied; an owner none of whose evidence is in a ranked
    problem is left as it is."""
    tied = 0
    for owner in owners:
        through = owner.evidence.through
        cited = list(
            through.objects.filter(**{owner_field: owner})
            .order_by("pk")
            .values_list("evidence_id", flat=True)
        )
        held = dict(
            ProblemEvidence.objects.filter(
                evidence_id__in=cited,
                problem__dismissed=False,
                problem__praise=False,
                problem__candidate=False,
            ).values_list("evidence_id", "problem_id")
        )
        counts = Counter(held.values())
        if not counts:
            continue
        # Most evidence first; the lower id breaks a tie, so the choice is repeatable.
        problem_id = min(counts, key=lambda pk: (-counts[pk], pk))
        owner.problems.add(problem_id)
        kept = [pk for pk in cited if held.get(pk) == problem_id][:keep]
        through.objects.filter(**{owner_field: owner}).exclude(evidence_id__in=kept).delete()
        tied += 1
    return tied
