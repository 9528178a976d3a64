"""Build data/urr_reviews_labelled.csv from the pool and the labellers' files (standard library).

    python3 bench/kinds/labelling/merge.py

Every `labels_*.csv` here (`id,kind`) labels reviews of the pool (data/to_label/urr_reviews.csv);
the output is the labelled reviews, in the pool's order, with the pool's columns and the kind
filled in. A review labelled twice must have been given the same kind, or be settled in
SETTLED (the labellers' disagreements, decided by a third reading).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
POOL = HERE.parent / "data" / "to_label" / "urr_reviews.csv"
OUT = HERE.parent / "data" / "urr_reviews_labelled.csv"
KINDS = {"problem", "request", "question", "praise", "other"}
# Gibberish labelled "other" by one labeller and "praise" by the other.
SETTLED = {"urr_reviews-7492": "other"}


def labels() -> dict[str, str]:
    given: dict[str, set[str]] = {}
    for path in sorted(HERE.glob("labels_*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                if row["kind"] not in KINDS:
                    raise SystemExit(f"{path.name}, line {line}: unknown kind {row['kind']!r}")
                given.setdefault(row["id"], set()).add(row["kind"])
    out = {}
    for id, kinds in given.items():
        if id in SETTLED:
            out[id] = SETTLED[id]
        elif len(kinds) > 1:
            raise SystemExit(f"{id} was given kinds {sorted(kinds)}: settle it in SETTLED")
        else:
            out[id] = kinds.pop()
    return out


def main() -> int:
    found = labels()
    with POOL.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = [{**row, "kind": found[row["id"]]} for row in reader if row["id"] in found]
    missing = set(found) - {row["id"] for row in rows}
    if missing:
        raise SystemExit(f"labelled but not in the pool: {sorted(missing)[:5]}")
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{OUT.name}: {len(rows)} reviews, {dict(Counter(row['kind'] for row in rows))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
