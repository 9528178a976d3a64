"""How the pages show what an evidence item is and the score it came with."""

from __future__ import annotations

from django import template

from problemspace.evidence.models import Evidence
from problemspace.evidence.scores import describe_score

register = template.Library()


@register.filter
def score_label(evidence: Evidence) -> str:
    """'★ 4/5', 'NPS 9', 'CSAT 2/5'; '' without a score. The CLI shows the same words."""
    return describe_score(evidence.score, evidence.score_scale)
