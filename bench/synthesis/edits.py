"""Edits to large problems: how long a PM waits for a merge, a split and an undo.

    .venv/bin/python bench/synthesis/edits.py [--items 10000] [--skip-postgres]

For SQLite and PostgreSQL, in a fresh database: a workspace of two problems of `--items`
items each and eight of 250, as a synthesis leaves them (real vectors from the synthesis
model for the item texts' phrases, cached as synthesis caches them; titles, quotes and scores
from the real refresh). Then, each timed as the page's request waits for it:

1. merge one large problem into the other (problems/edits.py: the evidence moves, the links
   follow, the edit is recorded with what undo needs; the refresh of titles and scores goes
   to a background job in a workspace of more than edits.INLINE_REFRESH items);
2. undo that merge (problems/history.py);
3. split half of a large problem off;
4. the refresh the background job runs after each, timed apart.

Figures go to bench/out/edits.json; docs/benchmarks.md quotes them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from common import PYTHON, fresh_postgres, machine, save, table  # noqa: E402

SMALL = 250


def child(items: int) -> dict[str, float | int]:
    """Runs in a process of its own, with DATABASE_URL and PROBLEMSPACE_HOME set."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "problemspace.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    sys.path.insert(0, str(HERE.parent / "import"))
    sys.path.insert(0, str(HERE.parent / "web"))
    from datetime import UTC, datetime, timedelta

    from django.contrib.auth.models import User
    from django.db import connection
    from make_csv import PHRASES
    from problems_fixture import give_vectors

    from problemspace.customers.models import Account
    from problemspace.evidence.models import Evidence
    from problemspace.jobs.models import Job
    from problemspace.problems import edits, history
    from problemspace.problems.models import Problem, ProblemEvidence, RunStatus, SynthesisRun
    from problemspace.problems.services import synthesize_workspace
    from problemspace.workspaces.models import Member, Role, Workspace

    workspace = Workspace.objects.create(name="Bench", slug="bench")
    user = User.objects.create_user("pm@example.org", "pm@example.org", "x")
    member = Member.objects.create(workspace=workspace, user=user, role=Role.EDITOR)
    accounts = Account.objects.bulk_create(
        [Account(workspace=workspace, name=f"Account {n}") for n in range(400)]
    )
    sizes = [items, items] + [SMALL] * 8
    start = datetime(2026, 1, 5, tzinfo=UTC)
    rows = [
        Evidence(
            workspace=workspace,
            text=f"{PHRASES[group]} (ref {group}-{n})",
            occurred_at=start + timedelta(minutes=7 * n),
            channel="support",
            account=accounts[(n * 7 + group) % len(accounts)],
        )
        for group, size in enumerate(sizes)
        for n in range(size)
    ]
    Evidence.objects.bulk_create(rows, batch_size=2000)
    problems = [
        Problem.objects.create(workspace=workspace, title=PHRASES[group])
        for group in range(len(sizes))
    ]
    with connection.cursor() as cursor:
        for group, problem in enumerate(problems):
            cursor.execute(
                "INSERT INTO problems_problemevidence (problem_id, evidence_id, placed_by, "
                "vector_key) SELECT %s, id, 'synthesis', '' FROM evidence_evidence "
                "WHERE workspace_id = %s AND text LIKE %s",
                [problem.pk, workspace.pk, PHRASES[group] + " (ref%"],
            )
    model_id = give_vectors(workspace, problems)
    SynthesisRun.objects.create(
        workspace=workspace,
        mode="full",
        status=RunStatus.DONE,
        model_id=model_id,
        finished_at=datetime.now(UTC),
        counts={},
    )
    refresh = _timed(lambda: synthesize_workspace(workspace, refresh_only=True))
    first, second = Problem.objects.filter(pk__in=[problems[0].pk, problems[1].pk])
    total = Evidence.objects.filter(workspace=workspace).count()

    merge = _timed(lambda: edits.merge(first, [second], by=member))
    queued = Job.objects.filter(workspace=workspace, kind="refresh", state="queued").count()
    merged_size = ProblemEvidence.objects.filter(problem=first).count()
    refresh_after_merge = _timed(lambda: synthesize_workspace(workspace, refresh_only=True))
    edit = history.latest_undoable(workspace)
    assert edit is not None
    before_bytes = len(json.dumps(edit.before))
    undo = _timed(lambda: edits.undo(edit, by=member))
    restored = ProblemEvidence.objects.filter(problem_id=second.pk).count()
    refresh_after_undo = _timed(lambda: synthesize_workspace(workspace, refresh_only=True))
    half = list(
        ProblemEvidence.objects.filter(problem=first).values_list("evidence_id", flat=True)[
            : items // 2
        ]
    )
    split = _timed(lambda: edits.split(first, half, "Half of it", by=member))
    return {
        "items_in_workspace": total,
        "inline_refresh_limit": edits.INLINE_REFRESH,
        "refresh_s": refresh,
        "merge_s": merge,
        "merged_problem_items": merged_size,
        "refresh_jobs_queued": queued,
        "refresh_after_merge_s": refresh_after_merge,
        "undo_record_bytes": before_bytes,
        "undo_s": undo,
        "restored_items": restored,
        "refresh_after_undo_s": refresh_after_undo,
        "split_s": split,
    }


def _timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return round(time.perf_counter() - start, 3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.items)))
        return
    results: dict[str, object] = {"machine": machine(), "items_per_large_problem": args.items}
    databases = [("SQLite", "")]
    if not args.skip_postgres:
        databases.append(("PostgreSQL", fresh_postgres("problemspace_bench_edits")))
    for name, url in databases:
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "PROBLEMSPACE_HOME": home, "DATABASE_URL": url}
            env["HF_HUB_OFFLINE"] = "1"
            done = subprocess.run(
                [str(PYTHON), __file__, "--child", "--items", str(args.items)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                print(done.stdout, done.stderr, sep="\n")
                raise SystemExit(f"{name}: the benchmark failed")
            results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    rows = []
    for name, _ in databases:
        r = results[name]
        assert isinstance(r, dict)
        rows.append(
            [
                name,
                f"{r['items_in_workspace']:,}",
                f"{r['merge_s']:.2f}",
                f"{r['undo_s']:.2f}",
                f"{r['split_s']:.2f}",
                f"{r['refresh_after_merge_s']:.1f}",
                f"{r['undo_record_bytes'] / 1e6:.1f}",
            ]
        )
    print(
        table(
            [
                "database",
                "items",
                "merge (s)",
                "undo (s)",
                "split (s)",
                "refresh in background (s)",
                "undo record (MB)",
            ],
            rows,
        )
    )
    print(f"wrote {save('edits', results)}")


if __name__ == "__main__":
    main()
