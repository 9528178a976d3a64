"""Feedback-kinds benchmark (issue 13): is praise kept out of the ranking, on real feedback?

    .venv/bin/python bench/kinds/run.py [--skip-cli]

Two parts, both on real feedback the classifier was not trained on (labelled.py):

1. **Kinds.** Per-kind precision and recall on the reviews of the test apps (with and without
   their stars) and on the Firefox forum, for three deciders: the baseline (the rule ranking
   used before kinds: synthesis/praise.py, VADER plus cue words, praise or not), the rules
   problemspace falls back on without the model (kinds.rule_kind), and the shipped classifier
   (kinds.classify with the packaged weights).
2. **Through the CLI, with the model.** Every review of the test apps (the labelled ones and
   the rest of the pool, about 2,500) goes through `problemspace init`, `import`,
   `synthesize` and `problems --format json` in a fresh PROBLEMSPACE_HOME, once with the star
   column and once without. Reported: the share of labelled problems and requests that land in
   a ranked problem (target >= 90%), the share of plain praise that does (target <= 10%,
   <= 5% with stars), and the top of the ranking, to read as a PM would.

Figures go to bench/out/kinds.json; docs/benchmarks.md quotes them.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import labelled  # noqa: E402
from vectors import embed_essences  # noqa: E402

from common import machine, run_measured, save  # noqa: E402
from problemspace.synthesis.kinds import KINDS, RANKED, classify, rule_kind  # noqa: E402
from problemspace.synthesis.praise import is_praise  # noqa: E402

ROOT = HERE.parent.parent
PROBLEMSPACE = ROOT / ".venv" / "bin" / "problemspace"
Decider = Callable[[Sequence[labelled.Labelled]], list[str]]


def baseline(items: Sequence[labelled.Labelled]) -> list[str]:
    """The rule before kinds: praise or not (everything else was grouped as a problem)."""
    return ["praise" if is_praise(item.text) else "problem" for item in items]


def rules(with_scores: bool) -> Decider:
    def decide(items: Sequence[labelled.Labelled]) -> list[str]:
        return [rule_kind(item.text, item.score if with_scores else None).kind for item in items]

    return decide


def model(with_scores: bool) -> Decider:
    def decide(items: Sequence[labelled.Labelled]) -> list[str]:
        vectors = embed_essences([item.text for item in items])
        verdicts = classify(
            [item.text for item in items],
            vectors,
            [item.score if with_scores else None for item in items],
            model_id="all-MiniLM-L6-v2-int8",
            channels=[item.channel for item in items],
        )
        return [verdict.kind for verdict in verdicts]

    return decide


# Praise by length: short praise is mostly plain ("Great app", "Works as advertised"); long
# praise mostly describes what it likes, which reads closer to a request or a problem.
LENGTHS = ((0, 8), (8, 20), (20, 10_000))


def report(
    truth: Sequence[str], found: Sequence[str], words: Sequence[int] | None = None
) -> dict[str, Any]:
    """Precision and recall per kind, the two shares the issue sets targets on, and the share
    of praise ranked by length in words."""
    out: dict[str, Any] = {"items": len(truth), "kinds": {}}
    for kind in KINDS:
        said = sum(1 for f in found if f == kind)
        real = sum(1 for t in truth if t == kind)
        hit = sum(1 for t, f in zip(truth, found, strict=True) if t == f == kind)
        out["kinds"][kind] = {
            "support": real,
            "precision": hit / said if said else None,
            "recall": hit / real if real else None,
        }
    actionable = [f for t, f in zip(truth, found, strict=True) if t in ("problem", "request")]
    praise = [f for t, f in zip(truth, found, strict=True) if t == "praise"]
    out["actionable_ranked"] = sum(f in RANKED for f in actionable) / max(len(actionable), 1)
    out["praise_ranked"] = sum(f in RANKED for f in praise) / max(len(praise), 1)
    if words is not None:
        out["praise_ranked_by_words"] = {}
        for low, high in LENGTHS:
            band = [
                f in RANKED
                for t, f, n in zip(truth, found, words, strict=True)
                if t == "praise" and low <= n < high
            ]
            name = f"{low}-{high - 1}" if high < LENGTHS[-1][1] else f"{low}+"
            out["praise_ranked_by_words"][name] = {
                "praise": len(band),
                "ranked": sum(band) / len(band) if band else None,
            }
    out["ranked_or_aside_accuracy"] = sum(
        (t in RANKED) == (f in RANKED) for t, f in zip(truth, found, strict=True)
    ) / max(len(truth), 1)
    return out


def kinds_part() -> dict[str, Any]:
    _, reviews = labelled.reviews()
    firefox = labelled.source("tizard_firefox")
    sets: list[tuple[str, list[labelled.Labelled], list[tuple[str, Decider]]]] = [
        (
            "reviews (test apps)",
            reviews,
            [
                ("baseline rule", baseline),
                ("rules, no stars", rules(False)),
                ("rules, stars", rules(True)),
                ("model, no stars", model(False)),
                ("model, stars", model(True)),
            ],
        ),
        (
            "Firefox forum",
            firefox,
            [("baseline rule", baseline), ("rules", rules(False)), ("model", model(False))],
        ),
    ]
    results: dict[str, Any] = {}
    for name, items, deciders in sets:
        truth = [item.kind for item in items]
        print(f"\n{name}: {len(items)} items, {dict(Counter(truth))}")
        print(
            f"  {'decider':<18}"
            + "".join(f"{kind + ' P/R':>18}" for kind in KINDS)
            + f"{'actionable in':>15}{'praise in':>11}"
        )
        results[name] = {}
        words = [len(item.text.split()) for item in items]
        for label, decide in deciders:
            figures = report(truth, decide(items), words)
            results[name][label] = figures
            cells = []
            for kind in KINDS:
                k = figures["kinds"][kind]
                p = "-" if k["precision"] is None else f"{k['precision']:.2f}"
                r = "-" if k["recall"] is None else f"{k['recall']:.2f}"
                cells.append(f"{p + ' / ' + r:>18}")
            print(
                f"  {label:<18}"
                + "".join(cells)
                + f"{figures['actionable_ranked']:>15.1%}{figures['praise_ranked']:>11.1%}"
            )
        for label in results[name]:
            bands = results[name][label]["praise_ranked_by_words"]
            if any(band["praise"] for band in bands.values()):
                print(
                    f"  {label:<18} praise ranked by length: "
                    + ", ".join(
                        f"{words} words {band['ranked']:.1%} of {band['praise']}"
                        for words, band in bands.items()
                        if band["praise"]
                    )
                )
    return results


def _pool_of_test_apps() -> list[dict[str, str]]:
    _, test = labelled.reviews()
    apps = {item.app for item in test}
    with (labelled.DATA / "to_label" / "urr_reviews.csv").open(encoding="utf-8") as f:
        return [
            row
            for row in csv.DictReader(f)
            if row["label"].split(";")[0].removeprefix("app=") in apps
        ]


def _write_import(rows: list[dict[str, str]], path: Path, stars: bool) -> None:
    """The reviews as a review site's CSV export: id, date, review, and the stars."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["review_id", "date", "review", *(["rating"] if stars else [])])
        for n, row in enumerate(rows):
            # The pool has no dates: one review an hour, ending a few days ago.
            day = f"2026-{1 + n // 700 % 10:02d}-{1 + n // 24 % 28:02d}T{n % 24:02d}:00:00Z"
            writer.writerow([row["id"], day, row["text"], *([row["rating"]] if stars else [])])


