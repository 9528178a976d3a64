"""Synthesis benchmark (issue 3): banking77 customer messages to problems, beside BERTopic.

    .venv/bin/python bench/synthesis/run.py [--device cpu|cuda] [--model full|int8]
        [--skip-bertopic] [--skip-large] [--large N]
        [--granularity broad|standard|detailed|fine]

Data: banking77 (see banking77.py for the citation and where it is looked for). Each heavy part
runs in a child process of its own, so a part's memory is its own:

- ours: load all-MiniLM-L6-v2 as the product does (default_embedder: the int8 model on ONNX
  Runtime on a CPU where it is installed, the full model on torch on a GPU; --model chooses),
  embed the 3,080 test messages, call
  `pipeline.synthesize` (whatever stages it runs today), call it three times more on the same
  vectors (re-synthesis from cached vectors; the median is reported), then k-means told k=77
  on the same vectors, as a reference given what synthesis must find by itself.
- bertopic: BERTopic with default settings, given the full model as a SentenceTransformer
  (torch), and `fit_transform(texts)`, so it embeds the texts itself; its wall time includes
  that.
- large: N lightly varied banking77 messages (banking77.large_set; default 100,000) embedded and
  synthesized as the product does: each distinct essence embedded once (the embedding cache is
  keyed by the hash of the text's essence, synthesis.clean: greetings and sign-offs left out),
  every item clustered.

Both embed what the product embeds, each text's essence (synthesis.clean.essence).

Synthesis cuts at --granularity (default fine: banking77's 77 intents are fine distinctions,
see docs/synthesis.md); the scores at every granularity are reported too.

Scores are against the banking77 intents, with scikit-learn: NMI (arithmetic mean) and ARI.
Items left unassigned (BERTopic's outliers, topic -1) count as one more label, "-1", as
they would be one more pile for the user to read. "peak MB" is the child's resident-memory
high-water mark during that step (the model and data it already holds included), reset
between steps through /proc/self/clear_refs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# src for machines where problemspace is not installed (the accelerator's copy of the tree).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import banking77
import hwu64

from common import machine, run_measured, save, table

SETS = {"banking77": lambda: banking77.read("test"), "hwu64": hwu64.read}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument(
        "--model",
        choices=["full", "int8"],
        help="full (torch) or int8 (ONNX Runtime, CPU); default: what the product picks",
    )
    parser.add_argument(
        "--data",
        choices=sorted(SETS),
        default="banking77",
        help="banking77's 3,080 test messages (77 intents) or HWU64's 11,036 (64 intents)",
    )
    parser.add_argument("--skip-bertopic", action="store_true")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--large", type=int, default=100_000, help="items in the large set")
    parser.add_argument(
        "--granularity",
        default="auto",
        help="the level synthesis cuts at (default: auto, the level docs/synthesis.md "
        "recommends for finding intents)",
    )
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.result.write_text(json.dumps(CHILDREN[args.child](args)))
        return
    steps = ["ours"]
    steps += [] if args.skip_bertopic else ["bertopic"]
    steps += [] if args.skip_large or args.data != "banking77" else ["large"]
    results = {step: run_child(step, args) for step in steps}
    report(results, args)


def run_child(step: str, args: argparse.Namespace) -> dict[str, Any]:
    print(f"running {step} ...", flush=True)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    with tempfile.TemporaryDirectory() as folder:
        result = Path(folder) / "result.json"
        command = [sys.executable, __file__, "--child", step, "--result", str(result)]
        command += ["--device", args.device, "--large", str(args.large)]
        command += ["--model", args.model] if args.model else []
        command += ["--granularity", args.granularity, "--data", args.data]
        measured = run_measured(command, env)
        if measured.returncode != 0:
            raise SystemExit(f"{step} failed:\n{measured.stderr}")
        out: dict[str, Any] = json.loads(result.read_text())
    out["child_seconds"] = round(measured.seconds, 1)
    out["child_peak_mb"] = round(measured.peak_mb)
    return out


# Children: each returns plain data for the JSON file.


def child_ours(args: argparse.Namespace) -> dict[str, Any]:
    test = SETS[args.data]()
    steps: dict[str, Any] = {}
    with step(steps, "model_load"):
        embedder = load_embedder(args.device, args.model)
    with step(steps, "embed"):
        vectors = embedder.embed(essences(test.texts))
    items = make_items(test.texts)
    with step(steps, "synthesize"):
        result = synthesize(items, vectors, embedder.model_id, args.granularity)
    # Re-synthesis is short and the machine is shared: three calls, the median reported.
    again = []
    for _ in range(3):
        with step(steps, "resynthesize"):
            synthesize(items, vectors, embedder.model_id, args.granularity)
        again.append(steps["resynthesize"])
    by_granularity = {
        name: scores(
            test.labels, labels_of(synthesize(items, vectors, embedder.model_id, name), len(items))
        )
        for name in granularities()
    }
    steps["resynthesize"] = {**sorted(again, key=lambda s: s["seconds"])[1], "runs": again}
    with step(steps, "kmeans_known_k"):
        kmeans = k_means(vectors, len(set(test.labels)))
    return {
        "items": len(items),
        "device": device_name(args.device),
        "model": embedder.model_id,
        "torch_threads": torch_threads(),
        "steps": steps,
        "texts_per_second": round(len(items) / steps["embed"]["seconds"]),
        "scores": scores(test.labels, labels_of(result, len(items))),
        "notes": result.notes,
        "kmeans_scores": scores(test.labels, kmeans),
        "granularity": args.granularity,
        "by_granularity": by_granularity,
    }


def child_bertopic(args: argparse.Namespace) -> dict[str, Any]:
    from bertopic import BERTopic

    test = SETS[args.data]()
    steps: dict[str, Any] = {}
    with step(steps, "model_load"):
        embedder = load_embedder(args.device, "full")
    with step(steps, "fit_transform"):
        topics, _ = BERTopic(embedding_model=embedder.model).fit_transform(test.texts)
    return {
        "items": len(test.texts),
        "steps": steps,
        "scores": scores(test.labels, [int(topic) for topic in topics]),
    }


def child_large(args: argparse.Namespace) -> dict[str, Any]:
    steps: dict[str, Any] = {}
    with step(steps, "make_set"):
        large = banking77.large_set(args.large)
    with step(steps, "model_load"):
        embedder = load_embedder(args.device, args.model)
    with step(steps, "embed"):
        # As the product's cache does: each distinct essence once (it is keyed by its hash).
        said = essences(large.texts)
        distinct = list(dict.fromkeys(said))
        row_of = {text: row for row, text in enumerate(distinct)}
        distinct_vectors = embedder.embed(distinct)
        vectors = distinct_vectors[[row_of[text] for text in said]]
    items = make_items(large.texts)
    with step(steps, "synthesize"):
        result = synthesize(items, vectors, embedder.model_id, args.granularity)
    return {
        "items": len(items),
        "distinct_texts": len(distinct),
        "device": device_name(args.device),
        "model": embedder.model_id,
        "torch_threads": torch_threads(),
        "steps": steps,
        "texts_per_second": round(len(distinct) / steps["embed"]["seconds"]),
        "scores": scores(large.labels, labels_of(result, len(items))),
        "notes": result.notes,
    }


CHILDREN: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "ours": child_ours,
    "bertopic": child_bertopic,
    "large": child_large,
}


# What the children share.


@contextlib.contextmanager
def step(steps: dict[str, Any], name: str) -> Iterator[None]:
    """Time the block and record this process's peak memory during it."""
    with contextlib.suppress(OSError):
        # Writing 5 resets the kernel's VmHWM for this process (Linux 4.0+).
        Path("/proc/self/clear_refs").write_text("5")
    cuda = _cuda()
    if cuda:
        cuda.synchronize()
        cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    yield
    if cuda:
        cuda.synchronize()
    steps[name] = {"seconds": round(time.perf_counter() - started, 2), "peak_mb": _peak_mb()}
    if cuda:
        steps[name]["gpu_peak_mb"] = round(cuda.max_memory_allocated() / 2**20)
    print(f"  {name}: {steps[name]}", file=sys.stderr, flush=True)


