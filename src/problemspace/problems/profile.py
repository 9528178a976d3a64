"""A problem's customers and history, summed when synthesis places its evidence.

A problem's page shows the accounts and segments that have it and its evidence per week. For a
problem of 100,000 items, aggregating those on every view costs seconds; summed once when
synthesis (or the refresh after a PM's edit) places the evidence, the page reads a few hundred
numbers. Every change of placement goes through synthesis or an edit, so the sums stay true.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.utils import timezone

from problemspace.synthesis.items import Item

VERSION = 1
# The accounts kept by name, the most evidence first; the rest are only counted.
TOP_ACCOUNTS = 50


def build(items: Sequence[Item]) -> dict[str, Any]:
    """The profile of the problem whose evidence is `items` (JSON-ready).

    accounts: [[account id, items, first-hand items], ...] for the TOP_ACCOUNTS with the most;
    account_count: every account's; segments: [[segment, accounts, revenue, items], ...] ("" for
    accounts without one); weeks: {Monday (ISO date, workspace time zone): [first-hand,
    relayed]}; kinds: {kind: items} (synthesis.kinds), the mix a problem is made of.
    """
    per_account: dict[str, list[int]] = {}
    account_segment: dict[str, str] = {}
    account_revenue: dict[str, float] = {}
    weeks: dict[str, list[int]] = {}
    kinds: dict[str, int] = {}
    for item in items:
        if item.kind:
            kinds[item.kind] = kinds.get(item.kind, 0) + 1
        day = timezone.localtime(item.occurred_at).date()
        monday = (day - timedelta(days=day.weekday())).isoformat()
        week = weeks.setdefault(monday, [0, 0])
        week[0 if item.first_hand else 1] += 1
        if item.account is None:
            continue
        counts = per_account.setdefault(item.account, [0, 0])
        counts[0] += 1
        counts[1] += item.first_hand
        account_segment[item.account] = item.segment or ""
        if item.revenue:
            # The largest figure when items disagree, as the score counts it.
            account_revenue[item.account] = max(item.revenue, account_revenue.get(item.account, 0))
    segments: dict[str, list[float]] = {}
    for account, (count, _) in per_account.items():
        figures = segments.setdefault(account_segment[account], [0, 0.0, 0])
        figures[0] += 1
        figures[1] += account_revenue.get(account, 0.0)
        figures[2] += count
    top = sorted(per_account.items(), key=lambda pair: (-pair[1][0], _as_id(pair[0])))
    return {
        "version": VERSION,
        "accounts": [[_as_id(a), count, first] for a, (count, first) in top[:TOP_ACCOUNTS]],
        "account_count": len(per_account),
        "segments": [
            [name, int(accounts), round(revenue, 2), int(count)]
            # By name: the same evidence gives the same profile, in whatever order it is read.
            for name, (accounts, revenue, count) in sorted(segments.items())
        ],
        "weeks": dict(sorted(weeks.items())),
        "kinds": kinds,
    }


def _as_id(key: str) -> int:
    # Items carry account ids as strings (synthesis treats them as opaque keys).
    return int(key)
