"""The history of the PM's edits to problems (merge, split, move, rename), and undo.

Each edit records, before it changes anything, what it is about to change (`snapshot`): the
rows of the problems it touches, where each of their evidence items was placed and by whom,
what linked to them from other apps (an initiative's or an assumption's link, a portal post),
and the titles, quotes and scores of every other problem of the workspace, which the refresh
after an edit recomputes. Undo puts all of it back (`undo`): problems a merge deleted come back
with their ids, a split's new problem goes, and the workspace reads as it did before the edit.

Edits are undone latest first, like an editor's undo: undoing an older edit under a later one
would bring back a state the later edit was made on top of. A full synthesis regroups
everything, so an edit made before one can no longer be undone. An incremental synthesis
(new evidence placed after a capture) can sit in between: the edit's evidence goes back where
it was, the new evidence stays where synthesis placed it, and titles and scores are refreshed
instead of restored. Only the latest UNDOABLE edits keep what undo needs; the history itself
(who did what, when) is kept for good, and in exports.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from problemspace.problems.linking import links_to_problems
from problemspace.problems.models import (
    RECOMPUTED_FIELDS,
    EditKind,
    Problem,
    ProblemEdit,
    ProblemEvidence,
    SynthesisRun,
)
from problemspace.workspaces.models import Member, Workspace

# Rows written by one statement (SQLite allows 32,766 variables in one).
BATCH = 5000
# Edits per workspace that keep what undo needs; an older one stays in the history, for reading.
UNDOABLE = 20
# What the refresh after an edit recomputes on every problem of the workspace.
REFRESHED = RECOMPUTED_FIELDS
# What an edit changes on the problems it touches, besides the refreshed fields: restored on
# undo. The PM's other decisions (pinned, dismissed, status, statement) are not edits of the
# history and stay as they are now, unless the problem itself comes back from a merge.
TOUCHED = (*REFRESHED, "title_edited", "candidate", "centroid", "profile")


class UndoError(ValueError):
    """An edit that cannot be undone; the message says why."""


def _value(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.BinaryField):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(field, models.DateTimeField):
        return value.isoformat()
    return value


def _python(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.BinaryField):
        return base64.b64decode(value)
    if isinstance(field, models.DateTimeField):
        return parse_datetime(value)
    return value


def _row(obj: models.Model, names: Iterable[str] | None = None) -> dict[str, Any]:
    """A row's concrete fields (or `names` of them) as JSON values, keyed by attribute name."""
    fields = obj._meta.concrete_fields
    wanted = None if names is None else set(names)
    return {
        field.attname: _value(field, getattr(obj, field.attname))
        for field in fields
        if wanted is None or field.name in wanted or field.attname in wanted
    }


def _set(obj: models.Model, row: dict[str, Any]) -> None:
    for field in obj._meta.concrete_fields:
        if field.attname in row:
            setattr(obj, field.attname, _python(field, row[field.attname]))


def snapshot(
    workspace: Workspace,
    touched: Sequence[Problem],
    evidence_ids: Iterable[int] = (),
    *,
    whole: bool = True,
    refreshed: bool = True,
) -> dict[str, Any]:
    """What an edit of `touched` problems and of `evidence_ids` (wherever they are placed) is
    about to change, as JSON. `whole`: the edit changes every item of the touched problems (a
    merge or split makes all of them the PM's placement), not only `evidence_ids`;
    `refreshed`: the other problems' titles and scores are refreshed after it."""
    pks = [problem.pk for problem in touched]
    evidence_ids = list(evidence_ids)
    where = models.Q(evidence_id__in=evidence_ids)
    if whole:
        where |= models.Q(problem_id__in=pks)
    links = ProblemEvidence.objects.filter(where)
    # Grouped by (problem, placed by): a list of ids each, so that the record of a merge of
    # two 10,000-item problems stays a few hundred KB (bench/synthesis/edits.py). Vector keys
    # follow from the texts, which no edit changes, so they are not kept; which items repeat a
    # conversation is.
    groups: dict[tuple[int, str], list[int]] = {}
    repeats: dict[str, int] = {}
    for ev, problem, placed_by, duplicate_of in links.values_list(
        "evidence_id", "problem_id", "placed_by", "duplicate_of_id"
    ):
        groups.setdefault((problem, placed_by), []).append(ev)
        if duplicate_of is not None:
            repeats[str(ev)] = duplicate_of
    placed = [[problem, placed_by, ids] for (problem, placed_by), ids in groups.items()]
    pointers = []
    for model, field in links_to_problems():
        attname = f"{field}_id"
        for row in model._default_manager.filter(**{f"{attname}__in": pks}):
            pointers.append({"model": model._meta.label, "field": attname, "row": _row(row)})
    others = Problem.objects.filter(workspace=workspace).exclude(pk__in=pks).only(*REFRESHED)
    if not refreshed:
        others = others.none()
    return {
        "problems": [_row(problem) for problem in Problem.objects.filter(pk__in=pks)],
        "placed": placed,
        "repeats": repeats,
        "unplaced": sorted(set(evidence_ids) - {ev for ids in groups.values() for ev in ids}),
        "pointers": pointers,
        "others": [{"id": p.pk, **_row(p, REFRESHED)} for p in others],
        "created": [],
    }


