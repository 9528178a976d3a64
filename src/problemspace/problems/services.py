"""Running synthesis for a workspace and storing its result, respecting the PM's edits.

Two modes:

- full: everything not held by a PM decision is clustered again. New groups keep the identity
  (id, status, edited title) of the problem they mostly overlap, so links shared with
  colleagues keep working; groups close to a problem the PM has shaped (merged, pinned,
  dismissed) join it rather than reappearing as a new problem.
- incremental (the default once problems exist): only evidence not yet placed is looked at; it
  joins the closest problem, or forms new-problem candidates, without re-clustering anything.

Every run then refreshes each problem's centre, duplicates, title, keywords, quotes and score.

Embeddings are saved as they are computed (an interrupted run keeps them); everything else is
written in one transaction at the end, so an interrupted synthesis leaves the previous
results exactly as they were.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from problemspace.evidence.models import Evidence, Provenance, score_fraction
from problemspace.problems import profile
from problemspace.problems.embeddings import embed_with_cache, from_bytes, to_bytes
from problemspace.problems.models import (
    RECOMPUTED_FIELDS,
    PlacedBy,
    Problem,
    ProblemEvidence,
    RunStatus,
    SynthesisRun,
)
from problemspace.problems.queries import ranking_ids
from problemspace.synthesis.assign import assign, centroid
from problemspace.synthesis.cluster import DEFAULT_GRANULARITY, UNASSIGNED, ClusterSettings, cluster
from problemspace.synthesis.embedding import Embedder, default_embedder
from problemspace.synthesis.items import Item, Vectors
from problemspace.synthesis.kinds import OTHER, PRAISE, Verdict, classify, decider_id
from problemspace.synthesis.pipeline import describe
from problemspace.workspaces.models import Workspace

# A new group takes over an existing problem when they share at least this share of their
# combined evidence (Jaccard).
SAME_PROBLEM_OVERLAP = 0.3
# ...or, for problems the PM has shaped, when the group's centre is this close to theirs.
NEAR_SHAPED_PROBLEM = 0.75


@dataclass
class Progress:
    """Callbacks for a progress display; each is given a number of items just done."""

    start_embedding: Callable[[int], None] = lambda total: None
    embedded: Callable[[int], None] = lambda done: None
    stage: Callable[[str], None] = lambda name: None


@dataclass
class Plan:
    """Where each item should be after this run: evidence id -> problem key.

    A key is an existing problem's id, or a negative number for a problem to create.
    """

    placement: dict[int, int] = field(default_factory=dict)
    new_keys: list[int] = field(default_factory=list)
    candidates: set[int] = field(default_factory=set)  # new keys that are candidates
    retire: set[int] = field(default_factory=set)  # existing problem ids to delete


def load_items(workspace: Workspace) -> list[Item]:
    rows = (
        Evidence.objects.filter(workspace=workspace)
        .order_by("id")
        .values_list(
            "id",
            "text",
            "occurred_at",
            "provenance",
            "contact_id",
            "account_id",
            "account__segment",
            "account__revenue",
            "channel",
            "kind",
            "score",
            "score_scale",
        )
    )
    return [
        Item(
            id=pk,
            text=text,
            occurred_at=occurred_at,
            first_hand=provenance == Provenance.FIRST_HAND,
            contact=str(contact) if contact else None,
            account=str(account) if account else None,
            segment=segment or None,
            revenue=float(revenue) if revenue is not None else None,
            channel=channel,
            kind=kind,
            score=score_fraction(score, scale),
        )
        for (
            pk,
            text,
            occurred_at,
            provenance,
            contact,
            account,
            segment,
            revenue,
            channel,
            kind,
            score,
            scale,
        ) in rows.iterator(chunk_size=5000)
    ]


def synthesize_workspace(
    workspace: Workspace,
    *,
    full: bool = False,
    refresh_only: bool = False,
    embedder: Embedder | None = None,
    granularity: str | None = None,
    settings: ClusterSettings | None = None,
    progress: Progress | None = None,
) -> SynthesisRun:
    """Synthesize the workspace's evidence into problems; the run, done or failed, is returned.

    `granularity` (see synthesis.cluster.GRANULARITY) is kept from the last run when not given;
    a new one re-cuts everything (a full run), as the old problems were cut to the old one.
    `settings` overrides it, for tests and benchmarks.
    """
    progress = progress or Progress()
    notes: list[str] = []
    previous = last_granularity(workspace)
    last_decider = _last_done_counts(workspace).get("kinds")
    decider = last_decider
    granularity = granularity or previous
    settings = settings or ClusterSettings.at(granularity)
    if embedder is None:
        embedder, notes = default_embedder()
    has_problems = Problem.objects.filter(workspace=workspace, candidate=False).exists()
    full = full or granularity != previous
    mode = "refresh" if refresh_only else "full" if full or not has_problems else "incremental"
    run = SynthesisRun.objects.create(
        workspace=workspace, mode=mode, model_id=embedder.model_id, granularity=granularity
    )
    try:
        progress.stage("reading evidence")
        items = load_items(workspace)
        links = dict(
            ProblemEvidence.objects.filter(problem__workspace=workspace).values_list(
                "evidence_id", "problem_id"
            )
        )
        vectors, embedded, keys = _vectors(items, links, embedder, progress, refresh=refresh_only)
        verdicts: dict[int, Verdict] = {}
        if mode != "refresh":
            # After a PM's edit the kinds stay as they are: only evidence in problems has
            # vectors then.
            progress.stage("telling problems from praise and noise")
            decider = decider_id(embedder.model_id)
            items, verdicts = _with_kinds(
                workspace, items, vectors, embedder.model_id, again=decider != last_decider
            )
        progress.stage("grouping into problems")
        notes.extend(_input_notes(items))
        problems = {p.pk: p for p in Problem.objects.filter(workspace=workspace)}
        if mode == "full":
            plan = _full_plan(items, vectors, links, problems, settings)
        elif mode == "incremental":
            plan = _incremental_plan(items, vectors, links, problems, settings)
        else:
            # After a PM's edit: same placement, fresh titles, quotes and scores.
            plan = Plan(placement=dict(links))
        progress.stage("naming and scoring problems")
        with transaction.atomic():
            counts = _apply(
                workspace, items, vectors, keys, plan, problems, verdicts, full=mode == "full"
            )
            ranking = ranking_ids(workspace)
        counts["embedded"] = embedded
        counts["items"] = len(items)
        if items and not counts["problems"]:
            notes.append(
                "No problem emerged: the evidence is too little or too varied to group yet."
            )
        # What decided the kinds, so the next run decides again only under another decider.
        recorded: dict[str, Any] = {**counts, "kinds": decider}
    except BaseException as exc:
        # Ctrl-C included: the run is recorded as failed and nothing else has changed.
        run.finish(RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], notes=notes)
        raise
    run.finish(RunStatus.DONE, counts=recorded, notes=notes, ranking=ranking)
    return run


def _vectors(
    items: Sequence[Item],
    links: dict[int, int],
    embedder: Embedder,
    progress: Progress,
    *,
    refresh: bool,
) -> tuple[Vectors, int, dict[int, str]]:
    """Vectors for `items`, row by row, how many texts had to be embedded now, and the cache
    key of each item's vector (by evidence id).

    A refresh (after a PM's edit) only describes evidence that is in a problem, so only that
    is read from the cache: evidence imported since the last synthesis waits for the next
    one instead of being embedded inside the PM's request. Its rows stay zero, unused.
    """
    rows = [row for row, item in enumerate(items) if item.id in links] if refresh else None
    texts = [items[row].text for row in rows] if rows is not None else [i.text for i in items]
    progress.start_embedding(len(texts))
    found, embedded, hashes = embed_with_cache(texts, embedder, progress.embedded)
    ids = [items[row].id for row in rows] if rows is not None else [i.id for i in items]
    keys = dict(zip(ids, hashes, strict=True))
    if rows is None:
        return found, embedded, keys
    vectors = np.zeros((len(items), embedder.dimensions), dtype=np.float32)
    vectors[rows] = found
    return vectors, embedded, keys


def _with_kinds(
    workspace: Workspace,
    items: Sequence[Item],
    vectors: Vectors,
    model_id: str,
    *,
    again: bool,
) -> tuple[list[Item], dict[int, Verdict]]:
    """`items` with their kind decided (synthesis.kinds), and the verdicts made now.

    A person's correction is kept as it is. Items without a kind are decided; with `again`
    (another decider than the last run's: a new release's weights, or the model installed
    since) every other item is decided anew too, so a better classifier reaches old evidence.
    Otherwise their kinds stand: deciding 100,000 kinds reads every text's tone again.
    """
    corrected = set(
        Evidence.objects.filter(workspace=workspace, kind_corrected=True).values_list(
            "id", flat=True
        )
    )
    rows = [
        row
        for row, item in enumerate(items)
        if item.id not in corrected and (again or not item.kind)
    ]
    found = classify(
        [items[row].text for row in rows],
        vectors[rows],
        [items[row].score for row in rows],
        model_id=model_id,
        channels=[items[row].channel for row in rows],
    )
    out = list(items)
    changed: dict[int, Verdict] = {}
    for row, verdict in zip(rows, found, strict=True):
        item = items[row]
        out[row] = replace(item, kind=verdict.kind)
        changed[item.id] = verdict
    return out, changed


def _save_kinds(verdicts: dict[int, Verdict]) -> None:
    """Store the decided kinds: one UPDATE per (kind, confidence to two places) and chunk."""
    batches: dict[tuple[str, float], list[int]] = defaultdict(list)
    for evidence_id, verdict in verdicts.items():
        batches[(verdict.kind, round(verdict.confidence, 2))].append(evidence_id)
    for (kind, confidence), ids in batches.items():
        for start in range(0, len(ids), 900):
            Evidence.objects.filter(pk__in=ids[start : start + 900]).exclude(
                kind=kind, kind_confidence=confidence
            ).update(kind=kind, kind_confidence=confidence)


# Which problems an item may be grouped into: ranked problems, what customers value, or none.
RANKED_SIDE, PRAISE_SIDE = "ranked", "praise"


def _side(item: Item) -> str | None:
    if item.kind == OTHER:
        return None  # nothing said: set aside, in no problem
    return PRAISE_SIDE if item.kind == PRAISE else RANKED_SIDE


def _problem_side(problem: Problem) -> str:
    return PRAISE_SIDE if problem.praise else RANKED_SIDE


def _last_done_counts(workspace: Workspace) -> dict[str, Any]:
    run = (
        SynthesisRun.objects.filter(workspace=workspace, status=RunStatus.DONE)
        .order_by("-finished_at")
        .first()
    )
    return dict(run.counts) if run else {}


def last_granularity(workspace: Workspace) -> str:
    """The granularity of the workspace's last finished synthesis, or the default."""
    run = (
        SynthesisRun.objects.filter(workspace=workspace, status=RunStatus.DONE)
        .order_by("-finished_at")
        .first()
    )
    return run.granularity if run else DEFAULT_GRANULARITY


def _input_notes(items: Sequence[Item]) -> list[str]:
    if not items:
        return ["The workspace has no evidence yet: import or capture some, then synthesize."]
    if len(items) < 3:
        return [f"Only {len(items)} evidence item(s): a problem needs at least three."]
    if len({item.text.strip().lower() for item in items}) == 1:
        return ["Every evidence item has the same text: they make at most one problem."]
    return []


def _locked_ids(
    links: dict[int, int], problems: dict[int, Problem], pm_placed: set[int]
) -> set[int]:
    """Evidence a later synthesis must leave where it is."""
    held = {pk for pk, p in problems.items() if p.pinned or p.dismissed}
    return {ev for ev, problem in links.items() if ev in pm_placed or problem in held}


def _pm_placed(workspace_problems: Sequence[int]) -> set[int]:
    return set(
        ProblemEvidence.objects.filter(
            problem_id__in=workspace_problems, placed_by=PlacedBy.PM
        ).values_list("evidence_id", flat=True)
    )


def _full_plan(
    items: Sequence[Item],
    vectors: Vectors,
    links: dict[int, int],
    problems: dict[int, Problem],
    settings: ClusterSettings | None,
) -> Plan:
    plan = Plan()
    locked = _locked_ids(links, problems, _pm_placed(list(problems)))
    for ev in locked:
        plan.placement[ev] = links[ev]
    free = [i for i, item in enumerate(items) if item.id not in locked]
    groups = _cluster_by_side(items, vectors, free, settings)

    members: dict[int, set[int]] = defaultdict(set)
    for ev, owner in links.items():
        if ev not in locked:
            members[owner].add(ev)
    shaped = _shaped_centroids(items, vectors, locked, links, problems)
    taken: set[int] = set()
    # Biggest groups choose first: they are the most certain.
    for label in sorted(groups, key=lambda g: -len(groups[g])):
        rows = groups[label]
        ids = {items[row].id for row in rows}
        key = _match(ids, vectors[rows], members, shaped, taken)
        if key is None:
            key = -(len(plan.new_keys) + 1)
            plan.new_keys.append(key)
        else:
            taken.add(key)
        for ev in ids:
            plan.placement[ev] = key
    in_use = set(plan.placement.values())
    for pk, existing in problems.items():
        if pk not in in_use and not existing.touched_by_pm:
            plan.retire.add(pk)
    return plan


def _cluster_by_side(
    items: Sequence[Item], vectors: Vectors, rows: Iterable[int], settings: ClusterSettings | None
) -> dict[int, list[int]]:
    """Groups of `rows`: problems, requests and questions are clustered among themselves and
    praise among itself, so praise never joins a ranked problem; items with nothing said join
    no group."""
    by_side: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        side = _side(items[row])
        if side is not None:
            by_side[side].append(row)
    groups: dict[int, list[int]] = defaultdict(list)
    for side in (RANKED_SIDE, PRAISE_SIDE):
        members = by_side.get(side, [])
        if not members:
            continue
        labels = cluster(vectors[members], settings)
        offset = len(groups)
        for row, label in zip(members, labels, strict=True):
            if label != UNASSIGNED:
                groups[offset + int(label)].append(row)
    return groups


def _shaped_centroids(
    items: Sequence[Item],
    vectors: Vectors,
    locked: set[int],
    links: dict[int, int],
    problems: dict[int, Problem],
) -> dict[int, Vectors]:
    rows: dict[int, list[int]] = defaultdict(list)
    for row, item in enumerate(items):
        if item.id in locked:
            rows[links[item.id]].append(row)
    return {pk: centroid(vectors[r]) for pk, r in rows.items() if pk in problems}


def _match(
    ids: set[int],
    group_vectors: Vectors,
    members: dict[int, set[int]],
    shaped: dict[int, Vectors],
    taken: set[int],
) -> int | None:
    overlap: Counter[int] = Counter()
    for problem, evidence in members.items():
        if problem not in taken:
            shared = len(ids & evidence)
            if shared:
                overlap[problem] = shared
    for problem, shared in overlap.most_common(1):
        if shared / len(ids | members[problem]) >= SAME_PROBLEM_OVERLAP:
            return problem
    if shaped:
        keys = [pk for pk in shaped if pk not in taken]
        if keys:
            centre = centroid(group_vectors)
            similarity = np.stack([shaped[pk] for pk in keys]) @ centre
            best = int(np.argmax(similarity))
            if similarity[best] >= NEAR_SHAPED_PROBLEM:
                return keys[best]
    return None


def _incremental_plan(
    items: Sequence[Item],
    vectors: Vectors,
    links: dict[int, int],
    problems: dict[int, Problem],
    settings: ClusterSettings | None,
) -> Plan:
    plan = Plan(placement=dict(links))
    # Evidence synthesis placed whose kind no longer fits its problem (a person corrected it,
    # or the classifier changed its mind) is placed again, as if new.
    locked = _locked_ids(links, problems, _pm_placed(list(problems)))
    for item in items:
        owner = links.get(item.id)
        if (
            owner in problems
            and item.id not in locked
            and _side(item) != _problem_side(problems[owner])
        ):
            del plan.placement[item.id]
    new_rows = [row for row, item in enumerate(items) if item.id not in plan.placement]
    group_keys: dict[tuple[str, int], int] = {}
    for side in (RANKED_SIDE, PRAISE_SIDE):
        rows = [row for row in new_rows if _side(items[row]) == side]
        if rows:
            _place_new(items, vectors, rows, side, problems, settings, plan, group_keys)
    return plan


def _place_new(
    items: Sequence[Item],
    vectors: Vectors,
    rows: list[int],
    side: str,
    problems: dict[int, Problem],
    settings: ClusterSettings | None,
    plan: Plan,
    group_keys: dict[tuple[str, int], int],
) -> None:
    """New evidence of one side joins the closest problem of that side, or new candidates."""
    keys = [
        pk
        for pk, p in problems.items()
        if p.centroid is not None and not p.candidate and _problem_side(p) == side
    ]
    centroids = (
        np.stack([from_bytes(problems[pk].centroid or b"") for pk in keys])
        if keys
        else np.empty((0, vectors.shape[1]), dtype=np.float32)
    )
    joined, candidate = assign(vectors[rows], centroids, settings=settings)
    for row, problem_index, group in zip(rows, joined, candidate, strict=True):
        ev = items[row].id
        if problem_index != UNASSIGNED:
            plan.placement[ev] = keys[int(problem_index)]
        elif group != UNASSIGNED:
            if (side, int(group)) not in group_keys:
                key = -(len(plan.new_keys) + 1)
                plan.new_keys.append(key)
                plan.candidates.add(key)
                group_keys[(side, int(group))] = key
            plan.placement[ev] = group_keys[(side, int(group))]


def _apply(
    workspace: Workspace,
    items: Sequence[Item],
    vectors: Vectors,
    keys: dict[int, str],
    plan: Plan,
    problems: dict[int, Problem],
    verdicts: dict[int, Verdict],
    *,
    full: bool,
) -> dict[str, int]:
    now = timezone.now()
    pm_placed = _pm_placed(list(problems))
    Problem.objects.filter(pk__in=plan.retire).delete()
    created: dict[int, Problem] = {}
    for key in plan.new_keys:
        created[key] = Problem.objects.create(
            workspace=workspace,
            title="(untitled problem)",
            candidate=key in plan.candidates,
            created_at=now,
            updated_at=now,
        )
    placement = {
        ev: created[key].pk if key < 0 else key
        for ev, key in plan.placement.items()
        if key >= 0 or key in created
    }
    kept = {pk: p for pk, p in problems.items() if pk not in plan.retire}
    kept.update({p.pk: p for p in created.values()})

    by_problem: dict[int, list[int]] = defaultdict(list)
    row_of = {item.id: row for row, item in enumerate(items)}
    for ev, pk in placement.items():
        if ev in row_of:
            by_problem[pk].append(row_of[ev])
    descriptions = describe(items, vectors, by_problem)
    _save_kinds(verdicts)

    ProblemEvidence.objects.filter(problem__workspace=workspace).delete()
    ProblemEvidence.objects.bulk_create(
        [
            ProblemEvidence(
                problem_id=pk,
                evidence_id=ev,
                placed_by=PlacedBy.PM if ev in pm_placed else PlacedBy.SYNTHESIS,
                duplicate_of_id=descriptions.duplicate_of.get(ev),
                vector_key=keys.get(ev, ""),
            )
            for ev, pk in placement.items()
        ],
        batch_size=2000,
    )
    for pk, problem in kept.items():
        rows = by_problem.get(pk, [])
        found = descriptions.problems.get(pk)
        problem.centroid = to_bytes(centroid(vectors[rows])) if rows else None
        problem.profile = profile.build([items[row] for row in rows])
        if found is not None:
            if not problem.title_edited:
                problem.title = found.title
            problem.keywords = found.keywords
            problem.quote_ids = found.quote_ids
            problem.score = found.score
            problem.score_components = found.components
            problem.explanation = found.explanation
            problem.praise = found.praise
        else:
            problem.keywords, problem.quote_ids = [], []
            problem.score, problem.score_components, problem.explanation = 0.0, {}, "no evidence"
        if full and rows:
            # A full synthesis settles candidates: what still groups is a problem.
            problem.candidate = False
        problem.updated_at = now
    Problem.objects.bulk_update(
        list(kept.values()),
        [*RECOMPUTED_FIELDS, "profile", "centroid", "candidate"],
        batch_size=500,
    )
    return {
        "problems": sum(
            1 for p in kept.values() if not p.candidate and not p.dismissed and not p.praise
        ),
        "praise": sum(1 for p in kept.values() if p.praise and not p.candidate),
        "candidates": sum(1 for p in kept.values() if p.candidate),
        "new": len(plan.new_keys),
        "retired": len(plan.retire),
        "placed": len(placement),
        # Evidence that fits no problem yet, and evidence with nothing said (set aside, shown
        # apart in the inbox).
        "unassigned": sum(1 for item in items if item.id not in placement and item.kind != OTHER),
        "set_aside": sum(1 for item in items if item.id not in placement and item.kind == OTHER),
    }
