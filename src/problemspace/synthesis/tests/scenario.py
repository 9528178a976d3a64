"""The bias scenario, generated in code: loud and recent vs broad and first-hand.

Problem A: one complaint relayed again and again by sales, from two accounts, all in the last
week (40 items). Problem B: reported first-hand by 15 accounts across three segments over
six months (20 items). A has twice B's items; B is the broader problem.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from problemspace.synthesis.items import Item

TODAY = datetime(2026, 11, 20, 12, tzinfo=UTC)

LOUD = [
    "Customer says they need single sign-on with Okta before they renew",
    "They are asking again for SSO through Okta, it blocks the renewal",
    "Okta SSO is a must-have for them, renewal depends on it",
    "Reminder from the call: no Okta single sign-on, no renewal",
]
BROAD = [
    "The CSV export times out when our ledger is large",
    "Exporting the ledger to CSV fails with a timeout for a full year",
    "Our month-end CSV export never finishes, it times out",
    "CSV export of large ledgers keeps timing out",
    "We cannot export the general ledger to CSV, it times out after a minute",
]


def bias_items() -> tuple[list[Item], set[int], set[int]]:
    items: list[Item] = []
    loud: set[int] = set()
    broad: set[int] = set()
    for n in range(40):
        account = f"big-{n % 2}"
        items.append(
            Item(
                id=len(items) + 1,
                text=LOUD[n % len(LOUD)],
                occurred_at=TODAY - timedelta(days=n % 7, hours=n),
                first_hand=False,
                contact=f"contact-{account}",
                account=account,
                segment="enterprise",
                revenue=400_000.0,
                channel="sales_call",
            )
        )
        loud.add(len(items))
    segments = ["smb", "mid-market", "enterprise"]
    for n in range(20):
        account = f"broad-{n % 15}"
        items.append(
            Item(
                id=len(items) + 1,
                text=BROAD[n % len(BROAD)],
                occurred_at=TODAY - timedelta(days=10 + 9 * n),
                first_hand=True,
                contact=f"contact-{account}",
                account=account,
                segment=segments[n % 3],
                revenue=60_000.0,
                channel="support" if n % 2 else "interview",
            )
        )
        broad.add(len(items))
    return items, loud, broad