def record(
    workspace: Workspace,
    kind: EditKind,
    summary: str,
    before: dict[str, Any],
    by: Member | None,
    created: Sequence[Problem] = (),
) -> ProblemEdit:
    """Add an edit to the history; only the latest UNDOABLE keep what undo needs."""
    before["created"] = [problem.pk for problem in created]
    edit = ProblemEdit.objects.create(
        workspace=workspace, kind=kind, summary=summary[:600], made_by=by, before=before
    )
    stale = ProblemEdit.objects.filter(workspace=workspace).exclude(before={})
    old = list(stale.values_list("pk", flat=True)[UNDOABLE:])
    if old:
        ProblemEdit.objects.filter(pk__in=old).update(before={})
    return edit


def latest_undoable(workspace: Workspace) -> ProblemEdit | None:
    """The edit undo would take back now, if any."""
    edit = ProblemEdit.objects.filter(workspace=workspace, undone_at=None).first()
    if edit is None or not edit.before or _regrouped_since(edit):
        return None
    return edit


def _regrouped_since(edit: ProblemEdit) -> bool:
    return SynthesisRun.objects.filter(
        workspace_id=edit.workspace_id, mode="full", started_at__gt=edit.made_at
    ).exists()


def _synthesized_since(edit: ProblemEdit) -> bool:
    return SynthesisRun.objects.filter(
        workspace_id=edit.workspace_id,
        mode__in=("full", "incremental"),
        started_at__gt=edit.made_at,
    ).exists()


def check_undoable(edit: ProblemEdit) -> None:
    if edit.undone_at is not None:
        raise UndoError("This edit has been undone already.")
    later = ProblemEdit.objects.filter(workspace_id=edit.workspace_id, undone_at=None)
    latest = later.first()
    if latest is not None and latest.pk != edit.pk:
        raise UndoError(
            f"Later edits come first: undo “{latest.summary}” before this one, latest first."
        )
    if not edit.before:
        raise UndoError(
            f"Only the latest {UNDOABLE} edits of a workspace can be undone; this one is older."
        )
    if _regrouped_since(edit):
        raise UndoError(
            "A full synthesis has regrouped the evidence since this edit, so there is no "
            "earlier state to go back to; make the opposite edit by hand instead."
        )


def undo(edit: ProblemEdit, by: Member | None) -> bool:
    """Put back what `edit` changed. Returns whether the titles, quotes and scores were restored
    as they were (True) or need the refresh an edit runs, which the caller starts (False:
    evidence has been synthesized since)."""
    with transaction.atomic():
        # Locked and read again: two people pressing undo at once take back one edit.
        locked = ProblemEdit.objects.select_for_update().filter(pk=edit.pk).first()
        if locked is None:
            raise UndoError("This edit is no longer in the history.")
        edit.undone_at, edit.before = locked.undone_at, locked.before
        check_undoable(edit)
        before = edit.before
        exact = not _synthesized_since(edit)
        rows = {row["id"]: row for row in before["problems"]}
        home = next(iter(rows), None)
        created = [pk for pk in before["created"] if pk not in rows]
        _restore_problems(edit.workspace_id, rows)
        _restore_placement(before, created, home)
        _restore_pointers(before["pointers"], created, home)
        Problem.objects.filter(pk__in=created, workspace_id=edit.workspace_id).delete()
        if exact:
            _restore_others(edit.workspace_id, before["others"])
        edit.undone_at = timezone.now()
        edit.undone_by = by
        edit.before = {}
        edit.save(update_fields=["undone_at", "undone_by", "before"])
    return exact


