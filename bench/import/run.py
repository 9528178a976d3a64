"""Import benchmark: 1,000,000 evidence rows from CSV into SQLite and PostgreSQL.

Each run is a fresh database and a real `problemspace import` process; the figures are its
wall time (start-up included), rows per second and peak resident memory. A second import of
the same file measures the idempotent path (every row recognised, nothing written).

    .venv/bin/python bench/import/run.py [--rows N] [--databases sqlite,postgres]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_csv import write_csv

from common import OUT, PYTHON, fresh_postgres, machine, run_measured, save, table


def bench_database(database: str, csv_path: Path, rows: int) -> dict[str, object]:
    home = tempfile.mkdtemp(prefix=f"psbench-{database}-")
    url = fresh_postgres("problemspace_bench") if database == "postgres" else ""
    env = {**os.environ, "PROBLEMSPACE_HOME": home, "DATABASE_URL": url}
    command = [str(PYTHON), "-m", "problemspace"]
    init = run_measured([*command, "init", "--workspace", "Bench"], env)
    assert init.returncode == 0, init.stderr
    first = run_measured([*command, "import", str(csv_path), "--channel", "support"], env)
    assert first.returncode == 0, first.stderr
    assert f"Imported {rows:,} new" in first.stdout, first.stdout
    again = run_measured([*command, "import", str(csv_path)], env)
    assert again.returncode == 0 and f"{rows:,} already imported" in again.stdout, again.stdout
    return {
        "database": database,
        "rows": rows,
        "seconds": round(first.seconds, 1),
        "rows_per_second": round(rows / first.seconds),
        "peak_mb": round(first.peak_mb),
        "tree_peak_mb": round(first.tree_peak_mb),
        "reimport_seconds": round(again.seconds, 1),
        "reimport_tree_peak_mb": round(again.tree_peak_mb),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    csv_path = OUT / f"evidence-{args.rows}.csv"
    if not csv_path.exists():
        print(f"writing {csv_path} ...", flush=True)
        write_csv(csv_path, args.rows)
    size_mb = csv_path.stat().st_size / 2**20
    results = []
    for database in args.databases.split(","):
        print(f"importing {args.rows:,} rows ({size_mb:.0f} MB) into {database} ...", flush=True)
        results.append(bench_database(database, csv_path, args.rows))
    print()
    print(
        table(
            [
                "database",
                "rows",
                "wall s",
                "rows/s",
                "peak MB (writer)",
                "peak MB (all)",
                "re-import s",
                "re-import MB (all)",
            ],
            [
                [
                    str(r["database"]),
                    f"{r['rows']:,}",
                    str(r["seconds"]),
                    f"{r['rows_per_second']:,}",
                    str(r["peak_mb"]),
                    str(r["tree_peak_mb"]),
                    str(r["reimport_seconds"]),
                    str(r["reimport_tree_peak_mb"]),
                ]
                for r in results
            ],
        )
    )
    path = save("import", {"machine": machine(), "file_mb": round(size_mb), "results": results})
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
