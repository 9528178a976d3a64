"""Time a workspace export, its restore and the evidence CSV export for N evidence items.

    .venv/bin/python bench/transfer/run.py 100000

Runs on a fresh SQLite database in a temporary folder, or on DATABASE_URL when it is set (in
workspaces of its own, deleted afterwards). Prints a table; "peak MiB" is the process's
resident-memory high-water mark during each step (on Linux, where it can be reset between
steps; elsewhere, the high-water mark so far).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("items", type=int, nargs="?", default=100_000)
    args = parser.parse_args()
    home = tempfile.TemporaryDirectory()
    os.environ["PROBLEMSPACE_HOME"] = home.name
    os.environ["DJANGO_SETTINGS_MODULE"] = "problemspace.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with home:
        _run(args.items, Path(home.name))


def _run(items: int, folder: Path) -> None:
    from django.db import connection

    from problemspace.transfer import export_evidence_csv, export_workspace, restore_workspace
    from problemspace.workspaces.models import Workspace

    suffix = f"{random.randrange(10**6):06d}"
    source = Workspace.objects.create(name="Bench source", slug=f"bench-source-{suffix}")
    target = Workspace.objects.create(name="Bench target", slug=f"bench-target-{suffix}")
    export_path, csv_path = folder / "export.json", folder / "evidence.csv"
    results: list[tuple[str, float, float, str]] = []

    def step(name: str, work: Callable[[], Any], size: Path | None = None) -> None:
        _reset_peak()
        started = time.perf_counter()
        work()
        elapsed = time.perf_counter() - started
        extra = f"{size.stat().st_size / 2**20:,.0f} MiB file" if size else ""
        results.append((name, elapsed, _peak_mib(), extra))

    try:
        step("generate", lambda: _fill(source, items))

        def export() -> None:
            with export_path.open("w", encoding="utf-8") as stream:
                export_workspace(source, stream)

        def restore() -> None:
            with export_path.open("rb") as stream:
                restore_workspace(target, stream)

        def export_csv() -> None:
            with csv_path.open("w", encoding="utf-8", newline="") as stream:
                export_evidence_csv(source, stream)

        step("export (JSON)", export, export_path)
        step("restore", restore)
        step("export (CSV)", export_csv, csv_path)
    finally:
        source.delete()
        target.delete()
    print(f"{items:,} evidence items on {connection.vendor}, Python {sys.version.split()[0]}")
    print(f"{'step':<16}{'seconds':>10}{'items/s':>12}{'peak MiB':>10}  notes")
    for name, elapsed, peak, extra in results:
        rate = items / elapsed if elapsed else 0
        print(f"{name:<16}{elapsed:>10.1f}{rate:>12,.0f}{peak:>10.0f}  {extra}")


def _fill(workspace: Any, items: int) -> None:
    """Evidence shaped like an import: accounts, contacts, tags, a member, mixed provenance."""
    from django.contrib.auth.models import User

    from problemspace.customers.models import Account, Contact
    from problemspace.evidence.models import Evidence, EvidenceTag, Tag
    from problemspace.workspaces.models import Member

    rng = random.Random(7)
    user, _ = User.objects.get_or_create(username="bench@example.org", email="bench@example.org")
    member = Member.objects.create(workspace=workspace, user=user, role="editor")
    accounts = Account.objects.bulk_create(
        Account(workspace=workspace, name=f"Account {n}", revenue=Decimal(n * 1000) / 7)
        for n in range(max(10, items // 500))
    )
    contacts = Contact.objects.bulk_create(
        Contact(workspace=workspace, account=accounts[n % len(accounts)], email=f"c{n}@x.example")
        for n in range(len(accounts) * 5)
    )
    tags = Tag.objects.bulk_create(Tag(workspace=workspace, name=f"tag-{n}") for n in range(20))
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for first in range(0, items, 5000):
        batch = []
        for n in range(first, min(first + 5000, items)):
            contact = contacts[rng.randrange(len(contacts))]
            relayed = rng.random() < 0.25
            batch.append(
                Evidence(
                    workspace=workspace,
                    text=f"Customer said something, at some length, about problem {n % 97}. " * 3,
                    occurred_at=start + timedelta(seconds=rng.randrange(365 * 86400)),
                    channel="support",
                    account_id=contact.account_id,
                    contact=contact,
                    captured_by=member if n % 3 else None,
                    provenance="relayed" if relayed else "first_hand",
                    relayed_by="Dana (Sales)" if relayed else "",
                    source="bench",
                    external_id=f"T{n}",
                )
            )
        created = Evidence.objects.bulk_create(batch)
        EvidenceTag.objects.bulk_create(
            EvidenceTag(evidence=evidence, tag=tags[rng.randrange(len(tags))])
            for evidence in created
            if rng.random() < 0.33
        )


_STATUS = Path("/proc/self/status")


def _reset_peak() -> None:
    # Writing 5 to clear_refs resets the kernel's VmHWM for this process (Linux 4.0+).
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mib() -> float:
    with contextlib.suppress(OSError):
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 2**10
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 2**10)


if __name__ == "__main__":
    main()
