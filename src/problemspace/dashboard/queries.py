"""The dashboard's figures: what customers said lately, and how the problems stand.

Everything about recent evidence comes from grouped queries over one date range of the
(workspace, -occurred_at, -id) index, and per-account seeks of the (account, -occurred_at)
index, so a workspace of a million items costs what its last twelve weeks cost, never a pass
over all of it. Counting those weeks by provenance and channel still reads every row in them
(a quarter of a million at a million a year), so the figures are cached per workspace:

- the last 7 days, the accounts and the totals for a minute: a dashboard a minute old is as
  useful as a fresh one, and twenty colleagues opening it at nine o'clock cost one
  computation, not twenty;
- the eleven weeks before for up to `HISTORY_FRESH_FOR`, and recounted as soon as their
  number of items changes (an import of old tickets, a deletion), which an index-only COUNT
  notices for a few milliseconds. A changed provenance or channel of an old item shows when
  that copy expires.
"""

from __future__ import annotations

import time as clock
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.utils import timezone

from problemspace.customers.models import Account
from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.problems.models import Problem, RunStatus, SynthesisRun
from problemspace.problems.queries import RANKING_ORDER, movement
from problemspace.workspaces.models import Workspace

WEEKS = 12
TOP_PROBLEMS = 6
NEW_SHOWN = 6
FRESH_FOR = timedelta(seconds=60)
HISTORY_FRESH_FOR = timedelta(minutes=15)
# A stale copy stands in while one request computes the next, so an expiry never makes every
# open request recompute; cached values are dropped after this long unused.
KEEP_SECONDS = 3600
REFRESH_LOCK_SECONDS = 30
# With nothing cached yet, a request waits this long for another one computing the same
# figures rather than computing them a second time.
WAIT_FOR_OTHERS = 10.0


