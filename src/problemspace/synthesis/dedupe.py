"""Near-duplicates: one conversation that reached us several times counts once.

The same call relayed by two sales reps, a ticket copy-pasted into a second one, a survey
answer submitted twice: the texts are (nearly) the same, and they come from the same customer
within a short time. The same words from two different customers are *not* duplicates: they
are two customers with the problem, which is exactly what reach counts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

import numpy as np

from problemspace.synthesis.items import Item, Vectors

SAME_TEXT = 0.95
SAME_CONVERSATION_WINDOW = timedelta(days=14)
_NOT_WORD = re.compile(r"[\W_]+")


def normalised_text(text: str) -> str:
    return _NOT_WORD.sub(" ", text.lower()).strip()


def _customer(item: Item) -> str:
    if item.account:
        return f"a:{item.account}"
    if item.contact:
        return f"c:{item.contact}"
    return ""


class _Groups:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_duplicates(
    items: Sequence[Item],
    vectors: Vectors,
    rows: Sequence[int] | None = None,
    *,
    threshold: float = SAME_TEXT,
    window: timedelta = SAME_CONVERSATION_WINDOW,
) -> dict[int, int]:
    """{item id: id of the earliest item of its conversation} for every repeat among `rows`.

    Pass the rows of one problem at a time: near-duplicates always land in the same problem,
    and comparing within a problem keeps the work small for any number of items.
    """
    rows = list(range(len(items))) if rows is None else list(rows)
    by_customer: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_customer[_customer(items[row])].append(row)
    groups = _Groups(len(items))
    for pool in by_customer.values():
        if len(pool) < 2:
            continue
        pool.sort(key=lambda r: (items[r].occurred_at, items[r].id))
        similarity = vectors[pool] @ vectors[pool].T
        texts = [normalised_text(items[r].text) for r in pool]
        for i, j in zip(*np.nonzero(np.triu(similarity >= threshold, k=1)), strict=True):
            a, b = pool[int(i)], pool[int(j)]
            if abs(items[b].occurred_at - items[a].occurred_at) <= window:
                groups.union(a, b)
        seen: dict[str, int] = {}
        for position, text in enumerate(texts):
            row = pool[position]
            first = seen.get(text)
            if first is not None and items[row].occurred_at - items[first].occurred_at <= window:
                groups.union(first, row)
            else:
                seen[text] = row
    earliest: dict[int, int] = {}
    for row in rows:
        root = groups.find(row)
        known = earliest.get(root)
        if known is None or (items[row].occurred_at, items[row].id) < (
            items[known].occurred_at,
            items[known].id,
        ):
            earliest[root] = row
    duplicate_of: dict[int, int] = {}
    for row in rows:
        first = earliest[groups.find(row)]
        if first != row:
            duplicate_of[items[row].id] = items[first].id
    return duplicate_of
