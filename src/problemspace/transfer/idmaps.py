"""A compact map between file-local ids and primary keys, for sections of millions of items.

Later sections refer to evidence, so both export (primary key -> file-local id) and restore
(file-local id -> primary key) must look evidence up by id. A dict of a million ints costs
about a hundred megabytes; but ids come in runs (a restore's bulk inserts number rows one
after another, and an export numbers items 1, 2, 3...), so the map keeps runs of keys and
values that both step by one, three machine words a run: a few bytes for a restored
workspace, 24 bytes an item at worst.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterator, Mapping

import numpy as np


class RunMap(Mapping[int, int]):
    def __init__(self) -> None:
        self._keys = array("q")
        self._values = array("q")
        self._lengths = array("q")
        self._count = 0
        self._sorted = True

    def add(self, key: int, value: int) -> None:
        """Map `key` to `value`; each key is added once."""
        if self._lengths:
            length = self._lengths[-1]
            if key == self._keys[-1] + length and value == self._values[-1] + length:
                self._lengths[-1] = length + 1
                self._count += 1
                return
            if key < self._keys[-1] + length:
                self._sorted = False
        self._keys.append(key)
        self._values.append(value)
        self._lengths.append(1)
        self._count += 1

    def __getitem__(self, key: int) -> int:
        if not self._sorted:
            self._sort()
        run = bisect_right(self._keys, key) - 1
        if run >= 0 and key - self._keys[run] < self._lengths[run]:
            return self._values[run] + key - self._keys[run]
        raise KeyError(key)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[int]:
        if not self._sorted:
            self._sort()
        for start, length in zip(self._keys, self._lengths, strict=True):
            yield from range(start, start + length)

    def _sort(self) -> None:
        # numpy sorts the runs without making a Python object of each.
        order = np.argsort(np.frombuffer(self._keys, dtype=np.int64), kind="stable")
        for name in ("_keys", "_values", "_lengths"):
            column = np.frombuffer(getattr(self, name), dtype=np.int64)[order]
            setattr(self, name, array("q", column.tobytes()))
        self._sorted = True
