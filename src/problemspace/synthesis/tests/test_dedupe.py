import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from problemspace.synthesis import dedupe
from problemspace.synthesis.dedupe import find_duplicates, normalised_text
from problemspace.synthesis.embedding import normalise
from problemspace.synthesis.items import Item

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
DIMENSIONS = 32


def item(id, text="The CSV export times out", day=0.0, account="acme", contact=None):
    return Item(
        id=id,
        text=text,
        occurred_at=START + timedelta(days=day),
        account=account,
        contact=contact,
    )


def unrelated(count, seed=0):
    """Vectors with nothing in common (cosine near 0 in 32 dimensions... and never 0.95)."""
    rng = np.random.default_rng(seed)
    return normalise(rng.standard_normal((count, DIMENSIONS)))


def near(vector, cosine, seed=1):
    """A unit vector at exactly `cosine` from `vector`."""
    rng = np.random.default_rng(seed)
    other = rng.standard_normal(len(vector))
    other -= (other @ vector) * vector
    other /= np.linalg.norm(other)
    return (cosine * vector + np.sqrt(1 - cosine**2) * other).astype(np.float32)


def test_copies_from_one_customer_count_once():
    items = [item(1), item(2, day=1), item(3, day=3)]
    vectors = unrelated(1).repeat(3, axis=0)
    assert find_duplicates(items, vectors) == {2: 1, 3: 1}


def test_the_same_words_from_two_customers_are_two_customers():
    items = [item(1, account="acme"), item(2, account="globex", day=1)]
    vectors = unrelated(1).repeat(2, axis=0)
    assert find_duplicates(items, vectors) == {}


def test_copies_far_apart_are_separate_conversations_unless_the_window_says_so():
    items = [item(1), item(2, day=20)]
    vectors = unrelated(1).repeat(2, axis=0)
    assert find_duplicates(items, vectors) == {}
    assert find_duplicates(items, vectors, window=timedelta(days=30)) == {2: 1}


def test_case_spacing_and_punctuation_are_ignored():
    items = [item(1, "The CSV export  times out!"), item(2, "the csv export times out", day=2)]
    # Vectors that disagree: the normalised text alone makes them one conversation.
    assert find_duplicates(items, unrelated(2)) == {2: 1}
    assert normalised_text("  Ça  ne MARCHE pas... ") == "ça ne marche pas"


def test_near_identical_vectors_are_duplicates_and_merely_similar_ones_are_not():
    base = unrelated(1)[0]
    items = [item(1, "a"), item(2, "b", day=1), item(3, "c", day=2)]
    vectors = np.stack([base, near(base, 0.97), near(base, 0.90, seed=2)])
    assert find_duplicates(items, vectors) == {2: 1}
    assert find_duplicates(items, vectors, threshold=0.85) == {2: 1, 3: 1}


def test_chains_join_one_group_represented_by_its_earliest_item():
    # Three steps along one arc: neighbours at 0.97, the ends at 0.88.
    a = unrelated(1)[0]
    b = near(a, 0.97)
    c = near(a, float(np.cos(2 * np.arccos(0.97))))
    assert b @ c >= 0.95 > a @ c
    # Listed latest first: the representative is the earliest, not the first listed.
    items = [item(30, "c", day=4), item(20, "b", day=2), item(10, "a", day=0)]
    assert find_duplicates(items, np.stack([c, b, a])) == {20: 10, 30: 10}


def test_emoji_only_texts_are_compared_as_written():
    items = [item(1, "👍"), item(2, "😡", day=1), item(3, "👍", day=2)]
    assert normalised_text("😡") != normalised_text("👍")
    assert find_duplicates(items, unrelated(3)) == {3: 1}


def test_items_without_account_or_contact_form_one_pool_of_their_own():
    items = [item(1, account=None), item(2, account=None, day=1), item(3, day=1)]
    vectors = unrelated(1).repeat(3, axis=0)
    assert find_duplicates(items, vectors) == {2: 1}


