"""HWU64 for the synthesis benchmark: 11,036 requests to a home assistant in 64 intents.

Liu, X., Eshghi, A., Swietojanski, P., Rieser, V. (2019). Benchmarking Natural Language
Understanding Services for building Conversational Agents. IWSDS 2019. Data CC BY 4.0; where
it comes from and how it was assembled: data/hwu64/README.md.
"""

from __future__ import annotations

import csv
from pathlib import Path

from banking77 import Labelled

PATH = Path(__file__).resolve().parent / "data" / "hwu64" / "hwu64.csv"


def read() -> Labelled:
    with PATH.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return Labelled([row["text"] for row in rows], [row["intent"] for row in rows])
