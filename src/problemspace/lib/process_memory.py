"""Measuring the memory of a process and the processes it started (Linux /proc).

Used by the benchmarks and the large-import test: the importer forks a reader, so the memory
of one process alone would understate what an import costs.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType


def tree_rss_mb(root: int) -> float:
    """Resident memory of process `root` and all its descendants, in MB.

    Pages a parent and a forked child share are counted twice, so the figure errs high.
    """
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1])
    family, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        family.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in family) / 1024


class PeakTreeMemory:
    """Samples `tree_rss_mb(pid)` in a thread while the block runs; `.peak_mb` is the maximum."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid = pid
        self.every = every
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            self.peak_mb = max(self.peak_mb, tree_rss_mb(self.pid))

    def __enter__(self) -> PeakTreeMemory:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