def _cuda() -> Any:
    torch = sys.modules.get("torch")
    return torch.cuda if torch is not None and torch.cuda.is_initialized() else None


def _peak_mb() -> int:
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def load_embedder(device: str, model: str | None) -> Any:
    """The embedder, with the libraries synthesis uses already imported.

    Loading torch and sentence-transformers imported scikit-learn (1-2 s) as a side effect, so
    with the full model synthesis never paid for it; the int8 model needs neither, and the
    import moved into the first synthesis. A worker imports once; it is counted here, with
    loading, whichever model runs.
    """
    import sklearn.feature_extraction.text  # noqa: F401
    import vaderSentiment.vaderSentiment  # noqa: F401

    from problemspace.synthesis.embedding import (
        QuantizedEmbedder,
        SentenceEmbedder,
        default_embedder,
    )

    if model == "int8":
        return QuantizedEmbedder()
    if model == "full" or device == "cuda":
        return SentenceEmbedder(device=device)
    return default_embedder()[0]


def essences(texts: Sequence[str]) -> list[str]:
    from problemspace.synthesis.clean import essence

    return [essence(text) for text in texts]


def make_items(texts: Sequence[str]) -> list[Any]:
    from problemspace.synthesis.items import Item

    when = datetime(2026, 11, 23, tzinfo=UTC)
    return [Item(id=i, text=text, occurred_at=when) for i, text in enumerate(texts)]