def praise_sublabels() -> dict[str, str]:
    """Each praise review of the test apps as plain ("Great app", "Can't live without it") or
    describing what it likes ("Syncs my calendar with no fuss"): labelled afterwards, from the
    text alone, without the classifier's decisions (labelling/GUIDELINES.md)."""
    with (HERE / "labelling" / "praise_sublabels.csv").open(encoding="utf-8") as f:
        return {row["id"]: row["sublabel"] for row in csv.DictReader(f)}


def cli_part(stars: bool) -> dict[str, Any]:
    rows = _pool_of_test_apps()
    _, test = labelled.reviews()
    truth = {item.id: item.kind for item in test}
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PROBLEMSPACE_HOME": home, "DATABASE_URL": ""}
        data = Path(home) / "reviews.csv"
        _write_import(rows, data, stars)
        steps: dict[str, float] = {}

        def step(name: str, *args: str) -> str:
            measured = run_measured([str(PROBLEMSPACE), *args], env)
            if measured.returncode:
                raise SystemExit(f"{name} failed:\n{measured.stdout}\n{measured.stderr}")
            steps[name] = round(measured.seconds, 1)
            return measured.stdout

        step("init", "init", "--workspace", "Reviews")
        step("import", "import", str(data), "--channel", "review", "--source", "play")
        synthesized = step("synthesize", "synthesize")
        ranked = json.loads(step("problems", "problems", "--format", "json", "--limit", "100000"))
        valued = json.loads(
            step("praise", "problems", "--praise", "--format", "json", "--limit", "100000")
        )
    in_ranked = {ref["external_id"] for p in ranked for ref in p["external_ids"]}
    landed = {kind: [i in in_ranked for i, k in truth.items() if k == kind] for kind in KINDS}
    actionable = landed["problem"] + landed["request"]
    sub = praise_sublabels()
    plain = [i in in_ranked for i, k in truth.items() if k == "praise" and sub[i] == "plain"]
    describes = [i in in_ranked for i, k in truth.items() if k == "praise" and sub[i] != "plain"]
    figures = {
        "stars": stars,
        "reviews": len(rows),
        "labelled": len(truth),
        "seconds": steps,
        "synthesize_output": synthesized.strip(),
        "ranked_problems": len(ranked),
        "praise_groups": len(valued),
        "actionable_in_ranking": sum(actionable) / len(actionable),
        "praise_in_ranking": sum(landed["praise"]) / len(landed["praise"]),
        "plain_praise_in_ranking": sum(plain) / len(plain),
        "describing_praise_in_ranking": sum(describes) / len(describes),
        "by_kind_in_ranking": {k: sum(v) / len(v) if v else None for k, v in landed.items()},
        "top": [
            {"title": p["title"], "explanation": p["explanation"], "kinds": p.get("kinds")}
            for p in ranked[:10]
        ],
    }
    print(
        f"\nThrough the CLI, {len(rows):,} reviews ({'with' if stars else 'without'} stars): "
        f"{len(ranked)} ranked problems, {len(valued)} praise groups; "
        f"{figures['actionable_in_ranking']:.1%} of problems and requests in the ranking, "
        f"{figures['praise_in_ranking']:.1%} of praise ({figures['plain_praise_in_ranking']:.1%} "
        f"of the {len(plain)} plain, {figures['describing_praise_in_ranking']:.1%} of the "
        f"{len(describes)} that describe what they like). Times: {steps}"
    )
    for n, problem in enumerate(figures["top"], start=1):
        print(f"  {n:>2}. {problem['title']}  ({problem['kinds']})")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-cli", action="store_true", help="only the kinds part")
    args = parser.parse_args()
    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine(), "kinds": kinds_part()}
    if not args.skip_cli:
        results["cli"] = [cli_part(stars=False), cli_part(stars=True)]
    results["seconds"] = round(time.perf_counter() - started, 1)
    save("kinds", results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
