"""Train the feedback-kind classifier that ships with problemspace (synthesis/kinds.py).

    .venv/bin/python bench/kinds/train.py

Reads the training part of the labelled data (labelled.py: the team's examples, the VLC forum,
the reviews of two apps in three), embeds each text's essence with the model synthesis uses on
a CPU (all-MiniLM-L6-v2, int8), and fits logistic regressions (scikit-learn) over the vector,
the tone and the score (kinds.features) and the text's words and letter runs (grams.py, TF-IDF
with a vocabulary learnt here): one model for ranked or not, one for the kind. A rated item
is seen twice, with its score and without, so one model serves evidence with and without a
score.

The regularisation and the ranked thresholds are chosen on out-of-fold predictions, grouping
by app and source so that a fold never holds reviews of an app (nor a vocabulary learnt from
one) it is tested on: each threshold (one for items without a score, one for items with one)
is the highest that keeps 95% of their problems and requests in the ranking (a bug report lost
from view costs a PM more than one praise item too many), and the regularisation the one that
then ranks the least praise. The result is written, as plain arrays, to
src/problemspace/synthesis/data/kinds-all-MiniLM-L6-v2.npz.
"""

from __future__ import annotations

import sys
import zlib
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import labelled  # noqa: E402
from vectors import embed_essences  # noqa: E402

from problemspace.synthesis.grams import Grams  # noqa: E402
from problemspace.synthesis.kinds import (  # noqa: E402
    OTHER,
    RANKED,
    TEXT_FEATURES,
    WEIGHTS_FILE,
    KindModel,
    features,
    own_columns,
)

TARGET = HERE.parent.parent / "src" / "problemspace" / "synthesis" / "data" / WEIGHTS_FILE
# Out-of-fold share of problems and requests the threshold must keep in the ranking.
KEEP_ACTIONABLE = 0.95
# Regularisation tried for the ranked-or-not model; the kind model's is fixed.
C_GRID = (1.0, 2.0)
C_KINDS = 2.0
DIRECT_WEIGHT = 4.0


def rows(
    items: list[labelled.Labelled], vectors: npt.NDArray[np.float32]
) -> tuple[npt.NDArray[np.float64], list[str], list[int]]:
    """Feature rows for every item without its score, plus a row with it for rated items;
    each row's kind and the index of its item."""
    texts = [item.text for item in items]
    channels = [item.channel for item in items]
    plain = features(texts, vectors, [None] * len(items), channels)
    rated = [n for n, item in enumerate(items) if item.score is not None]
    scored = features(
        [texts[n] for n in rated],
        vectors[rated],
        [items[n].score for n in rated],
        [channels[n] for n in rated],
    )
    x = np.vstack([plain, scored])
    index = [*range(len(items)), *rated]
    return x, [items[n].kind for n in index], index


def group_of(item: labelled.Labelled) -> str:
    # Reviews by app; other items in five fixed groups per source.
    return item.app or item.id.split("-")[0] + str(zlib.crc32(item.id.encode()) % 5)


def weights(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The team's examples are the only feedback told to a team directly (no public channel
    column set); without more weight, 4,000 app reviews teach the model that terse words are
    praise, which in a survey answer they rarely are."""
    direct = ~own_columns(x)[:, -2:].any(axis=1)
    return np.where(direct, DIRECT_WEIGHT, 1.0)


def with_grams(x: npt.NDArray[np.float64], texts: list[str], grams: Grams) -> Any:
    """The feature rows with the texts' TF-IDF rows beside them (sparse)."""
    from scipy import sparse

    return sparse.hstack([sparse.csr_matrix(x), grams.rows(texts)]).tocsr()