def synthesize(items: Sequence[Any], vectors: Any, model_id: str, granularity: str) -> Any:
    from problemspace.synthesis.cluster import ClusterSettings
    from problemspace.synthesis.pipeline import synthesize

    return synthesize(items, vectors, model_id=model_id, settings=ClusterSettings.at(granularity))


def granularities() -> list[str]:
    from problemspace.synthesis.cluster import GRANULARITY

    return list(GRANULARITY)


def labels_of(result: Any, count: int) -> list[int]:
    """One label per item (item ids are row numbers): its problem's number, or -1."""
    labels = [-1] * count
    for number, cluster in enumerate(result.clusters):
        for item_id in cluster.item_ids:
            labels[item_id] = number
    return labels


def k_means(vectors: Any, k: int) -> list[int]:
    from sklearn.cluster import KMeans

    return [int(label) for label in KMeans(k, n_init=10, random_state=0).fit_predict(vectors)]


def scores(truth: Sequence[str], predicted: Sequence[int]) -> dict[str, float | int]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    unassigned = sum(1 for label in predicted if label == -1)
    return {
        "nmi": round(float(normalized_mutual_info_score(truth, predicted)), 3),
        "ari": round(float(adjusted_rand_score(truth, predicted)), 3),
        "unassigned_share": round(unassigned / len(predicted), 4),
        "problems": len(set(predicted) - {-1}),
        "precision": round(assignment_precision(truth, predicted), 3),
    }


def assignment_precision(truth: Sequence[str], predicted: Sequence[int]) -> float:
    """The share of assigned items whose group's most common label is their own: how often an
    item a PM reads in a problem belongs there."""
    from collections import Counter, defaultdict

    groups: dict[int, list[str]] = defaultdict(list)
    for label, group in zip(truth, predicted, strict=True):
        if group != -1:
            groups[group].append(label)
    assigned = sum(len(members) for members in groups.values())
    right = sum(Counter(members).most_common(1)[0][1] for members in groups.values())
    return right / assigned if assigned else 0.0


def device_name(device: str) -> str:
    import torch

    if device == "cuda":
        return str(torch.cuda.get_device_name(0))
    return f"cpu ({os.cpu_count()} cores)"


def torch_threads() -> int:
    import torch

    return int(torch.get_num_threads())


# The parent's report.


