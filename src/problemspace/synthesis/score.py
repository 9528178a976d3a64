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
relayed five times weighs what one call weighs. A conversation is first-hand when any of its
copies was heard first-hand, and weighs what its strongest copy weighs. A component the
workspace has no data for (no revenue recorded anywhere, no segments) is left out rather than
counted as zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
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
    """How much each component counts, and how evidence is weighed; the defaults are the
    documented ones (docs/synthesis.md). Component weights need not add up to 1."""

    reach: float = 0.35
    revenue: float = 0.20
    spread: float = 0.15
    trend: float = 0.10
    first_hand: float = 0.10
    strength: float = 0.10
    recent_days: int = 30
    # What one conversation says, by channel (unknown channels count as "other"), and the
    # factor for one heard only second-hand.
    channels: dict[str, float] = field(default_factory=lambda: dict(CHANNEL_WEIGHT))
    relayed: float = RELAYED_FACTOR

    def evidence(self, conversation: Sequence[Item]) -> float:
        """The evidence one conversation gives: its strongest copy."""
        other = self.channels.get("other", CHANNEL_WEIGHT["other"])
        return max(
            self.channels.get(i.channel, other) * (1 if i.first_hand else self.relayed)
            for i in conversation
        )


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
    def of(
        cls,
        items: Sequence[Item],
        today: datetime,
        duplicate_of: Mapping[int, int],
        weights: Weights | None = None,
    ) -> ScoringContext:
        """The totals of a whole workspace's evidence (every problem's, and the unassigned)."""
        weights = weights or Weights()
        return cls(
            accounts=len({i.account for i in items if i.account}),
            contacts=len({i.contact for i in items if i.contact}),
            segments=len({i.segment for i in items if i.segment}),
            revenue=sum(_revenue_by_account(items).values()),
            strength=sum(weights.evidence(c) for c in conversations(items, duplicate_of)),
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
        """One line a PM can read: "15 accounts, 3 segments, $900k ARR, 100% first-hand,
        steady", with "(40 items, 2 distinct)" when copies were collapsed."""
        if not self.items:
            return "no evidence yet"
        parts = [
            _plural(self.accounts, "account") if self.accounts else None,
            _plural(self.contacts, "contact") if self.contacts and not self.accounts else None,
            "no named customer" if not (self.accounts or self.contacts) else None,
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


def conversations(items: Sequence[Item], duplicate_of: Mapping[int, int]) -> list[list[Item]]:
    """`items` grouped into conversations: each item with the copies of it among `items`.

    A copy whose original is elsewhere (a PM moved one of them) still stands for the
    conversation here, once.
    """
    groups: dict[int, list[Item]] = {}
    for item in items:
        groups.setdefault(duplicate_of.get(item.id, item.id), []).append(item)
    return list(groups.values())


def _revenue_by_account(items: Sequence[Item]) -> dict[str, float]:
    """Each account's revenue once; the largest figure when items disagree."""
    revenue: dict[str, float] = {}
    for item in items:
        if item.account and item.revenue:
            revenue[item.account] = max(item.revenue, revenue.get(item.account, 0.0))
    return revenue


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
    """How broadly real customers have this problem, from the items voicing it.

    `context` holds the workspace's totals (the same for every problem of one run, so scores
    compare); `duplicate_of` maps each repeat to its original (dedupe.find_duplicates), and
    every conversation counts once however many copies reached us.
    """
    weights = weights or Weights()
    heard = conversations(items, duplicate_of)
    accounts = {i.account for i in items if i.account}
    contacts = {i.contact for i in items if i.contact}
    segments = {i.segment for i in items if i.segment}
    revenue = sum(_revenue_by_account(items).values())
    first_hand = sum(1 for c in heard if any(i.first_hand for i in c))
    share = first_hand / len(heard) if heard else 0.0
    first_heard = [min(i.occurred_at for i in c) for c in heard]
    trend_value, trend_word = _trend(first_heard, context.today, weights.recent_days)

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
    components["strength"] = _log_share(sum(weights.evidence(c) for c in heard), context.strength)
    total_weight = sum(getattr(weights, name) for name in components)
    value = (
        sum(getattr(weights, name) * c for name, c in components.items()) / total_weight
        if heard and total_weight
        else 0.0
    )
    return Score(
        value=round(value, 4),
        components={name: round(c, 4) for name, c in components.items()},
        accounts=len(accounts),
        contacts=len(contacts),
        segments=len(segments),
        revenue=revenue,
        conversations=len(heard),
        items=len(items),
        first_hand_share=share,
        trend=trend_word,
    )


def _trend(dates: Sequence[datetime], today: datetime, recent_days: int) -> tuple[float, str]:
    """0.5 when steady; towards 1 when the recent rate is above the earlier one, 0 below."""
    if not dates:
        return 0.5, "no evidence"
    start = today - timedelta(days=recent_days)
    recent = sum(1 for date in dates if date >= start)
    earlier = [date for date in dates if date < start]
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
