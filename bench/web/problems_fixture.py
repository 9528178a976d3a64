"""Give the benchmark workspace problems, as a synthesis would leave them, without one.

Synthesizing 1,000,000 items is not what the web benchmark measures (bench/synthesis does),
and embedding a million texts would take this machine an hour. The benchmark CSV's texts are
built from ten phrases (bench/import/make_csv.py), so each item is given to the problem of the
phrase it starts with; scores, explanations, profiles and quotes are then computed by the real
code over the real evidence, and a synthesis run is recorded with the ranking, as
`problemspace synthesize` would.

Search by meaning needs what synthesis caches: a vector for every item and a centroid for
every problem, under the model the server will embed queries with. The ten phrases are
embedded by that real model; each item's vector is the normalised mean of its phrases'
vectors (what its text says, less its reference number), stored under the item's real cache
key, and each problem's centroid is its phrase's vector. So the database holds a million real
vectors, as large as after a synthesis, and search reads them as it would.

    PROBLEMSPACE_HOME=... DATABASE_URL=... python bench/web/problems_fixture.py WORKSPACE_SLUG
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "import"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "problemspace.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from make_csv import PHRASES  # noqa: E402

from problemspace.evidence.models import Evidence  # noqa: E402
from problemspace.problems import profile  # noqa: E402
from problemspace.problems.embeddings import embedding_key, to_bytes  # noqa: E402
from problemspace.problems.models import (  # noqa: E402
    Embedding,
    Problem,
    ProblemEvidence,
    RunStatus,
    SynthesisRun,
)
from problemspace.problems.services import load_items  # noqa: E402
from problemspace.synthesis.embedding import default_embedder, normalise  # noqa: E402
from problemspace.synthesis.score import ScoringContext, score_problem  # noqa: E402
from problemspace.workspaces.models import Workspace  # noqa: E402


def main() -> None:
    workspace = Workspace.objects.get(slug=sys.argv[1])
    now = timezone.now()
    with transaction.atomic():
        problems = [
            Problem.objects.create(workspace=workspace, title=phrase, created_at=now)
            for phrase in PHRASES
        ]
        table = ProblemEvidence._meta.db_table
        evidence = "evidence_evidence"
        with connection.cursor() as cursor:
            for problem, phrase in zip(problems, PHRASES, strict=True):
                cursor.execute(
                    f"INSERT INTO {table} (problem_id, evidence_id, placed_by, vector_key) "  # noqa: S608
                    f"SELECT %s, id, 'synthesis', '' FROM {evidence} "
                    "WHERE workspace_id = %s AND text LIKE %s",
                    [problem.pk, workspace.pk, phrase + "%"],
                )
    items = load_items(workspace)
    by_id = {item.id: item for item in items}
    today = datetime.now(UTC)
    context = ScoringContext.of(items, today, {})
    for problem in problems:
        ids = list(
            ProblemEvidence.objects.filter(problem=problem).values_list("evidence_id", flat=True)
        )
        score = score_problem([by_id[pk] for pk in ids], context, {}, None)
        problem.score = score.value
        problem.score_components = score.as_dict()
        problem.explanation = score.explain()
        problem.quote_ids = sorted(ids)[:3]
        problem.keywords = problem.title.lower().split()[:4]
        problem.profile = profile.build([by_id[pk] for pk in ids])
        problem.save()
    model_id = give_vectors(workspace, problems)
    ranking = list(
        Problem.objects.filter(workspace=workspace)
        .order_by("-pinned", "-score", "id")
        .values_list("pk", flat=True)
    )
    SynthesisRun.objects.create(
        workspace=workspace,
        mode="full",
        status=RunStatus.DONE,
        model_id=model_id,
        finished_at=timezone.now(),
        counts={"problems": len(problems), "items": len(items)},
        ranking=ranking,
    )
    print(f"{len(problems)} problems over {len(items):,} items")


def give_vectors(workspace: Workspace, problems: list[Problem]) -> str:
    embedder, _ = default_embedder()
    phrase_vectors = normalise(embedder.embed(PHRASES))
    for problem, vector in zip(problems, phrase_vectors, strict=True):
        problem.centroid = to_bytes(vector)
        problem.save(update_fields=["centroid"])
    index = {phrase: n for n, phrase in enumerate(PHRASES)}
    rows = Evidence.objects.filter(workspace=workspace).values_list("id", "text")
    batch: dict[str, bytes] = {}
    keys: list[tuple[str, int]] = []
    written = 0
    for pk, text in rows.iterator(chunk_size=10_000):
        body = text.rsplit(" (ref ", 1)[0]
        parts = [index[p] for p in body.split(". ") if p in index]
        vector = normalise(phrase_vectors[parts].mean(axis=0, keepdims=True))[0]
        key = embedding_key(text)
        batch[key] = to_bytes(vector)
        keys.append((key, pk))
        if len(batch) >= 20_000:
            written += _save_vectors(embedder.model_id, batch)
    written += _save_vectors(embedder.model_id, batch)
    # As synthesis keeps them when it places evidence (ProblemEvidence.vector_key).
    table = ProblemEvidence._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(keys), 50_000):
            cursor.executemany(
                f"UPDATE {table} SET vector_key = %s WHERE evidence_id = %s",  # noqa: S608
                keys[start : start + 50_000],
            )
    print(f"{written:,} vectors under {embedder.model_id}")
    return embedder.model_id


def _save_vectors(model_id: str, batch: dict[str, bytes]) -> int:
    Embedding.objects.bulk_create(
        [Embedding(model_id=model_id, content_hash=k, vector=v) for k, v in batch.items()],
        batch_size=900,
        ignore_conflicts=True,
    )
    count = len(batch)
    batch.clear()
    return count


if __name__ == "__main__":
    main()
