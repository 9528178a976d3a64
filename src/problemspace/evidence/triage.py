"""Triage: what a PM does to evidence as it comes in, one item or a page of them at once.

Assign to a problem (the problems app's `move`, so synthesis keeps the PM's placement), add a
tag, and correct provenance: relayed (by whom) or first-hand. Each function changes the items
it is given, which the caller has already checked belong to the member's workspace, and returns
a sentence saying what changed. Callers run them inside one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from problemspace.evidence.models import Evidence, EvidenceTag, Provenance, Tag
from problemspace.problems import edits
from problemspace.problems.models import Problem
from problemspace.workspaces.models import Workspace


def _items(n: int) -> str:
    return "1 item" if n == 1 else f"{n:,} items"


def assign(ids: Sequence[int], problem: Problem) -> str:
    already = set(problem.links.filter(evidence_id__in=ids).values_list("evidence_id", flat=True))
    moved = [pk for pk in ids if pk not in already]
    if not moved:
        return f"{_cap(_items(len(ids)))} already in “{problem.title}”: nothing changed."
    edits.move(moved, problem)
    note = f" ({len(already)} already were)" if already else ""
    return f"Assigned {_items(len(moved))} to “{problem.title}”{note}."


def add_tags(workspace: Workspace, ids: Sequence[int], names: Sequence[str]) -> str:
    added = 0
    for name in names:
        tag, _ = Tag.objects.get_or_create(workspace=workspace, name=name)
        tagged = set(
            EvidenceTag.objects.filter(tag=tag, evidence_id__in=ids).values_list(
                "evidence_id", flat=True
            )
        )
        new = [EvidenceTag(evidence_id=pk, tag=tag) for pk in ids if pk not in tagged]
        EvidenceTag.objects.bulk_create(new)
        added += len(new)
    label = " ".join(f"#{name}" for name in names)
    if not added:
        return f"{_cap(_items(len(ids)))} already tagged {label}: nothing changed."
    return f"Tagged {_items(len(ids))} {label}."


def mark_relayed(workspace: Workspace, ids: Sequence[int], relayed_by: str) -> str:
    changed = (
        Evidence.objects.filter(workspace=workspace, pk__in=ids)
        .exclude(provenance=Provenance.RELAYED, relayed_by=relayed_by)
        .update(provenance=Provenance.RELAYED, relayed_by=relayed_by)
    )
    if not changed:
        return f"{_cap(_items(len(ids)))} already relayed by {relayed_by}: nothing changed."
    return f"Marked {_items(changed)} as relayed by {relayed_by}."


def mark_first_hand(workspace: Workspace, ids: Sequence[int]) -> str:
    changed = (
        Evidence.objects.filter(workspace=workspace, pk__in=ids)
        .exclude(provenance=Provenance.FIRST_HAND)
        .update(provenance=Provenance.FIRST_HAND, relayed_by="")
    )
    if not changed:
        return f"{_cap(_items(len(ids)))} already first-hand: nothing changed."
    return f"Marked {_items(changed)} as heard first-hand."


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