def test_a_contact_without_account_joins_the_account_it_is_known_at():
    items = [
        item(1, account="acme", contact="jo"),
        item(2, account=None, contact="jo", day=1),
        item(3, account=None, contact="sam", day=1),
    ]
    vectors = unrelated(1).repeat(3, axis=0)
    assert find_duplicates(items, vectors) == {2: 1}


def test_rows_limit_the_search():
    items = [item(1), item(2, day=1), item(3, day=2)]
    vectors = unrelated(1).repeat(3, axis=0)
    assert find_duplicates(items, vectors, [1, 2]) == {3: 2}
    assert find_duplicates(items, vectors, []) == {}
    assert find_duplicates([], np.empty((0, DIMENSIONS), dtype=np.float32)) == {}


def test_vectors_must_match_the_items():
    with pytest.raises(ValueError, match="one row per item"):
        find_duplicates([item(1), item(2)], unrelated(1))


def reference(items, vectors, threshold, window):
    """Every pair compared, linked with a plain union-find: what the blocks must reproduce."""
    parent = list(range(len(items)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    pools = dedupe._pools(items, range(len(items)))
    for pool in pools:
        for x in pool:
            for y in pool:
                a, b = items[x], items[y]
                close = abs(a.occurred_at - b.occurred_at) <= window
                same = vectors[x] @ vectors[y] >= threshold or normalised_text(
                    a.text
                ) == normalised_text(b.text)
                if x < y and close and same:
                    parent[find(x)] = find(y)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(find(i), []).append(i)
    result = {}
    for members in groups.values():
        first = min(members, key=lambda i: (items[i].occurred_at, items[i].id))
        result.update({items[i].id: items[first].id for i in members if i != first})
    return result


def test_comparing_block_by_block_finds_what_comparing_everything_finds(monkeypatch):
    # Blocks of 7 rows: groups cross block boundaries, and the 30 copies of one text give
    # blocks with more links than rows (reduced to their components).
    monkeypatch.setattr(dedupe, "BLOCK", 7)
    monkeypatch.setattr(dedupe, "SMALL_POOL", 10)
    rnd = random.Random(4)
    base = unrelated(12, seed=9)
    items, rows = [], []
    for n in range(150):
        kind = 0 if n < 30 else rnd.randrange(12)
        vector = base[kind] if rnd.random() < 0.5 else near(base[kind], 0.96, seed=n)
        if kind >= 6:
            vector = unrelated(1, seed=1000 + n)[0]
        items.append(
            item(
                n + 1,
                text=f"text {kind}" if rnd.random() < 0.3 else f"text {n}",
                day=rnd.uniform(0, 60),
                account=rnd.choice(["acme", "acme", "globex", None]),
            )
        )
        rows.append(vector)
    vectors = np.stack(rows).astype(np.float32)
    window = timedelta(days=14)
    found = find_duplicates(items, vectors, window=window)
    assert found == reference(items, vectors, 0.95, window)
    assert len(found) > 30


@pytest.mark.slow
def test_a_hundred_thousand_items_find_their_planted_copies():
    rng = np.random.default_rng(0)
    count, copies = 100_000, 2_000
    vectors = normalise(rng.standard_normal((count, 64)))
    items = [
        item(
            n + 1,
            text=f"complaint {n}",
            day=float(rng.uniform(0, 365)),
            account=f"a{rng.integers(2_000)}" if n % 10 else None,
        )
        for n in range(count)
    ]
    for n, original in enumerate(rng.choice(count // 2, copies, replace=False)):
        row = count // 2 + n
        source = items[int(original)]
        items[row] = Item(
            id=row + 1,
            text=source.text.upper() + "!",
            occurred_at=source.occurred_at + timedelta(days=1),
            account=source.account,
            first_hand=False,
        )
        vectors[row] = vectors[int(original)]
    found = find_duplicates(items, vectors)
    assert len(found) == copies
    assert all(found[count // 2 + n + 1] < count // 2 + 1 for n in range(copies))
