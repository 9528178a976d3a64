"""Write a synthetic support-desk export of N evidence rows for the import benchmark.

The rows look like a real export: ids, ISO dates over a year, a few thousand accounts and
contacts, channels, tags on a third of the rows, relayed rows with who relayed them, texts of
20 to 400 characters. Deterministic for a given N and seed.
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

PHRASES = [
    "The invoice scan misread the line items again",
    "Approvals get stuck when the approver is on leave",
    "NetSuite sync created duplicate vendors",
    "Month-end export takes forever",
    "We need SSO with Okta before we can roll this out",
    "Currency rounding is off by a cent on EUR invoices",
    "I cannot approve from my phone",
    "The audit log does not show who changed the bank details",
    "Vendor onboarding asks for the W-9 twice",
    "We paid the same invoice twice last month",
]
CHANNELS = ["support", "support", "support", "sales_call", "survey", "review", "email", "interview"]
SEGMENTS = ["SMB", "Mid-market", "Enterprise", "Partner"]
TAGS = ["ocr", "approvals", "integration:netsuite", "export", "sso", "mobile", "churn-risk"]


def write_csv(path: Path, rows: int, seed: int = 7, end: datetime | None = None) -> None:
    """`rows` rows over the year 2025, or over the year before `end`."""
    rng = random.Random(seed)
    start = end - timedelta(days=365) if end else datetime(2025, 1, 1, tzinfo=UTC)
    n_accounts = max(10, min(2000, rows // 500))
    accounts = [(f"Account {i:04d}", SEGMENTS[i % len(SEGMENTS)]) for i in range(n_accounts)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Ticket ID",
                "Created",
                "Body",
                "Channel",
                "Company",
                "Segment",
                "Requester email",
                "Requester",
                "Relayed by",
                "Tags",
            ]
        )
        for i in range(rows):
            account, segment = accounts[rng.randrange(n_accounts)]
            contact = rng.randrange(5)
            words = rng.randint(1, 6)
            text = ". ".join(rng.choice(PHRASES) for _ in range(words)) + f" (ref {i})"
            relayed = rng.random() < 0.25
            tags = "; ".join(rng.sample(TAGS, rng.randint(1, 2))) if rng.random() < 0.33 else ""
            occurred = start + timedelta(seconds=rng.randrange(365 * 24 * 3600))
            writer.writerow(
                [
                    f"T{i}",
                    occurred.isoformat(timespec="seconds"),
                    text,
                    rng.choice(CHANNELS),
                    account,
                    segment,
                    f"user{contact}@{account.lower().replace(' ', '')}.example",
                    f"User {contact} of {account}",
                    "Dana Whitfield (Sales)" if relayed else "",
                    tags,
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rows", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_csv(args.output, args.rows, args.seed)


if __name__ == "__main__":
    main()
