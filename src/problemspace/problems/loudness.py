"""Loud or wide: each ranked problem's volume beside its reach.

The question a PM is asked to answer is "which problem do the most customers have, and which is
only the loudest?". The ranking weighs reach already; this puts the two side by side so a loud
problem stands out as loud: many items from few accounts (a big prospect repeating one ask
through sales, a ticket storm from one customer), often relayed rather than heard first-hand.

A problem is **wide** when it reaches at least as many accounts as the median ranked problem;
**loud** when it reaches at most half as many (NARROW_SHARE), and its items per account are
at least LOUD_FACTOR times the median's; otherwise **narrow**. Both bounds, so that at a fine
granularity, where every problem has few accounts, a problem only a little below the median is
not called loud. It is **mostly relayed** when under half of its evidence was
heard first-hand. Medians, not fixed numbers, because what is "many" depends on the workspace:
ten accounts is wide for a start-up and narrow for a product with thousands of customers.
The figures are the ones synthesis scored the problem by (Problem.score_components).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from statistics import median

from problemspace.problems.models import Problem
from problemspace.problems.queries import RANKING_ORDER
from problemspace.workspaces.models import Workspace

# Items per account, against the median problem's, from which a narrow problem is loud.
LOUD_FACTOR = 2.0
# Accounts, against the median problem's, up to which a problem can be loud.
NARROW_SHARE = 0.5
# Below this share of first-hand evidence a problem is mostly relayed.
RELAYED_BELOW = 0.5


class Verdict(StrEnum):
    WIDE = "wide"
    LOUD = "loud"
    NARROW = "narrow"
    UNKNOWN = "unknown"  # no evidence names an account

    @property
    def label(self) -> str:
        return {
            Verdict.WIDE: "Wide",
            Verdict.LOUD: "Loud, narrow",
            Verdict.NARROW: "Narrow",
            Verdict.UNKNOWN: "No accounts named",
        }[self]


@dataclass(frozen=True)
class Voice:
    """One ranked problem, as loud and as wide as it is."""

    problem_id: int
    title: str
    place: int  # in the ranking, 1 for the top
    items: int
    accounts: int
    first_hand_share: float | None
    verdict: Verdict

    @property
    def per_account(self) -> float | None:
        return self.items / self.accounts if self.accounts else None

    @property
    def relayed(self) -> bool:
        return self.first_hand_share is not None and self.first_hand_share < RELAYED_BELOW

    def sentence(self) -> str:
        """In words, such as: 71 items from 2 accounts (36 an account), 10% heard first-hand."""
        said = f"{self.items:,} item{'s' if self.items != 1 else ''}"
        if self.accounts:
            said += (
                f" from {self.accounts:,} account{'s' if self.accounts != 1 else ''} "
                f"({self.per_account:.0f} an account)"
            )
        if self.first_hand_share is not None:
            said += f", {self.first_hand_share:.0%} heard first-hand"
        return said


@dataclass(frozen=True)
class Loudness:
    voices: list[Voice]
    median_accounts: float
    median_per_account: float

    @property
    def loud(self) -> list[Voice]:
        return [v for v in self.voices if v.verdict == Verdict.LOUD]


def _figure(figures: dict[str, object], key: str) -> float | None:
    value = figures.get(key)
    return float(value) if isinstance(value, int | float) else None


def loudness(workspace: Workspace) -> Loudness:
    """Every problem of the ranking (not praise, candidates or dismissed), in ranking order."""
    problems = (
        Problem.objects.filter(workspace=workspace, candidate=False, dismissed=False, praise=False)
        .only("pk", "title", "score_components", "pinned", "score")
        .order_by(*RANKING_ORDER)
    )
    rows = []
    for place, problem in enumerate(problems, 1):
        figures = problem.score_components or {}
        items = int(_figure(figures, "items") or 0)
        accounts = int(_figure(figures, "accounts") or 0)
        rows.append((place, problem, items, accounts, _figure(figures, "first_hand_share")))
    reached = [accounts for *_, accounts, _ in rows if accounts]
    median_accounts = float(median(reached)) if reached else 0.0
    median_per_account = (
        float(median(items / accounts for _, _, items, accounts, _ in rows if accounts))
        if reached
        else 0.0
    )
    voices = []
    for place, problem, items, accounts, first_hand in rows:
        if not accounts:
            verdict = Verdict.UNKNOWN
        elif accounts >= median_accounts:
            verdict = Verdict.WIDE
        elif (
            accounts <= NARROW_SHARE * median_accounts
            and items / accounts >= LOUD_FACTOR * median_per_account
        ):
            verdict = Verdict.LOUD
        else:
            verdict = Verdict.NARROW
        voices.append(Voice(problem.pk, problem.title, place, items, accounts, first_hand, verdict))
    return Loudness(voices, median_accounts, median_per_account)
