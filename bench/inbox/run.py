"""Inbox benchmark: server time of the evidence pages with 1,000,000 evidence rows.

Fills a fresh database with ROWS evidence rows over three years (2,000 accounts in five
segments), then times whole requests through Django (middleware, queries, templates) for the
inbox with each filter, on the first page and deep in the history (a cursor 90% of the way
down), plus the accounts list and an account's page. Figures are medians in milliseconds.

    .venv/bin/python bench/inbox/run.py [--rows N] [--databases sqlite,postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import PYTHON, fresh_postgres, machine, save, table

SEGMENTS = ["Enterprise", "Mid-market", "SMB", "Public sector", "Startup"]
ACCOUNTS = 2000
BATCH = 20_000
REPEAT = 7
INBOX_CASES = {
    "inbox": {},
    "inbox, channel": {"channel": "interview"},
    "inbox, provenance": {"provenance": "relayed"},
    "inbox, segment": {"segment": "SMB"},
    "inbox, account": {"account": "Account 1000"},
    "inbox, channel + provenance": {"channel": "support", "provenance": "first_hand"},
    "inbox, jump to date": {"to": "2024-06-30"},
    "inbox, text (common word)": {"text": "billing"},
    "inbox, text (no match)": {"text": "zzz-not-there"},
}


def fill(rows: int) -> None:
    """The workspace "bench": accounts, a member, and ROWS evidence rows by raw INSERTs."""
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from problemspace.customers.models import Account
    from problemspace.evidence.models import Channel, Evidence
    from problemspace.workspaces.models import Member, Role, Workspace

    rng = random.Random(7)
    workspace = Workspace.objects.create(name="Bench", slug="bench")
    user = User.objects.create_user("bench@example.org", password=None)
    Member.objects.create(workspace=workspace, user=user, role=Role.VIEWER)
    Account.objects.bulk_create(
        Account(workspace=workspace, name=f"Account {n}", segment=SEGMENTS[n % len(SEGMENTS)])
        for n in range(ACCOUNTS)
    )
    account_ids = list(Account.objects.filter(workspace=workspace).values_list("id", flat=True))
    start = datetime(2023, 1, 1, tzinfo=UTC)
    span = int(timedelta(days=3 * 365).total_seconds())
    # Raw INSERTs: ten times faster than bulk_create, and the only input is our own table name.
    sql = (
        f"INSERT INTO {Evidence._meta.db_table} (workspace_id, text, occurred_at, channel,"  # noqa: S608
        " account_id, provenance, relayed_by, source, external_id, source_url, created_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(datetime.now(UTC))
    words = ["export", "slow", "billing", "sso", "permissions", "report", "dashboard", "api"]
    for offset in range(0, rows, BATCH):
        batch = []
        for n in range(offset, min(rows, offset + BATCH)):
            relayed = rng.random() < 0.4
            # Whole seconds, so many rows share an occurred_at, as imported dates do.
            when = start + timedelta(seconds=rng.randrange(span))
            batch.append(
                (
                    workspace.pk,
                    " ".join(rng.choices(words, k=12)),
                    adapt(when),
                    rng.choice(Channel.values),
                    rng.choice(account_ids) if rng.random() < 0.9 else None,
                    "relayed" if relayed else "first_hand",
                    "Sales" if relayed else "",
                    "bench",
                    str(n),
                    "",
                    now,
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
    # What autovacuum does long before anyone reads the inbox: statistics, and on PostgreSQL
    # the visibility map that lets the accounts list count through an index-only scan.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def median_ms(request: Callable[[], object]) -> float:
    request()  # warm the caches once, as a second visitor would find them
    samples = []
    for _ in range(REPEAT):
        began = time.perf_counter()
        request()
        samples.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(samples), 1)


def measure() -> list[dict[str, object]]:
    from django.contrib.auth.models import User
    from django.test import Client

    from problemspace.customers.models import Account
    from problemspace.evidence.models import Evidence
    from problemspace.evidence.queries import Cursor

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="bench@example.org"))
    newest_first = Evidence.objects.order_by("-occurred_at", "-id")
    deep = newest_first.values_list("occurred_at", "id")[int(newest_first.count() * 0.9)]
    deep_cursor = Cursor(deep[0], deep[1]).encode()

    def get(url: str, params: dict[str, str]) -> Callable[[], object]:
        def request() -> object:
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code
            return response

        return request

    results: list[dict[str, object]] = []
    for name, params in INBOX_CASES.items():
        first = median_ms(get("/w/bench/inbox/", params))
        deeper = median_ms(get("/w/bench/inbox/", {**params, "after": deep_cursor}))
        results.append({"page": name, "first_ms": first, "deep_ms": deeper})
    account = Account.objects.get(name="Account 1000")
    for name, url in [
        ("accounts list, by revenue", "/w/bench/accounts/?sort=-revenue"),
        ("account page", f"/w/bench/accounts/{account.pk}/"),
        ("evidence page", f"/w/bench/evidence/{newest_first.first().pk}/"),
    ]:
        results.append({"page": name, "first_ms": median_ms(get(url, {})), "deep_ms": None})
    return results


def child(rows: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "problemspace.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    fill(rows)
    print(f"filled in {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
    print(json.dumps(measure()))


def bench_database(database: str, rows: int) -> list[dict[str, object]]:
    home = tempfile.mkdtemp(prefix=f"psbench-inbox-{database}-")
    # As `problemspace serve` leaves it, and WhiteNoise does not warn on every request.
    (Path(home) / "static").mkdir()
    url = fresh_postgres("problemspace_bench_inbox") if database == "postgres" else ""
    env = {**os.environ, "PROBLEMSPACE_HOME": home, "DATABASE_URL": url}
    result = subprocess.run(
        [str(PYTHON), __file__, "--child", "--rows", str(rows)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return [{"database": database, "rows": rows, **row} for row in json.loads(result.stdout)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.rows)
        return
    results = []
    for database in args.databases.split(","):
        print(f"filling {database} with {args.rows:,} evidence rows ...", flush=True)
        results += bench_database(database, args.rows)
    print()
    print(
        table(
            ["database", "page", "first page ms", "deep page ms"],
            [
                [
                    str(r["database"]),
                    str(r["page"]),
                    str(r["first_ms"]),
                    "" if r["deep_ms"] is None else str(r["deep_ms"]),
                ]
                for r in results
            ],
        )
    )
    path = save("inbox", {"machine": machine(), "repeat": REPEAT, "results": results})
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
