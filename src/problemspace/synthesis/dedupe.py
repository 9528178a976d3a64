"""Near-duplicates: one conversation that reached us several times counts once.

The same call relayed by two sales reps, a ticket copy-pasted into a second one, a survey
answer submitted twice: the texts are (nearly) the same, and they come from the same customer
within a short time. The same words from two different customers are *not* duplicates: they
are two customers with the problem, which is exactly what reach counts.

Only items of one customer (account, else contact; items with neither form one pool of their
own) within `window` of each other are ever compared, in blocks of rows ordered by time, so the
work grows with the items one customer sends within a window, not with the square of all items.
Pairs link into groups transitively (connected components, what a union-find computes): a
ticket, its copy and the copy's copy are one conversation even when the last has drifted from
the first. Each group is represented by its earliest item.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from problemspace.synthesis.items import Item, Vectors
from problemspace.synthesis.threads import one_blas_thread

SAME_TEXT = 0.95
SAME_CONVERSATION_WINDOW = timedelta(days=14)
# Rows (and columns) compared at once: a block of similarities is BLOCK x BLOCK float32, 16 MB.
BLOCK = 2048
# Pools smaller than this are compared on one BLAS thread (see find_duplicates).
SMALL_POOL = 512
_NOT_WORD = re.compile(r"[\W_]+")
_ASCII_PUNCTUATION = str.maketrans(string.punctuation, " " * len(string.punctuation))

Rows = npt.NDArray[np.intp]


def normalised_text(text: str) -> str:
    """The text with case, spacing and punctuation ignored.

    Text with no letters or digits at all (emoji, "???") is compared as written, so that "👍"
    and "😡" from one customer stay two messages.
    """
    if text.isascii():
        # The common case, five times faster than the general one below.
        folded = text.lower()
        words = folded.translate(_ASCII_PUNCTUATION).split()
    else:
        folded = unicodedata.normalize("NFKC", text).casefold()
        words = _NOT_WORD.sub(" ", folded).split()
    return " ".join(words) if words else " ".join(folded.split())


def find_duplicates(
    items: Sequence[Item],
    vectors: Vectors,
    rows: Sequence[int] | None = None,
    *,
    threshold: float = SAME_TEXT,
    window: timedelta = SAME_CONVERSATION_WINDOW,
) -> dict[int, int]:
    """{item id: id of the earliest item of its conversation} for every repeat among `rows`.

    `vectors[i]` is the L2-normalised vector of `items[i]`; `rows` limits the search to those
    positions (all items when None). Two items are one conversation when their texts are the
    same once normalised, or their cosine similarity is at least `threshold`, *and* they come
    from the same customer no more than `window` apart. Originals are not keys of the result.
    """
    if len(vectors) != len(items):
        raise ValueError(f"{len(items)} items but {len(vectors)} vectors: one row per item.")
    chosen = range(len(items)) if rows is None else rows
    seconds = window.total_seconds()
    pairs: list[tuple[Rows, Rows]] = []
    pools = _pools(items, chosen)
    small = [pool for pool in pools if len(pool) < SMALL_POOL]
    # Thousands of tiny products: BLAS threads cost more to wake than the sums (ten times
    # slower on a busy two-core machine), so those run on one thread.
    with one_blas_thread():
        for pool in small:
            pairs.extend(_pairs(items, vectors, pool, threshold, seconds))
    for pool in pools:
        if len(pool) >= SMALL_POOL:
            pairs.extend(_pairs(items, vectors, pool, threshold, seconds))
    if not pairs:
        return {}
    source = np.concatenate([pair[0] for pair in pairs])
    target = np.concatenate([pair[1] for pair in pairs])
    if not len(source):
        return {}
    linked, component = _components(source, target)
    group_of = dict(zip(linked.tolist(), component.tolist(), strict=True))
    earliest: dict[int, int] = {}
    for row in sorted(group_of, key=lambda r: (items[r].occurred_at, items[r].id)):
        earliest.setdefault(group_of[row], row)
    duplicate_of: dict[int, int] = {}
    for row, group in group_of.items():
        first = earliest[group]
        if first != row:
            duplicate_of[items[row].id] = items[first].id
    return duplicate_of


def _components(first: Rows, second: Rows) -> tuple[Rows, Rows]:
    """The rows the pairs link, ascending, and the group (connected component) of each."""
    nodes, index = np.unique(np.concatenate([first, second]), return_inverse=True)
    graph = coo_matrix(
        (np.ones(len(first), dtype=np.int32), (index[: len(first)], index[len(first) :])),
        shape=(len(nodes), len(nodes)),
    )
    _, component = connected_components(graph, directed=False)
    return nodes, component


def _pairs(
    items: Sequence[Item], vectors: Vectors, pool: list[int], threshold: float, seconds: float
) -> list[tuple[Rows, Rows]]:
    times = np.array([items[row].occurred_at.timestamp() for row in pool])
    return [
        _same_text(items, pool, times, seconds),
        _similar(vectors, pool, times, threshold, seconds),
    ]


def _pools(items: Sequence[Item], rows: Sequence[int] | range) -> list[list[int]]:
    """Rows grouped by customer, each group in time order; groups of one left out.

    An item with a contact but no account joins its contact's account when another item
    names both (a relayed note often names only the person).
    """
    account_of_contact = {
        items[row].contact: items[row].account
        for row in rows
        if items[row].contact and items[row].account
    }
    by_customer: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        item = items[row]
        account = item.account or account_of_contact.get(item.contact)
        key = f"a:{account}" if account else f"c:{item.contact}" if item.contact else ""
        by_customer[key].append(int(row))
    pools = []
    for pool in by_customer.values():
        if len(pool) > 1:
            pool.sort(key=lambda r: (items[r].occurred_at, items[r].id))
            pools.append(pool)
    return pools


def _same_text(
    items: Sequence[Item], pool: list[int], times: npt.NDArray[np.float64], seconds: float
) -> tuple[Rows, Rows]:
    """Pairs of consecutive same-text items of one pool within the window."""
    last: dict[str, int] = {}
    source: list[int] = []
    target: list[int] = []
    for position, row in enumerate(pool):
        text = normalised_text(items[row].text)
        if not text:
            continue
        before = last.get(text)
        if before is not None and times[position] - times[before] <= seconds:
            source.append(pool[before])
            target.append(row)
        last[text] = position
    return np.array(source, dtype=np.intp), np.array(target, dtype=np.intp)


def _similar(
    vectors: Vectors,
    pool: list[int],
    times: npt.NDArray[np.float64],
    threshold: float,
    seconds: float,
) -> tuple[Rows, Rows]:
    """Pairs of one pool (in time order) within the window whose cosine reaches `threshold`.

    Each block of rows is compared with the later rows inside its window only. A block with
    more links than rows (many copies of one text) is reduced to its connected components
    first, so the pairs kept stay proportional to the rows, whatever the number of copies.
    """
    if threshold > 1.0:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    order = np.asarray(pool, dtype=np.intp)
    sources: list[Rows] = []
    targets: list[Rows] = []
    for start in range(0, len(order), BLOCK):
        stop = min(start + BLOCK, len(order))
        reach = int(np.searchsorted(times, times[stop - 1] + seconds, side="right"))
        left = vectors[order[start:stop]]
        for column in range(start, reach, BLOCK):
            end = min(column + BLOCK, reach)
            similar = left @ vectors[order[column:end]].T >= threshold
            later = np.arange(column, end)[None, :] > np.arange(start, stop)[:, None]
            close = times[column:end][None, :] - times[start:stop][:, None] <= seconds
            i, j = np.nonzero(similar & later & close)
            first, second = start + i, column + j
            if len(first) > (stop - start) + (end - column):
                first, second = _spanning(first, second)
            sources.append(order[first])
            targets.append(order[second])
    if not sources:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    return np.concatenate(sources), np.concatenate(targets)


def _spanning(first: Rows, second: Rows) -> tuple[Rows, Rows]:
    """Fewer pairs linking the same groups: each member to the smallest member of its group."""
    nodes, component = _components(first, second)
    smallest = np.empty(int(component.max()) + 1, dtype=np.intp)
    # Nodes ascend, so writing them in reverse leaves the smallest node of each component.
    smallest[component[::-1]] = nodes[::-1]
    anchor = smallest[component]
    keep = nodes != anchor
    return anchor[keep], nodes[keep]
