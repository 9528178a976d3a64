from __future__ import annotations

import random
import tracemalloc

import pytest

from problemspace.transfer.idmaps import RunMap


def test_it_maps_keys_added_in_any_order() -> None:
    pairs = list(range(1, 2001))
    random.Random(7).shuffle(pairs)
    ids = RunMap()
    for local, pk in enumerate(pairs, start=1):
        ids.add(pk, local)
    assert len(ids) == 2000
    assert all(ids[pk] == local for local, pk in enumerate(pairs, start=1))
    assert list(ids) == list(range(1, 2001))
    assert ids.get(0) is None and ids.get(2001) is None
    with pytest.raises(KeyError):
        ids[5000]


def test_runs_of_consecutive_ids_cost_nothing_per_item() -> None:
    # A restore's bulk inserts number rows one after another: a million items, a few runs.
    tracemalloc.start()
    ids = RunMap()
    for local in range(1, 1_000_001):
        ids.add(local, local + 41 + (local > 500_000) * 10)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 10_000
    assert (ids[1], ids[500_000], ids[500_001], ids[1_000_000]) == (42, 500_041, 500_052, 1_000_051)


def test_gaps_in_local_ids_are_not_filled() -> None:
    ids = RunMap()
    for local, pk in ((1, 10), (2, 11), (5, 12), (6, 13)):
        ids.add(local, pk)
    assert ids.get(3) is None and ids.get(4) is None
    assert (ids[2], ids[5]) == (11, 12)
