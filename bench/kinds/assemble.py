"""Rebuild the feedback-kind benchmark CSVs from fetched dataset snapshots.

Usage:

    python bench/kinds/assemble.py --tizard /work/.mirror/RESubmission17+RE_Submission_17/repo \
        --urr /work/.mirror/panichella+UserReviewReference-Replication-Package/repo

Each argument is the git directory of a snapshot (a bare repository or a checkout). The files
are read with `git show <commit>:<path>` at the pinned commits below, so the output does not
depend on what the snapshot's HEAD is. Standard library only.

Writes:

- bench/kinds/data/tizard_vlc.csv and tizard_firefox.csv: labelled sentences from the VLC and
  the Firefox support forums (CC BY, Tizard et al. 2019), one file per forum so that one can
  train on one and test on the other.
- bench/kinds/data/to_label/urr_reviews.csv: unlabelled Google Play reviews with star ratings
  (MIT, Ciurumelea et al. 2017), a pool for labelling by hand; its `kind` column is empty.

See bench/kinds/data/README.md for the sources, licences and the label mapping.
"""

from __future__ import annotations

import argparse
import csv
import io
import sqlite3
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

KINDS = ("problem", "request", "question", "praise", "other")
COLUMNS = ("id", "text", "rating", "kind", "label", "source")

TIZARD_COMMIT = "f75ffe7b0743aa22f7e48ccc656886deef7f7ee3"
TIZARD_DB = "VLC_labelled_sentences_4RE.sqlite"
# topic_forum value (lower-cased) -> our source name: VLC's "issue" and "features" subforums, and
# the Firefox support forum.
TIZARD_FORUMS = {"issue": "tizard_vlc", "features": "tizard_vlc", "fire fox": "tizard_firefox"}
URR_COMMIT = "5cfdbf5d769946974d8aeeae0d417545017fe353"
URR_REVIEWS = "data/reviews/reviews.csv"

# Tizard et al. label (lower-cased, stripped) -> our kind. Labels not listed are dropped; the
# README says why for each of them.
TIZARD_MAP: dict[str, str] = {
    "apparent bug": "problem",
    "unsatisfactory behaviour": "problem",
    "agreeing with the problem": "problem",
    "dispraise application": "problem",
    "dispraise for application": "problem",
    "negative sentiment-application": "problem",
    "feature request": "request",
    "agreeing with the request": "request",
    "question on application": "question",
    "information seeking": "question",
    "is-background": "question",
    "praise application": "praise",
    "non-informative": "other",
}


@dataclass(frozen=True)
class Item:
    text: str
    rating: str
    kind: str
    label: str


def git_show(git_dir: Path, commit: str, path: str) -> bytes:
    """Return the bytes of `path` at `commit` in the repository at `git_dir`."""
    result = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
    )
    return result.stdout


def resolve_git_dir(path: Path) -> Path:
    """Accept a bare repository, a `.git` directory, or a checkout."""
    if (path / ".git").is_dir():
        return path / ".git"
    return path


def clean_text(text: str) -> str:
    text = text.strip()
    # Some sentences keep the quotes of an earlier CSV export around them: drop one such pair.
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"' and text.count('"') == 2:
        text = text[1:-1].strip()
    return text


