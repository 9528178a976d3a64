"""A person's correction of what a piece of feedback is: its kind, for the web, API and CLI.

Synthesis decides each item's kind from its words and score (synthesis/kinds.py), with a
confidence; a person who knows better corrects it here. A corrected item is marked
`kind_corrected`, which synthesis never overwrites, and has no confidence (it is no longer a
guess). Whether that moves the item into or out of the ranked problems (praise and "other"
never enter them) is for synthesis's next run: nothing heavy happens in a correction.

Callers check who may correct (editors and above, workspaces/access.py); this module only
keeps the domain's rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from problemspace.evidence.models import Evidence, Kind
from problemspace.workspaces.models import Workspace

# How people type a kind on a command line or in a URL -> the stored value.
KIND_NAMES: Mapping[str, str] = {
    **{kind.value: kind.value for kind in Kind},
    **{kind.label.lower(): kind.value for kind in Kind},
    "problems": Kind.PROBLEM,
    "requests": Kind.REQUEST,
    "feature request": Kind.REQUEST,
    "questions": Kind.QUESTION,
    "set aside": Kind.OTHER,
    "set-aside": Kind.OTHER,
    "noise": Kind.OTHER,
}
KIND_LIST = ", ".join(kind.value for kind in Kind)


class KindError(ValueError):
    """A kind that does not exist, or items that are not in the workspace."""


def parse_kind(value: str) -> str:
    """'Praise', 'no content', 'set aside' -> the stored kind; KindError for anything else."""
    kind = KIND_NAMES.get(" ".join(value.strip().lower().split()))
    if kind is None:
        raise KindError(f"There is no kind {value.strip()[:40]!r}; use one of {KIND_LIST}.")
    return str(kind)


def correct_kind(workspace: Workspace, evidence_ids: Sequence[int], kind: str) -> str:
    """Set the kind of these items of `workspace` as a person's decision; say what changed.

    All of them or none: an id that is not an item of the workspace changes nothing and raises
    KindError. An item synthesis had already given this kind is marked corrected too: a person
    confirming it is a decision synthesis must keep.
    """
    kind = parse_kind(kind)
    ids = list(dict.fromkeys(evidence_ids))
    if not ids:
        raise KindError("Say which evidence items to correct.")
    items = Evidence.objects.filter(workspace=workspace, pk__in=ids)
    found = set(items.values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in found]
    if missing:
        listed = ", ".join(str(pk) for pk in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise KindError(
            f"There is no evidence item {listed} in workspace {workspace.slug!r}; nothing changed."
        )
    changed = (
        items.exclude(kind=kind, kind_corrected=True)
        .order_by()
        .update(kind=kind, kind_corrected=True, kind_confidence=None)
    )
    label = "set aside (no content)" if kind == Kind.OTHER else Kind(kind).label.lower()
    if not changed:
        return f"{_cap(_items(len(ids)))} already marked {label}: nothing changed."
    if kind == Kind.OTHER:
        return f"Set {_items(changed)} aside as having no content."
    return f"Marked {_items(changed)} as {label}."


def _items(n: int) -> str:
    return "1 item" if n == 1 else f"{n:,} items"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