def local_midnight(day: date) -> datetime:
    """The start of `day` in the workspace's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class SegmentReach:
    name: str  # "" for accounts without a segment
    reached: int  # accounts of the segment heard from in the period
    accounts: int  # all the segment's accounts


@dataclass(frozen=True)
class NewAccount:
    pk: int
    name: str
    segment: str
    first_heard: datetime


@dataclass(frozen=True)
class Activity:
    """What customers said over the last `WEEKS` weeks, as of `computed_at`.

    Weeks are the seven-day stretches ending today, oldest first, so the last one is "the
    last 7 days" whatever weekday it is: a Monday morning does not read as a quiet week.
    """

    computed_at: datetime
    week_starts: list[date]
    first_hand: list[int]
    relayed: list[int]
    channels: list[tuple[str, str, int]]  # (code, label, items), the most first
    segments: list[SegmentReach]
    accounts_reached: int
    new_accounts: list[NewAccount]  # first heard from in the last 7 days, newest first

    @property
    def this_week(self) -> int:
        return self.first_hand[-1] + self.relayed[-1]

    @property
    def last_week(self) -> int:
        return self.first_hand[-2] + self.relayed[-2]

    @property
    def change(self) -> int | None:
        """This week against last in percent; None when last week had nothing to compare."""
        if not self.last_week:
            return None
        return round((self.this_week - self.last_week) * 100 / self.last_week)

    @property
    def change_size(self) -> int:
        return abs(self.change or 0)

    @property
    def total(self) -> int:
        return sum(self.first_hand) + sum(self.relayed)

    @property
    def first_hand_share(self) -> int | None:
        """The share heard first-hand over the period, in whole percent."""
        if not self.total:
            return None
        return round(sum(self.first_hand) * 100 / self.total)

    @property
    def relayed_share(self) -> int | None:
        share = self.first_hand_share
        return None if share is None else 100 - share

    @property
    def first_hand_share_this_week(self) -> int | None:
        if not self.this_week:
            return None
        return round(self.first_hand[-1] * 100 / self.this_week)

    @property
    def week_labels(self) -> list[str]:
        return [f"{start.day} {start:%b}" for start in self.week_starts]

    @property
    def period_start(self) -> date:
        return self.week_starts[0]

    @property
    def weeks(self) -> list[tuple[date, int, int]]:
        """(first day, first-hand, relayed) for each week, oldest first."""
        return list(zip(self.week_starts, self.first_hand, self.relayed, strict=True))


@dataclass(frozen=True)
class Window:
    """`weeks` seven-day weeks ending with today (in the workspace's time zone)."""

    week_starts: list[date]
    bounds: list[datetime]  # the start of each week
    end: datetime  # the start of tomorrow

    @classmethod
    def ending(cls, now: datetime, weeks: int = WEEKS) -> Window:
        today = timezone.localdate(now)
        starts = [today - timedelta(days=7 * (weeks - i) - 1) for i in range(weeks)]
        return cls(
            week_starts=starts,
            bounds=[local_midnight(day) for day in starts],
            end=local_midnight(today + timedelta(days=1)),
        )


@dataclass(frozen=True)
class WeekCounts:
    first_hand: list[int]
    relayed: list[int]
    channels: dict[str, int] = field(default_factory=dict)

    def __add__(self, later: WeekCounts) -> WeekCounts:
        channels = dict(self.channels)
        for code, n in later.channels.items():
            channels[code] = channels.get(code, 0) + n
        return WeekCounts(
            self.first_hand + later.first_hand, self.relayed + later.relayed, channels
        )


def count_weeks(workspace: Workspace, bounds: list[datetime], end: datetime) -> WeekCounts:
    """Evidence per week (weeks starting at `bounds`, the last one ending at `end`) by
    provenance, and per channel over them all, in one grouped query: each row's week is a
    CASE over the bounds, which both databases evaluate natively."""
    weeks = len(bounds)
    week = Case(
        *[When(occurred_at__lt=bound, then=Value(i - 1)) for i, bound in enumerate(bounds[1:], 1)],
        default=Value(weeks - 1),
        output_field=IntegerField(),
    )
    rows = (
        Evidence.objects.filter(
            workspace=workspace, occurred_at__gte=bounds[0], occurred_at__lt=end
        )
        .order_by()
        .annotate(week=week)
        .values_list("week", "provenance", "channel")
        .annotate(n=Count("id"))
    )
    first_hand, relayed = [0] * weeks, [0] * weeks
    channels: dict[str, int] = defaultdict(int)
    for index, provenance, channel, n in rows:
        (first_hand if provenance == Provenance.FIRST_HAND else relayed)[index] += n
        channels[channel] += n
    return WeekCounts(first_hand, relayed, dict(channels))


def _assemble(workspace: Workspace, now: datetime, window: Window, counts: WeekCounts) -> Activity:
    """The Activity from the week counts, with the accounts heard from.

    Two index seeks per account (its first item in the period, its first item ever) on the
    (account, occurred_at) index read no evidence rows at all: a few milliseconds for
    thousands of accounts, where grouping the period's evidence by account reads all of it.
    """
    in_period = Evidence.objects.filter(
        account=OuterRef("pk"), occurred_at__gte=window.bounds[0], occurred_at__lt=window.end
    )
    ever = Evidence.objects.filter(account=OuterRef("pk"))
    accounts = (
        Account.objects.filter(workspace=workspace)
        .order_by()
        .annotate(
            first_in_period=Subquery(in_period.order_by("occurred_at").values("occurred_at")[:1]),
            first_ever=Subquery(ever.order_by("occurred_at").values("occurred_at")[:1]),
        )
        .values_list("pk", "name", "segment", "first_in_period", "first_ever")
    )
    totals: dict[str, int] = defaultdict(int)
    reached: dict[str, int] = defaultdict(int)
    new_accounts = []
    for pk, name, segment, first_in_period, first_ever in accounts:
        totals[segment] += 1
        if first_in_period is None:
            continue
        reached[segment] += 1
        if first_ever >= window.bounds[-1]:
            new_accounts.append(NewAccount(pk, name, segment, first_ever))
    new_accounts.sort(key=lambda account: (-account.first_heard.timestamp(), account.name.lower()))
    segments = sorted(
        (SegmentReach(name, reached[name], totals[name]) for name in totals if reached[name]),
        key=lambda s: (s.name == "", -s.reached, s.name.lower()),
    )
    labels = dict(Channel.choices)
    channels = sorted(
        ((code, labels.get(code, code), n) for code, n in counts.channels.items()),
        key=lambda row: (-row[2], row[1]),
    )
    return Activity(
        computed_at=now,
        week_starts=window.week_starts,
        first_hand=counts.first_hand,
        relayed=counts.relayed,
        channels=channels,
        segments=segments,
        accounts_reached=sum(reached.values()),
        new_accounts=new_accounts,
    )


def compute_activity(workspace: Workspace, now: datetime, weeks: int = WEEKS) -> Activity:
    """The recent-evidence figures, straight from the database, nothing cached."""
    window = Window.ending(now, weeks)
    return _assemble(workspace, now, window, count_weeks(workspace, window.bounds, window.end))


@dataclass(frozen=True)
class _History:
    computed_at: datetime
    items: int  # evidence in the weeks when they were counted
    counts: WeekCounts


def _history(workspace: Workspace, window: Window, now: datetime) -> WeekCounts:
    """The weeks before the last seven days, recounted only when stale or changed in size."""
    start, end = window.bounds[0], window.bounds[-1]
    key = f"dashboard:history:{workspace.pk}:{start.isoformat()}"
    items = Evidence.objects.filter(
        workspace=workspace, occurred_at__gte=start, occurred_at__lt=end
    ).count()
    cached: _History | None = cache.get(key)
    if cached and cached.items == items and now - cached.computed_at < HISTORY_FRESH_FOR:
        return cached.counts
    counts = count_weeks(workspace, window.bounds[:-1], end)
    cache.set(key, _History(now, items, counts), KEEP_SECONDS)
    return counts


def _cache_key(workspace: Workspace, today: date) -> str:
    # The day is part of the key: at midnight the weeks move, whatever the cache holds.
    return f"dashboard:activity:{workspace.pk}:{today.isoformat()}"


def _wait_for(key: str) -> Activity | None:
    deadline = clock.monotonic() + WAIT_FOR_OTHERS
    while clock.monotonic() < deadline:
        clock.sleep(0.05)
        value: Activity | None = cache.get(key)
        if value is not None:
            return value
    return None


def activity(workspace: Workspace, now: datetime | None = None) -> Activity:
    """The recent-evidence figures, at most a minute old (see the module's docstring).

    A copy older than a minute is recomputed by one request while the others keep serving it
    (the cache's `add` is the lock). With no copy at all, the others wait for that one.
    """
    now = now or timezone.now()
    key = _cache_key(workspace, timezone.localdate(now))
    lock = f"{key}:refreshing"
    cached: Activity | None = cache.get(key)
    if cached is not None and now - cached.computed_at < FRESH_FOR:
        return cached
    if not cache.add(lock, True, REFRESH_LOCK_SECONDS):
        if cached is not None:
            return cached
        waited = _wait_for(key)
        if waited is not None:
            return waited
    try:
        window = Window.ending(now)
        last_days = count_weeks(workspace, window.bounds[-1:], window.end)
        fresh = _assemble(workspace, now, window, _history(workspace, window, now) + last_days)
        cache.set(key, fresh, KEEP_SECONDS)
    finally:
        cache.delete(lock)
    return fresh


def forget_activity(workspace: Workspace) -> None:
    """Drop the cached figures, so the next dashboard shows what just changed."""
    now = timezone.now()
    cache.delete(_cache_key(workspace, timezone.localdate(now)))
    cache.delete(f"dashboard:history:{workspace.pk}:{Window.ending(now).bounds[0].isoformat()}")


@dataclass(frozen=True)
class TopProblem:
    problem: Problem
    place: int  # 1 for the top problem
    moved: int | None  # places up (negative: down) since the previous synthesis; None: new

    @property
    def places(self) -> int:
        return abs(self.moved or 0)


@dataclass(frozen=True)
class Ranking:
    top: list[TopProblem]
    ranked: int  # problems in the whole ranking
    has_movement: bool  # False before a second synthesis gives something to compare with


def top_problems(workspace: Workspace, limit: int = TOP_PROBLEMS) -> Ranking:
    ranked = Problem.objects.filter(
        workspace=workspace, candidate=False, dismissed=False, praise=False
    )
    fields = ("pk", "title", "explanation", "status", "pinned", "score")
    chosen = list(ranked.only(*fields).order_by(*RANKING_ORDER)[:limit])
    if not chosen:
        return Ranking(top=[], ranked=0, has_movement=False)
    total = len(chosen) if len(chosen) < limit else ranked.count()
    # The top of the ranking is enough: a problem's move depends only on its own two places.
    moves = movement(workspace, current=[p.pk for p in chosen])
    top = [
        TopProblem(problem=p, place=i, moved=moves.get(p.pk) if moves else 0)
        for i, p in enumerate(chosen, 1)
    ]
    return Ranking(top=top, ranked=total, has_movement=bool(moves))


@dataclass(frozen=True)
class LastSynthesis:
    run: SynthesisRun
    is_first: bool  # everything it found is new, so nothing is listed as new
    new_problems: list[Problem]  # still standing (not dismissed), best first
    more_new: bool
    candidates: int  # new-problem candidates waiting for the PM, in the whole workspace

    @property
    def problems_found(self) -> int:
        return int((self.run.counts or {}).get("problems", 0))


def last_synthesis(workspace: Workspace) -> LastSynthesis | None:
    """The latest synthesis (not a refresh after an edit) and the problems it started."""
    runs = list(
        SynthesisRun.objects.filter(workspace=workspace, status=RunStatus.DONE)
        .exclude(mode="refresh")
        .order_by("-finished_at", "-id")[:2]
    )
    if not runs:
        return None
    run = runs[0]
    problems = Problem.objects.filter(workspace=workspace, dismissed=False)
    started = list(
        problems.filter(created_at__gte=run.started_at)
        .only("pk", "title", "candidate", "pinned", "score")
        .order_by("candidate", *RANKING_ORDER)[: NEW_SHOWN + 1]
    )
    return LastSynthesis(
        run=run,
        is_first=len(runs) == 1,
        new_problems=started[:NEW_SHOWN],
        more_new=len(started) > NEW_SHOWN,
        candidates=problems.filter(candidate=True).count(),
    )