def looks_english(text: str) -> bool:
    """A cheap filter: at least 90% of the letters are ASCII letters."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    ascii_letters = sum(1 for c in letters if c.isascii())
    return ascii_letters / len(letters) >= 0.9


def dedupe(items: Iterable[Item]) -> tuple[list[Item], int, int]:
    """Keep the first item of each exact text; drop texts whose copies disagree on the kind.

    Returns the kept items, the number of duplicate copies removed, and the number of texts
    dropped because their copies carried different kinds.
    """
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item.text, []).append(item)
    kept: list[Item] = []
    duplicates = 0
    conflicts = 0
    for copies in groups.values():
        if len({c.kind for c in copies}) > 1:
            conflicts += 1
            continue
        duplicates += len(copies) - 1
        kept.append(copies[0])
    return kept, duplicates, conflicts


def tizard_items(git_dir: Path) -> dict[str, tuple[list[Item], Counter[str]]]:
    """Map each Tizard source name to its items and its dropped-label counts."""
    blob = git_show(git_dir, TIZARD_COMMIT, TIZARD_DB)
    out: dict[str, tuple[list[Item], Counter[str]]] = {
        name: ([], Counter()) for name in sorted(set(TIZARD_FORUMS.values()))
    }
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "tizard.sqlite"
        db_path.write_bytes(blob)
        db = sqlite3.connect(db_path)
        try:
            rows = db.execute(
                "SELECT id, topic_forum, sentence, label FROM labelled_sentences ORDER BY id"
            ).fetchall()
        finally:
            db.close()
    for _row_id, forum, sentence, label in rows:
        items, dropped = out[TIZARD_FORUMS[str(forum).strip().lower()]]
        original = str(label).strip()
        kind = TIZARD_MAP.get(original.lower())
        text = clean_text(str(sentence or ""))
        if kind is None:
            dropped[original.lower()] += 1
            continue
        if not text:
            dropped["(empty text)"] += 1
            continue
        if not looks_english(text):
            dropped["(not English)"] += 1
            continue
        items.append(Item(text=text, rating="", kind=kind, label=original))
    return out


def urr_items(git_dir: Path) -> tuple[list[Item], Counter[str]]:
    blob = git_show(git_dir, URR_COMMIT, URR_REVIEWS)
    try:
        raw = blob.decode("utf-8")
    except UnicodeDecodeError:
        raw = blob.decode("latin-1")
    dropped: Counter[str] = Counter()
    items: list[Item] = []
    for row in csv.DictReader(io.StringIO(raw, newline="")):
        text = clean_text(row.get("reviewText") or "")
        rating = (row.get("ratingStars") or "").strip()
        if not text:
            dropped["(empty text)"] += 1
            continue
        if rating not in {"1", "2", "3", "4", "5"}:
            dropped["(no rating)"] += 1
            continue
        if not looks_english(text):
            dropped["(not English)"] += 1
            continue
        app = (row.get("app") or "").strip()
        # ARdoc's intention class in this file is a tool's output, not a human label: it is kept
        # as a hint for the people labelling, marked as automatic.
        ardoc = (row.get("ArDoc classification") or "").strip()
        label = f"app={app}; ardoc_auto={ardoc}" if ardoc else f"app={app}"
        items.append(Item(text=text, rating=rating, kind="", label=label))
    return items, dropped


def write_csv(path: Path, source: str, items: list[Item]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for n, item in enumerate(items, start=1):
            row = [f"{source}-{n}", item.text, item.rating, item.kind, item.label, source]
            writer.writerow(row)


def report(source: str, items: list[Item], dropped: Counter[str], dup: int, conf: int) -> None:
    counts = Counter(item.kind or "(unlabelled)" for item in items)
    print(f"{source}: {len(items)} items")
    for kind in (*KINDS, "(unlabelled)"):
        if counts[kind]:
            print(f"  {kind:<13}{counts[kind]:>6}")
    ratings = Counter(item.rating for item in items if item.rating)
    if ratings:
        print("  ratings      " + ", ".join(f"{r}: {ratings[r]}" for r in sorted(ratings)))
    print(f"  duplicate copies removed: {dup}; texts dropped for conflicting kinds: {conf}")
    for label, n in sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  dropped {label!r}: {n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tizard", type=Path, help="git dir of RESubmission17/RE_Submission_17")
    parser.add_argument(
        "--urr", type=Path, help="git dir of panichella/UserReviewReference-Replication-Package"
    )
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent / "data", help="output dir"
    )
    args = parser.parse_args()
    if args.tizard is None and args.urr is None:
        parser.error("give --tizard and/or --urr")
    if args.tizard is not None:
        for source, (items, dropped) in tizard_items(resolve_git_dir(args.tizard)).items():
            kept, dup, conf = dedupe(items)
            write_csv(args.out / f"{source}.csv", source, kept)
            report(source, kept, dropped, dup, conf)
    if args.urr is not None:
        items, dropped = urr_items(resolve_git_dir(args.urr))
        kept, dup, conf = dedupe(items)
        write_csv(args.out / "to_label" / "urr_reviews.csv", "urr_reviews", kept)
        report("urr_reviews", kept, dropped, dup, conf)


if __name__ == "__main__":
    main()
