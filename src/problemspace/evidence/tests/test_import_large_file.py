"""A million-row file streams through in bounded memory (run as a real CLI process)."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROWS = 1_000_000
MEMORY_LIMIT_MB = 500


def write_rows(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "text", "account", "email"])
        for i in range(rows):
            account = i % 3000
            writer.writerow(
                [
                    i,
                    f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z",
                    f"Customer message number {i}: the export to our ERP failed again.",
                    f"Account {account}",
                    f"person{i % 7}@account{account}.example",
                ]
            )


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and its descendants (the importer forks a reader)."""
    parents, rss = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
                status = (entry / "status").read_text()
            except OSError:
                continue
            rss[int(entry.name)] = next(
                (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")),
                0,
            )
    family, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        family.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in family) / 1024


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="memory is the same on every database"
)
def test_a_million_rows_import_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "million.csv"
    write_rows(path, ROWS)
    env = {**os.environ, "PROBLEMSPACE_HOME": str(tmp_path / "home"), "DATABASE_URL": ""}
    command = [sys.executable, "-m", "problemspace"]
    subprocess.run([*command, "init", "--workspace", "Big"], env=env, check=True)
    process = subprocess.Popen(
        [*command, "import", str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak_mb = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_mb
        while not done.wait(0.2):
            peak_mb = max(peak_mb, tree_rss_mb(process.pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    assert process.returncode == 0, stderr
    assert f"Imported {ROWS:,} new evidence items" in stdout
    # The sum counts pages the writer and its reader share after the fork twice: it errs high.
    assert 0 < peak_mb < MEMORY_LIMIT_MB, f"peak {peak_mb:.0f} MB"
    with sqlite3.connect(tmp_path / "home" / "problemspace.sqlite3") as connection:
        assert connection.execute("SELECT COUNT(*) FROM evidence_evidence").fetchone()[0] == ROWS
        assert connection.execute("SELECT COUNT(*) FROM customers_account").fetchone()[0] == 3000