def fit_ranked(
    x: npt.NDArray[np.float64], texts: list[str], y: list[str], grams: Grams, c: float
) -> tuple[Any, Any]:
    """The ranked-or-not model: (coefficients, intercept), over features then grams."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, class_weight="balanced", max_iter=4000)
    model.fit(with_grams(x, texts, grams), [kind in RANKED for kind in y], sample_weight=weights(x))
    return model.coef_[0], float(model.intercept_[0])


def fit(
    x: npt.NDArray[np.float64],
    texts: list[str],
    y: list[str],
    c: float,
    thresholds: tuple[float, float],
) -> KindModel:
    from sklearn.linear_model import LogisticRegression

    grams = Grams.learn(texts)
    width = x.shape[1]
    kinds = LogisticRegression(C=C_KINDS, class_weight="balanced", max_iter=4000)
    kinds.fit(with_grams(x, texts, grams), y, sample_weight=weights(x))
    ranked_coef, ranked_intercept = fit_ranked(x, texts, y, grams, c)
    return KindModel(
        classes=tuple(str(k) for k in kinds.classes_),
        kind_coef=kinds.coef_[:, :width].astype(np.float32),
        kind_intercept=kinds.intercept_.astype(np.float32),
        ranked_coef=ranked_coef[:width].astype(np.float32),
        ranked_intercept=ranked_intercept,
        ranked_threshold=thresholds[0],
        scored_threshold=thresholds[1],
        grams=grams,
        kind_gram_coef=kinds.coef_[:, width:].astype(np.float32),
        ranked_gram_coef=ranked_coef[width:].astype(np.float32),
    )


def out_of_fold(
    x: npt.NDArray[np.float64], texts: list[str], y: list[str], groups: list[str], c: float
) -> npt.NDArray[np.float64]:
    """Each row's probability of being ranked, from a model (and a vocabulary) that did not
    see its group."""
    from sklearn.model_selection import GroupKFold

    found = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        grams = Grams.learn([texts[i] for i in train])
        coef, intercept = fit_ranked(
            x[train], [texts[i] for i in train], [y[i] for i in train], grams, c
        )
        logit = with_grams(x[test], [texts[i] for i in test], grams) @ coef + intercept
        found[test] = 1.0 / (1.0 + np.exp(-logit))
    return found


def choose_thresholds(
    p_ranked: npt.NDArray[np.float64], y: list[str], scored: npt.NDArray[np.bool_]
) -> tuple[float, float]:
    """For rows without a score and rows with one, the highest threshold that keeps
    KEEP_ACTIONABLE of their problems and requests ranked."""
    actionable = np.array([kind in ("problem", "request") for kind in y])

    def highest(rows: npt.NDArray[np.bool_]) -> float:
        return round(float(np.quantile(p_ranked[actionable & rows], 1 - KEEP_ACTIONABLE)), 3)

    return highest(~scored), highest(scored)


def leak(
    p_ranked: npt.NDArray[np.float64],
    y: list[str],
    scored: npt.NDArray[np.bool_],
    thresholds: tuple[float, float],
) -> float:
    """The share of praise rows that the thresholds leave in the ranking."""
    praise = np.array([kind == "praise" for kind in y])
    ranked = p_ranked >= np.where(scored, thresholds[1], thresholds[0])
    return float(ranked[praise].mean())


def main() -> int:
    # "Nothing said" is for the rules (kinds.content_free): a model that learns it from forum
    # fragments and signatures sets terse answers ("Peppol support", "mobile!!") and short
    # relayed notes aside, losing real problems. The model tells the ranked kinds from praise.
    items = [item for item in labelled.training_set() if item.kind != OTHER]
    print(f"{len(items)} training items: {dict(Counter(item.kind for item in items))}")
    vectors = embed_essences([item.text for item in items])
    x, y, index = rows(items, vectors)
    texts = [items[n].text for n in index]
    groups = [group_of(items[n]) for n in index]
    scored = own_columns(x)[:, TEXT_FEATURES] > 0
    best: tuple[float, tuple[float, float], float] | None = None
    for c in C_GRID:
        p = out_of_fold(x, texts, y, groups, c)
        thresholds = choose_thresholds(p, y, scored)
        share = leak(p, y, scored, thresholds)
        print(f"  C={c}: thresholds {thresholds}, out of fold {share:.1%} of praise ranked")
        if best is None or share < best[2]:
            best = (c, thresholds, share)
    assert best is not None
    c, thresholds, share = best
    print(f"chosen: C={c}, thresholds {thresholds} ({share:.1%} of praise ranked, out of fold)")
    model = fit(x, texts, y, c, thresholds)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    model.save(
        TARGET,
        trained_on=", ".join(f"{k}: {n}" for k, n in sorted(Counter(y).items())),
        sources="bench/kinds/examples.csv, data/tizard_vlc.csv, data/urr_reviews_labelled.csv "
        "(train apps)",
        regularisation=str(c),
        trained=datetime.now(UTC).strftime("%Y-%m-%d"),
    )
    print(f"wrote {TARGET.relative_to(HERE.parent.parent)} ({TARGET.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
