"""Score stage: rank problems by how broadly real customers have them, and say why.

score = Σ weight * component / Σ weight, each component between 0 and 1 (see
docs/synthesis.md for the reasoning, written for PMs):

- reach: distinct accounts and distinct contacts with the problem, on a log scale against
  those heard from in the whole workspace (10 of 40 accounts is a lot; 40 items from 2 is not);
- revenue: the share of the workspace's known annual revenue held by those accounts (square
  root, so a few mid-size customers still register);
- spread: the share of the workspace's segments among those accounts;
- trend: conversations in the recent window against the rate before it; 0.5 is steady;
- first-hand: the share of conversations heard first-hand rather than relayed;
- strength: distinct conversations, weighted by channel (an interview says more than a
  relayed sales note), on a log scale against the workspace's.

Everything counts *conversations*: near-duplicates (dedupe.py) collapse to one, so a call
relayed five times weighs what one call weighs. A component the workspace has no data for
(no revenue recorded anywhere, no segments) is left out rather than counted as zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from problemspace.synthesis.items import Item

CHANNEL_WEIGHT = {
    "interview": 1.0,
    "portal": 0.8,
    "support": 0.8,
    "email": 0.8,
    "survey": 0.7,
    "community": 0.7,
    "review": 0.6,
    "social": 0.5,
    "sales_call": 0.6,
    "other": 0.6,
}
RELAYED_FACTOR = 0.5
RISING, FALLING = 1.5, 1 / 1.5


@dataclass(frozen=True)
class Weights:
    reach: float = 0.35
    revenue: float = 0.20
    spread: float = 0.15
    trend: float = 0.10
    first_hand: float = 0.10
    strength: float = 0.10
    recent_days: int = 30


@dataclass(frozen=True)
class ScoringContext:
    """Workspace totals that make one problem's figures comparable with another's."""

    accounts: int
    contacts: int
    segments: int
    revenue: float
    strength: float
    today: datetime

    @classmethod
    def of(cls, items: Sequence[Item], today: datetime, duplicate_of: Mapping[int, int]) -> Any:
        revenue: dict[str, float] = {}
        for item in items:
            if item.account and item.revenue:
                revenue[item.account] = item.revenue
        return cls(
            accounts=len({i.account for i in items if i.account}),
            contacts=len({i.contact for i in items if i.contact}),
            segments=len({i.segment for i in items if i.segment}),
            revenue=sum(revenue.values()),
            strength=_strength([i for i in items if i.id not in duplicate_of]),
            today=today,
        )


@dataclass(frozen=True)
class Score:
    value: float
    components: dict[str, float]
    accounts: int
    contacts: int
    segments: int
    revenue: float
    conversations: int
    items: int
    first_hand_share: float
    trend: str

    def explain(self) -> str:
        parts = [
            _plural(self.accounts, "account") if self.accounts else None,
            _plural(self.contacts, "contact") if self.contacts and not self.accounts else None,
            _plural(self.segments, "segment") if self.segments else None,
            f"{_money(self.revenue)} ARR" if self.revenue else None,
            f"{round(self.first_hand_share * 100)}% first-hand",
            self.trend,
        ]
        text = ", ".join(part for part in parts if part)
        if self.items != self.conversations:
            text += f" ({self.items:,} items, {self.conversations:,} distinct)"
        return text

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _strength(items: Sequence[Item]) -> float:
    return sum(
        CHANNEL_WEIGHT.get(i.channel, 0.6) * (1 if i.first_hand else RELAYED_FACTOR) for i in items
    )


def _log_share(part: float, whole: float) -> float:
    if whole <= 0:
        return 0.0
    return min(1.0, math.log1p(part) / math.log1p(whole))


def score_problem(
    items: Sequence[Item],
    context: ScoringContext,
    duplicate_of: Mapping[int, int],
    weights: Weights | None = None,
) -> Score:
    weights = weights or Weights()
    conversations = [i for i in items if i.id not in duplicate_of]
    accounts = {i.account for i in conversations if i.account}
    contacts = {i.contact for i in conversations if i.contact}
    segments = {i.segment for i in conversations if i.segment}
    revenue_by_account = {i.account: i.revenue for i in conversations if i.account and i.revenue}
    revenue = sum(revenue_by_account.values())
    first_hand = sum(1 for i in conversations if i.first_hand)
    share = first_hand / len(conversations) if conversations else 0.0
    trend_value, trend_word = _trend(conversations, context.today, weights.recent_days)

    components: dict[str, float] = {}
    if context.accounts or context.contacts:
        reach_parts = [
            _log_share(len(accounts), context.accounts) if context.accounts else None,
            _log_share(len(contacts), context.contacts) if context.contacts else None,
        ]
        known = [part for part in reach_parts if part is not None]
        components["reach"] = sum(known) / len(known)
    if context.revenue > 0:
        components["revenue"] = math.sqrt(min(1.0, revenue / context.revenue))
    if context.segments:
        components["spread"] = len(segments) / context.segments
    components["trend"] = trend_value
    components["first_hand"] = share
    components["strength"] = _log_share(_strength(conversations), context.strength)
    total_weight = sum(getattr(weights, name) for name in components)
    value = (
        sum(getattr(weights, name) * c for name, c in components.items()) / total_weight
        if conversations and total_weight
        else 0.0
    )
    return Score(
        value=round(value, 4),
        components={name: round(c, 4) for name, c in components.items()},
        accounts=len(accounts),
        contacts=len(contacts),
        segments=len(segments),
        revenue=revenue,
        conversations=len(conversations),
        items=len(items),
        first_hand_share=share,
        trend=trend_word,
    )


def _trend(items: Sequence[Item], today: datetime, recent_days: int) -> tuple[float, str]:
    """0.5 when steady; towards 1 when the recent rate is above the earlier one, 0 below."""
    if not items:
        return 0.5, "no evidence"
    start = today - timedelta(days=recent_days)
    recent = sum(1 for i in items if i.occurred_at >= start)
    earlier = [i.occurred_at for i in items if i.occurred_at < start]
    if not earlier:
        return (1.0, "new") if recent else (0.5, "steady")
    earlier_days = max((start - min(earlier)).days, recent_days)
    # +1 smoothing: a single recent item after a quiet year is not a surge.
    ratio = ((recent + 1) / recent_days) / ((len(earlier) + 1) / earlier_days)
    value = 0.5 + 0.5 * math.tanh(math.log(ratio))
    word = "rising" if ratio >= RISING else "falling" if ratio <= FALLING else "steady"
    return value, word


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _money(amount: float) -> str:
    if amount >= 1_000_000:
        return f"${amount / 1_000_000:.1f}M"
    if amount >= 1_000:
        return f"${amount / 1_000:.0f}k"
    return f"${amount:.0f}"
