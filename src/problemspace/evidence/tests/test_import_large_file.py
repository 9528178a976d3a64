"""A million-row file streams through in bounded memory (run as a real CLI process)."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from problemspace.lib.process_memory import PeakTreeMemory

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
    with PeakTreeMemory(process.pid) as memory:
        stdout, stderr = process.communicate()
    peak_mb = memory.peak_mb
    assert process.returncode == 0, stderr
    assert f"Imported {ROWS:,} new evidence items" in stdout
    # The sum counts pages the writer and its reader share after the fork twice: it errs high.
    assert 0 < peak_mb < MEMORY_LIMIT_MB, f"peak {peak_mb:.0f} MB"
    with sqlite3.connect(tmp_path / "home" / "problemspace.sqlite3") as connection:
        assert connection.execute("SELECT COUNT(*) FROM evidence_evidence").fetchone()[0] == ROWS
        assert connection.execute("SELECT COUNT(*) FROM customers_account").fetchone()[0] == 3000
