"""What the evidence of an initiative's problems says, counted for its score.

Problem.score_components and Problem.profile already hold each problem's all-time figures, but
the score needs distinct customers across *several* problems in a recent window (an account
with evidence in two linked problems is one customer, and a problem loud a year ago reaches
nobody today), which those per-problem totals cannot give. So the figures are counted here in
one aggregate query over the linked problems' evidence, and stored on the initiative when
something they depend on changes (its links, a synthesis, an assumption decided), never when a
page is read: the board and the list read stored numbers, however large the problems are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q

from problemspace.evidence.models import Provenance
from problemspace.hypotheses.models import Hypothesis
from problemspace.hypotheses.models import Status as HypothesisStatus
from problemspace.problems.models import ProblemEvidence
from problemspace.roadmap.scoring import WINDOW_DAYS, EvidenceFigures, days_between


def count(
    problem_ids: Sequence[int], now: datetime, window_days: int = WINDOW_DAYS
) -> EvidenceFigures:
    """The figures of the evidence of `problem_ids` with occurred_at in the last `window_days`
    days before `now`. Copies of one conversation (ProblemEvidence.duplicate_of) count once."""
    if not problem_ids:
        return EvidenceFigures(window_days=window_days)
    original = Q(duplicate_of__isnull=True)
    totals = ProblemEvidence.objects.filter(
        problem_id__in=problem_ids,
        evidence__occurred_at__gte=now - timedelta(days=window_days),
        evidence__occurred_at__lte=now,
    ).aggregate(
        accounts=Count("evidence__account", distinct=True),
        lone_contacts=Count(
            "evidence__contact", filter=Q(evidence__account__isnull=True), distinct=True
        ),
        conversations=Count("id", filter=original),
        first_hand=Count("id", filter=original & Q(evidence__provenance=Provenance.FIRST_HAND)),
        latest=Max("evidence__occurred_at"),
    )
    decided = dict(
        Hypothesis.objects.filter(
            problems__in=problem_ids,
            status__in=[HypothesisStatus.VALIDATED, HypothesisStatus.INVALIDATED],
        )
        .values_list("status")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    latest = totals["latest"]
    return EvidenceFigures(
        problems=len(problem_ids),
        accounts=totals["accounts"],
        lone_contacts=totals["lone_contacts"],
        conversations=totals["conversations"],
        first_hand=totals["first_hand"],
        days_since_latest=None if latest is None else days_between(latest, now),
        validated=decided.get(HypothesisStatus.VALIDATED, 0),
        invalidated=decided.get(HypothesisStatus.INVALIDATED, 0),
        window_days=window_days,
    )
