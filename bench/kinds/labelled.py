"""The labelled feedback the kinds classifier is trained and measured on (data/README.md).

Sources, and what each is for:

- `examples.csv`: 533 examples the team wrote (B2B SaaS and consumer apps, the hard cases on
  purpose), some with a star, NPS or CSAT score. Training only.
- `data/tizard_vlc.csv`: real VLC forum sentences (Tizard et al., RE 2019). Training.
- `data/tizard_firefox.csv`: real Firefox support-forum sentences, same study. Test only: a
  source the classifier never saw.
- `data/urr_reviews_labelled.csv`: 6,243 real Google Play reviews of 39 apps with their stars
  (Ciurumelea et al., SANER 2017), labelled by the team. Split by app: the reviews of every
  third app (TEST_APPS) are test only, the rest train.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SCALES = {"stars": (1.0, 5.0), "csat": (1.0, 5.0), "nps": (0.0, 10.0)}


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    kind: str
    # The score as a share of its scale (0 worst, 1 best), or None.
    score: float | None
    # The app a review is of ("" for other sources): the train/test split is by app.
    app: str = ""
    stars: int | None = None
    # The evidence channel it would be imported with: reviews and forum posts are public; the
    # team's examples are what customers tell a team directly ("").
    channel: str = ""


def _fraction(value: str, scale: str) -> float | None:
    if not value.strip():
        return None
    low, high = SCALES[scale]
    return (float(value) - low) / (high - low)


def examples() -> list[Labelled]:
    with (HERE / "examples.csv").open(encoding="utf-8", newline="") as f:
        return [
            Labelled(
                f"examples-{n}",
                row["text"],
                row["kind"],
                _fraction(row["rating"], row["scale"] or "stars"),
            )
            for n, row in enumerate(csv.DictReader(f), start=1)
        ]


def source(name: str) -> list[Labelled]:
    """A file of data/: `id,text,rating,kind,label,source`, ratings on 1-5 stars."""
    out = []
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            app = row["label"].split(";")[0].removeprefix("app=") if "app=" in row["label"] else ""
            stars = int(row["rating"]) if row["rating"].strip() else None
            channel = "review" if name.startswith("urr") else "community"
            out.append(
                Labelled(
                    row["id"],
                    row["text"],
                    row["kind"],
                    _fraction(row["rating"], "stars"),
                    app,
                    stars,
                    channel,
                )
            )
    return out


def reviews() -> tuple[list[Labelled], list[Labelled]]:
    """The labelled reviews, split by app: (train, test)."""
    labelled = source("urr_reviews_labelled")
    apps = sorted({item.app for item in labelled})
    test_apps = set(apps[1::3])
    return (
        [item for item in labelled if item.app not in test_apps],
        [item for item in labelled if item.app in test_apps],
    )


def training_set() -> list[Labelled]:
    return [*examples(), *source("tizard_vlc"), *reviews()[0]]
