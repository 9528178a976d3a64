"""Duplicate-problem suggestions (problems/duplicates.py): how often a suggested pair is one
problem, on the demo, whose evidence has a known story theme.

    .venv/bin/python bench/synthesis/duplicates.py [--seed 1729]

Builds the demo (seed 1729, today) in a fresh PROBLEMSPACE_HOME, synthesizes it with the model
at each granularity, and takes each ranked problem's theme as the one most of its evidence has
(demo/plan.py). Two problems of one theme are one problem told apart: a true duplicate. For
each similarity threshold between problem centres: how many pairs are suggested, how many of
them are true duplicates (precision), and how many of the true duplicates are suggested
(recall). Figures go to bench/out/duplicates.json; docs/benchmarks.md quotes them.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import machine, save, table

THRESHOLDS = (0.60, 0.65, 0.70, 0.75, 0.80)
GRANULARITIES = ("standard", "detailed")


def measure(seed: int) -> dict[str, Any]:
    import django
    import numpy as np

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from problemspace.demo.build import build_demo
    from problemspace.demo.plan import demo_plan
    from problemspace.problems.models import Problem, ProblemEvidence
    from problemspace.problems.services import synthesize_workspace

    call_command("migrate", verbosity=0)
    today = timezone.now().date()
    workspace = build_demo(seed, today=today)
    theme = {e.external_id: e.theme for e in demo_plan(seed, today).evidence}
    results: dict[str, Any] = {}
    for granularity in GRANULARITIES:
        synthesize_workspace(workspace, full=True, granularity=granularity)
        problems = list(Problem.objects.filter(workspace=workspace, dismissed=False, praise=False))
        themes = {}
        for problem in problems:
            ids = ProblemEvidence.objects.filter(problem=problem).values_list(
                "evidence__external_id", flat=True
            )
            themes[problem.pk] = Counter(theme.get(i or "", "?") for i in ids).most_common(1)[0][0]
        centres = {
            p.pk: np.frombuffer(bytes(p.centroid), dtype=np.float32) for p in problems if p.centroid
        }
        pairs = [
            (float(centres[a.pk] @ centres[b.pk]), themes[a.pk] == themes[b.pk])
            for a, b in itertools.combinations([p for p in problems if p.pk in centres], 2)
        ]
        true = sum(same for _, same in pairs)
        rows = []
        for threshold in THRESHOLDS:
            said = [same for similarity, same in pairs if similarity >= threshold]
            rows.append(
                {
                    "threshold": threshold,
                    "suggested": len(said),
                    "right": sum(said),
                    "precision": sum(said) / len(said) if said else None,
                    "recall": sum(said) / true if true else None,
                }
            )
        results[granularity] = {
            "problems": len(problems),
            "pairs": len(pairs),
            "true_duplicates": true,
            "thresholds": rows,
        }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1729)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["PROBLEMSPACE_HOME"] = home
        os.environ["DATABASE_URL"] = ""
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "problemspace.settings")
        results = measure(args.seed)
    for granularity, found in results.items():
        print(
            f"\n{granularity}: {found['problems']} ranked problems, {found['pairs']} pairs, "
            f"{found['true_duplicates']} of one theme"
        )
        print(
            table(
                ["similarity ≥", "suggested", "one theme", "precision", "recall"],
                [
                    [
                        f"{r['threshold']:.2f}",
                        str(r["suggested"]),
                        str(r["right"]),
                        "-" if r["precision"] is None else f"{r['precision']:.0%}",
                        "-" if r["recall"] is None else f"{r['recall']:.0%}",
                    ]
                    for r in found["thresholds"]
                ],
            )
        )
    save("duplicates", {"machine": machine(), "seed": args.seed, "results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