def _restore_problems(workspace_id: int, rows: dict[int, dict[str, Any]]) -> None:
    existing = {p.pk: p for p in Problem.objects.filter(workspace_id=workspace_id, pk__in=rows)}
    for pk, row in rows.items():
        problem = existing.get(pk)
        if problem is None:
            problem = Problem()
            _set(problem, row)
            problem.save(force_insert=True)
        else:
            _set(problem, {k: v for k, v in row.items() if k in TOUCHED})
            problem.save(update_fields=list(TOUCHED))


def _restore_placement(before: dict[str, Any], created: list[int], home: int | None) -> None:
    """Each item of the snapshot back in its problem, placed as it was; an item the edit
    placed from nowhere out of problems again. Only what differs is written: undoing the merge
    of two 10,000-item problems is a few grouped updates, not 20,000 rows one by one."""
    placed = {
        ev: (problem, placed_by) for problem, placed_by, ids in before["placed"] for ev in ids
    }
    repeats = {int(ev): of for ev, of in before["repeats"].items()}
    ProblemEvidence.objects.filter(evidence_id__in=before["unplaced"]).delete()
    now = {
        ev: (problem, placed_by, duplicate_of)
        for ev, problem, placed_by, duplicate_of in ProblemEvidence.objects.filter(
            evidence_id__in=list(placed)
        ).values_list("evidence_id", "problem_id", "placed_by", "duplicate_of_id")
    }
    groups: dict[tuple[int, str], list[int]] = {}
    derived: list[int] = []
    missing = []
    for ev, was in placed.items():
        if ev not in now:
            missing.append(ev)
            continue
        if now[ev][:2] != was:
            groups.setdefault(was, []).append(ev)
        if now[ev][2] != repeats.get(ev):
            derived.append(ev)
    for (problem, placed_by), ids in groups.items():
        for start in range(0, len(ids), BATCH):
            ProblemEvidence.objects.filter(evidence_id__in=ids[start : start + BATCH]).update(
                problem_id=problem, placed_by=placed_by
            )
    # Which items repeat a conversation is the refresh's to say; few differ after an edit.
    rows = list(ProblemEvidence.objects.filter(evidence_id__in=derived))
    for row in rows:
        row.duplicate_of_id = repeats.get(row.evidence_id)
    ProblemEvidence.objects.bulk_update(rows, ["duplicate_of_id"], batch_size=500)
    # Rows the edit deleted (a move recreates those it moves) come back; their vector keys are
    # filled by the refresh, as after the edit.
    ProblemEvidence.objects.bulk_create(
        [
            ProblemEvidence(
                evidence_id=ev,
                problem_id=placed[ev][0],
                placed_by=placed[ev][1],
                duplicate_of_id=repeats.get(ev),
            )
            for ev in missing
        ],
        batch_size=BATCH,
    )
    if created and home is not None:
        # Evidence placed in a split's new problem since the split stays in a problem: the one
        # it was split from.
        ProblemEvidence.objects.filter(problem_id__in=created).update(problem_id=home)


def _restore_pointers(pointers: list[dict[str, Any]], created: list[int], home: int | None) -> None:
    for pointer in pointers:
        model = apps.get_model(pointer["model"])
        row, field = pointer["row"], pointer["field"]
        found = model._default_manager.filter(pk=row["id"]).first()
        try:
            with transaction.atomic():
                if found is None:
                    # The edit deleted it: the same link to the merged problem existed already.
                    obj = model()
                    _set(obj, row)
                    obj.save(force_insert=True)
                elif getattr(found, field) != row[field]:
                    setattr(found, field, row[field])
                    found.save(update_fields=[field])
        except IntegrityError:
            pass  # the link is there already, as it was
    if created and home is not None:
        # What was linked to a split's new problem since the split follows its evidence home.
        from problemspace.problems.edits import repoint_links

        gone = list(Problem.objects.filter(pk__in=created))
        target = Problem.objects.filter(pk=home).first()
        if target is not None:
            repoint_links(gone, target)


def _restore_others(workspace_id: int, others: list[dict[str, Any]]) -> None:
    rows = {row["id"]: row for row in others}
    problems = list(Problem.objects.filter(workspace_id=workspace_id, pk__in=rows))
    for problem in problems:
        _set(problem, rows[problem.pk])
    Problem.objects.bulk_update(problems, list(REFRESHED), batch_size=500)


def history(workspace: Workspace, limit: int = 50) -> list[ProblemEdit]:
    return list(
        ProblemEdit.objects.filter(workspace=workspace).select_related(
            "made_by__user", "undone_by__user"
        )[:limit]
    )


__all__ = [
    "UNDOABLE",
    "UndoError",
    "check_undoable",
    "history",
    "latest_undoable",
    "record",
    "snapshot",
    "undo",
]