def report(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    print()
    print(table(*side_by_side(results)))
    print()
    print(table(*ours_breakdown(results)))
    print()
    print(table(*granularity_rows(results)))
    print()
    print(table(*against_targets(results)))
    info = machine()
    device = results["ours"]["device"]
    info["device"] = device
    name = "synthesis" if args.data == "banking77" else f"synthesis-{args.data}"
    path = save(
        name, {"machine": info, "device": args.device, "data": args.data, "results": results}
    )
    print(f"\nwritten to {path}")


def side_by_side(results: dict[str, dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    headers = [
        "method",
        "items",
        "NMI",
        "ARI",
        "unassigned",
        "problems",
        "precision",
        "wall s",
        "peak MB",
    ]
    ours, rows = results["ours"], []
    steps = ours["steps"]
    wall = steps["embed"]["seconds"] + steps["synthesize"]["seconds"]
    peak = max(steps["embed"]["peak_mb"], steps["synthesize"]["peak_mb"])
    rows.append(score_row("problemspace (embed + synthesize)", ours, ours["scores"], wall, peak))
    if "bertopic" in results:
        fit = results["bertopic"]["steps"]["fit_transform"]
        rows.append(
            score_row(
                "BERTopic default (embeds itself)",
                results["bertopic"],
                results["bertopic"]["scores"],
                fit["seconds"],
                fit["peak_mb"],
            )
        )
    kmeans = steps["kmeans_known_k"]
    rows.append(
        score_row(
            "k-means told the number of intents (cached vectors)",
            ours,
            ours["kmeans_scores"],
            kmeans["seconds"],
            kmeans["peak_mb"],
        )
    )
    if "large" in results:
        large = results["large"]
        steps = large["steps"]
        wall = steps["embed"]["seconds"] + steps["synthesize"]["seconds"]
        peak = max(steps["embed"]["peak_mb"], steps["synthesize"]["peak_mb"])
        rows.append(score_row("problemspace, large set", large, large["scores"], wall, peak))
    return headers, rows


def score_row(
    name: str, result: dict[str, Any], score: dict[str, Any], seconds: float, peak: int
) -> list[str]:
    return [
        name,
        f"{result['items']:,}",
        f"{score['nmi']:.3f}",
        f"{score['ari']:.3f}",
        f"{score['unassigned_share']:.1%}",
        str(score["problems"]),
        f"{score['precision']:.3f}",
        f"{seconds:.1f}",
        f"{peak:,}",
    ]


def ours_breakdown(results: dict[str, dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    headers = ["problemspace step", "test set s", "test peak MB", "large set s", "large peak MB"]
    names = [
        ("model load", "model_load"),
        ("embed", "embed"),
        ("synthesize", "synthesize"),
        ("re-synthesize (cached vectors)", "resynthesize"),
    ]
    rows = []
    for label, key in names:
        row = [label]
        for name in ("ours", "large"):
            measured = results.get(name, {}).get("steps", {}).get(key)
            cells = [f"{measured['seconds']:.2f}", f"{measured['peak_mb']:,}"] if measured else []
            row += cells or ["-", "-"]
        rows.append(row)
    return headers, rows


def granularity_rows(results: dict[str, dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    headers = ["granularity (test set)", "NMI", "ARI", "unassigned", "problems", "precision"]
    rows = [
        [
            name,
            f"{s['nmi']:.3f}",
            f"{s['ari']:.3f}",
            f"{s['unassigned_share']:.1%}",
            str(s["problems"]),
            f"{s['precision']:.3f}",
        ]
        for name, s in results["ours"]["by_granularity"].items()
    ]
    return headers, rows


def against_targets(results: dict[str, dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    ours = results["ours"]
    steps = ours["steps"]
    embed, synth = steps["embed"]["seconds"], steps["synthesize"]["seconds"]
    rows = [
        ["NMI", ">= 0.82", f"{ours['scores']['nmi']:.3f}"],
        ["ARI", ">= 0.55", f"{ours['scores']['ari']:.3f}"],
        ["unassigned", "<= 5%", f"{ours['scores']['unassigned_share']:.1%}"],
        [
            "embed + synthesize",
            "<= 1.3 x embed",
            f"{(embed + synth) / embed:.2f} x ({embed + synth:.1f} s; embed "
            f"{embed:.1f} s, {ours['texts_per_second']} texts/s)",
        ],
        ["re-synthesis, cached vectors", "< 2 s", f"{steps['resynthesize']['seconds']:.2f} s"],
    ]
    if "large" in results:
        large = results["large"]
        steps = large["steps"]
        total = steps["embed"]["seconds"] + steps["synthesize"]["seconds"]
        rows.append(
            [
                f"{large['items']:,} items to problems",
                "< 300 s",
                f"{total:.0f} s (embed {steps['embed']['seconds']:.0f}, synthesize "
                f"{steps['synthesize']['seconds']:.0f}; peak "
                f"{max(steps['embed']['peak_mb'], steps['synthesize']['peak_mb']):,} MB)",
            ]
        )
    measured = f"measured ({ours['device']}, {ours.get('model', 'all-MiniLM-L6-v2')})"
    return ["target", "wanted", measured], rows


if __name__ == "__main__":
    main()
