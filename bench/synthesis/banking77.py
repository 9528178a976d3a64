"""banking77 for the synthesis benchmark, and the 100,000-item set made from it.

banking77: 13,083 customer messages to a bank, each labelled with one of 77 intents
(Casanueva, I., Temčinas, T., Gerz, D., Henderson, M., Vulić, I. (2020). Efficient Intent
Detection with Dual Sentence Encoders. Proceedings of the 2nd Workshop on NLP for ConvAI,
ACL 2020. Data CC BY 4.0). The folder holds `train.csv` (10,003) and `test.csv` (3,080), each
with the columns `text,category`. It is looked for in `../shared/data/banking77` beside the
repository, or wherever the environment variable BANKING77_DIR points.

The large set (`large_set`): items drawn uniformly, with replacement, from train + test with
`random.Random(20261123)`, each keeping its source's intent as its label. Each drawn text is
then varied, every change decided independently, in this order:

1. drop one word (probability 0.10; texts of 4 words or more; never the first word);
2. swap two neighbouring words (0.10; texts of 3 words or more);
3. one typo: two neighbouring letters swapped inside one word of 4 letters or more (0.10);
4. case: all lower case (0.08) or all upper case (0.02);
5. a greeting before it (0.25), one of GREETINGS;
6. a sign-off after it (0.20), one of SIGN_OFFS.

About 39% of the items come out unchanged, so the set holds exact repeats, as real support
queues do ("where is my card?" arrives many times a day); `large_set` says how many texts are
distinct.
"""

from __future__ import annotations

import csv
import os
import random
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SEED = 20261123

GREETINGS = (
    "Hi, ",
    "Hello, ",
    "Hey there, ",
    "Good morning. ",
    "Hi team, ",
    "Quick question: ",
    "Hello again, ",
    "Sorry to bother you, ",
)
SIGN_OFFS = (
    " Thanks.",
    " Thank you!",
    " Thanks in advance.",
    " Cheers",
    " Please help.",
    " Regards, Sam",
)


@dataclass(frozen=True)
class Labelled:
    texts: list[str]
    labels: list[str]


def data_dir() -> Path:
    configured = os.environ.get("BANKING77_DIR")
    return Path(configured) if configured else ROOT.parent / "shared" / "data" / "banking77"


def read(name: str) -> Labelled:
    """One of banking77's files ("test" or "train")."""
    path = data_dir() / f"{name}.csv"
    if not path.exists():
        raise SystemExit(f"{path} is missing: set BANKING77_DIR to the folder holding banking77.")
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return Labelled([row["text"] for row in rows], [row["category"] for row in rows])


def large_set(count: int, seed: int = SEED) -> Labelled:
    """`count` lightly varied banking77 texts with their intents (see the module docstring)."""
    train, test = read("train"), read("test")
    pool_texts, pool_labels = train.texts + test.texts, train.labels + test.labels
    rng = random.Random(seed)
    texts, labels = [], []
    for _ in range(count):
        index = rng.randrange(len(pool_texts))
        texts.append(vary(pool_texts[index], rng))
        labels.append(pool_labels[index])
    return Labelled(texts, labels)


def vary(text: str, rng: random.Random) -> str:
    words = text.split()
    if rng.random() < 0.10 and len(words) >= 4:
        del words[rng.randrange(1, len(words))]
    if rng.random() < 0.10 and len(words) >= 3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    if rng.random() < 0.10:
        long_words = [i for i, word in enumerate(words) if len(word) >= 4 and word.isalpha()]
        if long_words:
            i = rng.choice(long_words)
            j = rng.randrange(len(words[i]) - 1)
            word = words[i]
            words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    varied = " ".join(words)
    case = rng.random()
    if case < 0.08:
        varied = varied.lower()
    elif case < 0.10:
        varied = varied.upper()
    if rng.random() < 0.25:
        varied = rng.choice(GREETINGS) + varied
    if rng.random() < 0.20:
        varied += rng.choice(SIGN_OFFS)
    return varied
