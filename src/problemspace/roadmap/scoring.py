"""The roadmap's arithmetic, in plain Python (no Django): key-result progress and the RICE-style
score of an initiative, each with a sentence a PM can read.

RICE (Sean McBride, Intercom, 2016, "RICE: Simple prioritization for product managers"):

    score = reach * impact * confidence / effort

Here reach and confidence are not guessed: they come from the evidence of the customer problems
the initiative solves (docs/roadmap.md explains each rule for PMs).

- Reach: the customers with evidence in the linked problems over the last `window_days` days:
  distinct accounts, plus people we heard from who belong to no account.
- Confidence: one of RICE's levels, 100% (high), 80% (medium) or 50% (low), by points. One point
  each for: at least half the conversations heard first-hand; at least INDEPENDENT_ACCOUNTS
  accounts; a conversation in the last RECENT_DAYS days; a linked assumption validated. A linked
  assumption invalidated takes a point away. HIGH_POINTS or more is high, MEDIUM_POINTS medium,
  fewer low. With no evidence at all it is low.
- Impact: entered, on RICE's scale 0.25 (minimal), 0.5, 1, 2, 3 (massive).
- Effort: entered, in person-weeks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

WINDOW_DAYS = 90
RECENT_DAYS = 30
FIRST_HAND_SHARE = 0.5
INDEPENDENT_ACCOUNTS = 5
HIGH_POINTS, MEDIUM_POINTS = 3, 2
HIGH, MEDIUM, LOW = 1.0, 0.8, 0.5
CONFIDENCE_WORDS = {HIGH: "high", MEDIUM: "medium", LOW: "low"}
# The signs of the explanation's arithmetic, as a PM would write it on paper.
TIMES, DIVIDED = "\u00d7", "\u00f7"
IMPACT_WORDS = {0.25: "minimal", 0.5: "low", 1.0: "medium", 2.0: "high", 3.0: "massive"}


# --- Key results -------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How far a key result has come: `share` from 0 to 1 (clamped), and which way it
    should move: "up", "down" (target below baseline) or "hold" (target equals baseline)."""

    share: float
    direction: str

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    @property
    def done(self) -> bool:
        return self.share >= 1.0


def progress(baseline: float, target: float, current: float) -> Progress:
    """(current - baseline) / (target - baseline), clamped to [0, 1].

    The same formula serves a measure that should go down: both differences are negative, so
    their ratio is the share of the way travelled. When the target is the baseline ("keep it
    at 99.9%"), it is all or nothing: at (or better than) the target, or not. "Better" has no
    direction then, so only the target itself counts, within a millionth of its size.
    """
    span = target - baseline
    if span == 0:
        tolerance = abs(target) * 1e-6 + 1e-9
        return Progress(1.0 if abs(current - target) <= tolerance else 0.0, "hold")
    share = (current - baseline) / span
    return Progress(min(1.0, max(0.0, share)), "up" if span > 0 else "down")


# --- Initiatives -------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceFigures:
    """What the linked problems' evidence says, counted over the last `window_days` days.

    `conversations` counts each conversation once (copies relayed again are not counted);
    `first_hand` is how many of them were heard first-hand; `days_since_latest` is None when
    there was none in the window. `validated` and `invalidated` count the assumptions linked to
    those problems that experiments decided.
    """

    problems: int = 0
    accounts: int = 0
    lone_contacts: int = 0
    conversations: int = 0
    first_hand: int = 0
    days_since_latest: int | None = None
    validated: int = 0
    invalidated: int = 0
    window_days: int = WINDOW_DAYS

    @property
    def reach(self) -> int:
        return self.accounts + self.lone_contacts

    @property
    def first_hand_share(self) -> float:
        return self.first_hand / self.conversations if self.conversations else 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvidenceFigures:
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class Confidence:
    level: float  # HIGH, MEDIUM or LOW
    points: int
    reasons: tuple[str, ...]  # what earned or lost points, for the explanation

    @property
    def word(self) -> str:
        return CONFIDENCE_WORDS[self.level]

    @property
    def percent(self) -> int:
        return round(self.level * 100)


def confidence(figures: EvidenceFigures) -> Confidence:
    """RICE's confidence level, from the evidence by the points rule (module docstring)."""
    if not figures.conversations:
        return Confidence(LOW, 0, ("no evidence in the window",))
    points = 0
    reasons: list[str] = []
    share = figures.first_hand_share
    if share >= FIRST_HAND_SHARE:
        points += 1
        reasons.append(f"{round(share * 100)}% first-hand")
    else:
        reasons.append(f"only {round(share * 100)}% first-hand")
    if figures.accounts >= INDEPENDENT_ACCOUNTS:
        points += 1
        reasons.append(_plural(figures.accounts, "independent account"))
    else:
        reasons.append(f"only {_plural(figures.accounts, 'account')}")
    latest = figures.days_since_latest
    if latest is not None and latest <= RECENT_DAYS:
        points += 1
        reasons.append("heard " + ("today" if latest == 0 else f"{_plural(latest, 'day')} ago"))
    else:
        reasons.append(f"nothing in the last {RECENT_DAYS} days")
    if figures.validated:
        points += 1
        reasons.append(_plural(figures.validated, "assumption") + " validated")
    if figures.invalidated:
        points -= 1
        reasons.append(_plural(figures.invalidated, "assumption") + " invalidated")
    level = HIGH if points >= HIGH_POINTS else MEDIUM if points >= MEDIUM_POINTS else LOW
    return Confidence(level, points, tuple(reasons))


@dataclass(frozen=True)
class Score:
    value: float
    reach: int
    impact: float
    confidence: Confidence
    effort: float
    figures: EvidenceFigures

    def explain(self) -> str:
        """One sentence: "12 customers in 90 days x high impact (2) x 80% confidence (medium:
        60% first-hand, 12 independent accounts, nothing in the last 30 days) / 4 person-weeks =
        4.8"."""
        f = self.figures
        if not f.problems:
            return "No customer problem linked, so no reach: link the problems it solves."
        if not f.reach:
            return (
                f"No customer with evidence in the linked "
                f"{'problem' if f.problems == 1 else 'problems'} over the last "
                f"{f.window_days} days, so no reach yet."
            )
        impact = IMPACT_WORDS.get(self.impact, "")
        c = self.confidence
        return (
            f"{_plural(self.reach, 'customer')} in {f.window_days} days {TIMES} {impact} impact "
            f"({format_number(self.impact)}) {TIMES} {c.percent}% confidence ({c.word}: "
            f"{', '.join(c.reasons)}) {DIVIDED} {_plural_number(self.effort, 'person-week')} "
            f"= {format_number(self.value)}"
        )


def score(figures: EvidenceFigures, *, impact: float, effort: float) -> Score:
    """reach * impact * confidence / effort, rounded to one decimal (tenths are enough to
    rank; more would suggest a precision the inputs do not have)."""
    if effort <= 0:
        raise ValueError("effort must be positive")
    level = confidence(figures)
    value = round(figures.reach * impact * level.level / effort, 1)
    return Score(value, figures.reach, impact, level, effort, figures)


def days_between(earlier: datetime, later: datetime) -> int:
    return max(0, (later - earlier).days)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def format_number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _plural_number(value: float, noun: str) -> str:
    return f"{format_number(value)} {noun}{'' if value == 1 else 's'}"
