"""What a brief says: its content, built from the workspace's data for one audience and period.

The content is plain JSON (stored on the Brief as a snapshot, returned by the API, rendered as a
page, Markdown, PDF, email and chat message by render.py). Every claim carries the path of the
page that backs it: a problem line its problem's page, a quote its evidence page, a roadmap move
its initiative, an assumption its page. Paths, not absolute links, so the web page links within
the site; the renderers for outside (PDF, email, Markdown, chat) prefix `site_url`.

Shape (version 1):

    {"version", "title", "audience", "audience_label", "workspace": {"name", "slug"},
     "period": {"start", "end", "label", "dates", "days"}, "generated_at", "site_url",
     "empty": bool, "empty_text", "highlights": [{"text", "url"}],
     "sections": [{"key", "kind", "heading", "intro", "items": [...], "more": {"text", "url"}}],
     "quiet": [sentences], "links": [{"text", "url"}]}

Section kinds and their items: problems (problem), loud (a problem few customers say loudly,
problems/loudness.py), initiatives (initiative, with its problems
and their quotes), goals (goal, with the initiatives serving it), assumptions (assumption),
moves (move), segments (segment, with its problems and quotes from that segment), exposure
(one exposure item). Sections with nothing to say are left out, and say so in `quiet`; a period
in which nothing happened has no sections and says so in `empty_text`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from problemspace.briefs.models import Audience
from problemspace.briefs.period import Period
from problemspace.briefs.quotes import clip, day, money, path, plural, quote, quotes_for
from problemspace.evidence.models import Evidence, Provenance
from problemspace.hypotheses.models import Hypothesis, LearningCard, StatusChange
from problemspace.hypotheses.models import Status as AssumptionStatus
from problemspace.hypotheses.queries import status_changes
from problemspace.interviews.exposure import team_exposure
from problemspace.problems.loudness import loudness
from problemspace.problems.models import Problem, ProblemEvidence, RunStatus, SynthesisRun
from problemspace.problems.queries import ranking_ids
from problemspace.roadmap.models import Horizon, Initiative, InitiativeStatus, Move
from problemspace.roadmap.queries import OPEN_STATUSES, goals_with_initiatives, moves_in_period
from problemspace.workspaces.models import Workspace

VERSION = 1
MOVES_SHOWN = 12
DECISIONS_SHOWN = 12

TITLES = {
    Audience.ENGINEERING: "Engineering brief",
    Audience.SALES: "Sales brief",
    Audience.EXECUTIVES: "Executive brief",
    Audience.COMPANY: "Company brief",
}


@dataclass(frozen=True)
class Sizes:
    """How much each audience gets: problems, quotes per problem, initiatives."""

    problems: int
    quotes: int
    initiatives: int = 8
    problems_per_initiative: int = 3


SIZES = {
    Audience.ENGINEERING: Sizes(problems=5, quotes=2),
    Audience.SALES: Sizes(problems=5, quotes=1),
    Audience.EXECUTIVES: Sizes(problems=5, quotes=2),
    Audience.COMPANY: Sizes(problems=3, quotes=1, initiatives=5),
}


class Composer:
    """Builds one brief's content; the queries each audience needs, nothing more."""

    def __init__(
        self, workspace: Workspace, audience: str, period: Period, now: datetime | None = None
    ) -> None:
        self.workspace = workspace
        self.slug = workspace.slug
        self.audience = Audience(audience)
        self.period = period
        self.now = now or timezone.now()
        self.sizes = SIZES[self.audience]
        self.quiet: list[str] = []

    # --- the whole brief ---------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        activity = self._activity()
        moves = list(moves_in_period(self.workspace, self.period.start, self.period.end))
        decisions = list(status_changes(self.workspace, self.period.start, self.period.end))
        empty = not (activity["items"] or moves or decisions)
        sections: list[dict[str, Any]] = []
        if not empty:
            sections = [s for s in self._sections(moves, decisions) if s is not None]
        label = TITLES[self.audience]
        content: dict[str, Any] = {
            "version": VERSION,
            "title": f"{label}: {self.period.dates()}",
            "audience": self.audience.value,
            "audience_label": self.audience.label,
            "workspace": {"name": self.workspace.name, "slug": self.slug},
            "period": {
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
                "label": self.period.label,
                "dates": self.period.dates(),
                "first_day": self.period.first_day.isoformat(),
                "last_day": self.period.last_day.isoformat(),
                "days": self.period.days,
            },
            "generated_at": self.now.isoformat(),
            "site_url": settings.SITE_URL.rstrip("/"),
            "empty": empty,
            "empty_text": (
                f"Nothing new in this period ({self.period.dates()}): no customer evidence, no "
                "roadmap moves and no assumptions validated or killed."
                if empty
                else ""
            ),
            "highlights": [] if empty else self._highlights(activity, moves, decisions),
            "sections": sections,
            "quiet": [] if empty else self.quiet,
            "links": [
                {"text": "Problems, as they stand", "url": path("problems:list", self.slug)},
                {"text": "The roadmap", "url": path("roadmap:board", self.slug)},
                {"text": "Assumptions", "url": path("hypotheses:board", self.slug)},
            ],
        }
        return content

    def _sections(
        self, moves: list[Move], decisions: list[StatusChange]
    ) -> list[dict[str, Any] | None]:
        if self.audience == Audience.EXECUTIVES:
            return [
                self.problems_section(
                    "Top problems by reach and revenue at stake", by_revenue=True
                ),
                self.loud_section(),
                self.goals_section(),
                self.assumptions_section(decisions),
                self.moves_section(moves),
                self.exposure_section(),
            ]
        if self.audience == Audience.ENGINEERING:
            return [
                self.initiatives_section(
                    "The problems behind what we build now and next",
                    "Each initiative on the now and next horizons, with the customer problems "
                    "it solves, in the customers' own words.",
                    self._initiatives_now_next(),
                ),
                self.assumptions_section(decisions, testing=True),
                self.problems_section("Top problems and how they moved"),
                self.loud_section(),
                self.moves_section(moves),
                self.exposure_section(),
            ]
        if self.audience == Audience.SALES:
            return [
                self.initiatives_section(
                    "How the product answers customer problems",
                    "What shipped and what is being built, with the problems each solves.",
                    self._initiatives_for_sales(moves),
                ),
                self.segments_section(),
                self.problems_section("Top problems and how they moved"),
                self.moves_section(moves),
            ]
        return [
            self.problems_section("Top problems"),
            self.moves_section(moves, limit=5),
            self.assumptions_section(decisions),
            self.exposure_section(),
        ]

    def _activity(self) -> dict[str, int]:
        totals = Evidence.objects.filter(
            workspace=self.workspace,
            occurred_at__gte=self.period.start,
            occurred_at__lt=self.period.end,
        ).aggregate(
            items=Count("id"),
            accounts=Count("account", distinct=True),
            first_hand=Count("id", filter=Q(provenance=Provenance.FIRST_HAND)),
        )
        return {key: int(value or 0) for key, value in totals.items()}

    def _highlights(
        self, activity: dict[str, int], moves: list[Move], decisions: list[StatusChange]
    ) -> list[dict[str, str]]:
        inbox = path("evidence:inbox", self.slug)
        dates = f"?from={self.period.first_day.isoformat()}&to={self.period.last_day.isoformat()}"
        items = activity["items"]
        rows = []
        if items:
            share = round(activity["first_hand"] * 100 / items)
            who = f" from {plural(activity['accounts'], 'account')}" if activity["accounts"] else ""
            rows.append(
                {
                    "text": f"{plural(items, 'customer signal')}{who}, {share}% heard first-hand",
                    "url": inbox + dates,
                }
            )
        if moves:
            rows.append(
                {"text": plural(len(moves), "roadmap move"), "url": path("roadmap:list", self.slug)}
            )
        validated = sum(1 for d in decisions if d.to_status == AssumptionStatus.VALIDATED)
        killed = len(decisions) - validated
        if decisions:
            if validated:
                text = f"{plural(validated, 'assumption')} validated"
                text += f", {killed} killed" if killed else ""
            else:
                text = f"{plural(killed, 'assumption')} killed"
            rows.append({"text": text, "url": path("hypotheses:board", self.slug)})
        return rows

    # --- problems and quotes -----------------------------------------------------------------

    def _ranking_at_start(self) -> list[int] | None:
        """The ranking the last synthesis before the period left; None when there was none."""
        run = (
            SynthesisRun.objects.filter(
                workspace=self.workspace, status=RunStatus.DONE, finished_at__lt=self.period.start
            )
            .exclude(mode="refresh")
            .order_by("-finished_at", "-id")
            .values_list("ranking", flat=True)
            .first()
        )
        if run is None:
            return None
        return [int(pk) for pk in run or []]

    def top_problems(self, limit: int, quotes: int) -> list[dict[str, Any]]:
        ranking = ranking_ids(self.workspace)
        chosen_ids = ranking[:limit]
        if not chosen_ids:
            return []
        problems = Problem.objects.filter(pk__in=chosen_ids).defer("centroid")
        by_id = {p.pk: p for p in problems}
        before = self._ranking_at_start()
        place_before = {pk: i for i, pk in enumerate(before or [])}
        figures = self._period_figures(chosen_ids)
        said = quotes_for(self.workspace, [by_id[pk] for pk in chosen_ids if pk in by_id], quotes)
        rows = []
        for place, pk in enumerate(chosen_ids, 1):
            problem = by_id.get(pk)
            if problem is None:
                continue
            first, recent = figures.get(pk, (None, 0))
            started_here = first is not None and first >= self.period.start
            moved: int | None = None
            if before is not None and pk in place_before:
                moved = place_before[pk] - (place - 1)
            new = started_here or (before is not None and pk not in place_before)
            rows.append(self._problem(problem, place, moved, new, recent, said.get(pk, [])))
        return rows

    def _period_figures(self, problem_ids: Sequence[int]) -> dict[int, tuple[datetime | None, int]]:
        """Each problem's first evidence ever, and its evidence in the period: one query."""
        rows = (
            ProblemEvidence.objects.filter(problem_id__in=problem_ids)
            .values("problem_id")
            .annotate(
                first=Min("evidence__occurred_at"),
                recent=Count(
                    "id",
                    filter=Q(
                        evidence__occurred_at__gte=self.period.start,
                        evidence__occurred_at__lt=self.period.end,
                    ),
                ),
            )
            .order_by()
        )
        return {row["problem_id"]: (row["first"], int(row["recent"])) for row in rows}

    def _problem(
        self,
        problem: Problem,
        place: int,
        moved: int | None,
        new: bool,
        recent: int,
        quotes: list[dict[str, Any]],
    ) -> dict[str, Any]:
        figures = problem.score_components or {}
        accounts = int(figures.get("accounts") or 0)
        revenue = float(figures.get("revenue") or 0.0)
        segments = [s[0] for s in (problem.profile or {}).get("segments", []) if s and s[0]]
        return {
            "id": problem.pk,
            "title": problem.title,
            "url": path("problems:detail", self.slug, problem.pk),
            "place": place,
            "moved": moved,
            "new": new,
            "movement": movement_text(moved, new),
            "status": problem.status,
            "status_label": problem.get_status_display(),
            "explanation": problem.explanation,
            "accounts": accounts,
            "revenue": revenue,
            "revenue_text": f"{money(revenue)} ARR" if revenue else "",
            "segments": sorted(segments, key=str.lower),
            "in_period": recent,
            "quotes": quotes,
        }

    def problems_section(self, heading: str, *, by_revenue: bool = False) -> dict[str, Any] | None:
        rows = self.top_problems(self.sizes.problems, self.sizes.quotes)
        if not rows:
            self.quiet.append("No customer problems yet: synthesize the evidence to find them.")
            return None
        intro = (
            "Ranked by how many customers have each problem and the revenue they bring, "
            "with the movement since the start of the period."
            if by_revenue
            else "Ranked by how many customers have each problem, with the movement since the "
            "start of the period."
        )
        return {
            "key": "problems",
            "kind": "problems",
            "heading": heading,
            "intro": intro,
            "items": rows,
            "more": {"text": "Every problem", "url": path("problems:list", self.slug)},
        }

    def loud_section(self) -> dict[str, Any] | None:
        """The problems a few customers say loudly (problems/loudness.py), so that volume is
        not taken for reach; nothing when there are none."""
        found = loudness(self.workspace)
        if not found.loud:
            return None
        return {
            "key": "loud",
            "kind": "loud",
            "heading": "Loud, but from few customers",
            "intro": (
                f"Heard from at most half the accounts of the median problem "
                f"({found.median_accounts:g}), with at least twice its items per account "
                f"({found.median_per_account:.1f}): worth hearing, but not what most customers "
                "need."
            ),
            "items": [
                {
                    "title": v.title,
                    "url": path("problems:detail", self.slug, v.problem_id),
                    "place": v.place,
                    "said": v.sentence() + (", mostly relayed" if v.relayed else ""),
                }
                # The loudest first, as many as the audience gets problems.
                for v in sorted(found.loud, key=lambda v: -v.items)[: self.sizes.problems]
            ],
            "more": {"text": "Loud or wide, every problem", "url": path("loud_or_wide", self.slug)},
        }

    # --- the roadmap -------------------------------------------------------------------------

    def _initiatives(self, initiatives: Sequence[Initiative]) -> list[dict[str, Any]]:
        """Initiatives with their problems (the best first) and those problems' quotes."""
        per = self.sizes.problems_per_initiative
        problems = {
            p.pk: p
            for i in initiatives
            for p in sorted(i.problems.all(), key=lambda p: -p.score)[:per]
        }
        said = quotes_for(self.workspace, problems.values(), self.sizes.quotes)
        rows = []
        for initiative in initiatives:
            linked = sorted(initiative.problems.all(), key=lambda p: -p.score)[:per]
            rows.append(
                {
                    "id": initiative.pk,
                    "title": initiative.title,
                    "url": path("roadmap:initiative", self.slug, initiative.pk),
                    "horizon": initiative.horizon,
                    "horizon_label": initiative.get_horizon_display(),
                    "status": initiative.status,
                    "status_label": initiative.get_status_display(),
                    "shipped_in_period": getattr(initiative, "shipped_in_period", False),
                    "goals": [
                        {
                            "objective": g.objective,
                            "url": path("roadmap:goals", self.slug) + f"#goal-{g.pk}",
                        }
                        for g in initiative.goals.all()
                    ],
                    "problems": [
                        {
                            "id": p.pk,
                            "title": p.title,
                            "url": path("problems:detail", self.slug, p.pk),
                            "explanation": p.explanation,
                            "quotes": said.get(p.pk, []),
                        }
                        for p in linked
                    ],
                }
            )
        return rows

    def _initiative_query(self) -> QuerySet[Initiative]:
        return (
            Initiative.objects.filter(workspace=self.workspace)
            .prefetch_related(
                Prefetch("problems", queryset=Problem.objects.defer("centroid", "profile")),
                "goals",
            )
            .order_by("-score", "id")
        )

    def _initiatives_now_next(self) -> list[Initiative]:
        initiatives = list(
            self._initiative_query().filter(
                horizon__in=[Horizon.NOW, Horizon.NEXT], status__in=OPEN_STATUSES
            )
        )
        # Now before next; within each, the highest score first (a score set by hand counts).
        initiatives.sort(key=lambda i: (i.horizon != Horizon.NOW, -i.effective_score, i.pk))
        return initiatives[: self.sizes.initiatives]

    def _initiatives_for_sales(self, moves: list[Move]) -> list[Initiative]:
        shipped_now = {m.initiative_id for m in moves if m.to_status == InitiativeStatus.SHIPPED}
        initiatives = list(
            self._initiative_query().filter(
                Q(pk__in=shipped_now) | Q(status=InitiativeStatus.IN_PROGRESS)
            )
        )
        for initiative in initiatives:
            initiative.shipped_in_period = initiative.pk in shipped_now  # type: ignore[attr-defined]
        initiatives.sort(key=lambda i: (i.pk not in shipped_now, -i.effective_score, i.pk))
        return initiatives[: self.sizes.initiatives]

    def initiatives_section(
        self, heading: str, intro: str, initiatives: list[Initiative]
    ) -> dict[str, Any] | None:
        if not initiatives:
            self.quiet.append(f"{heading}: nothing on the roadmap fits yet.")
            return None
        return {
            "key": "initiatives",
            "kind": "initiatives",
            "heading": heading,
            "intro": intro,
            "items": self._initiatives(initiatives),
            "more": {"text": "The whole roadmap", "url": path("roadmap:board", self.slug)},
        }

    def goals_section(self) -> dict[str, Any] | None:
        rows = goals_with_initiatives(self.workspace, include_closed=False)
        if not rows:
            self.quiet.append("No business goals are set: add them on the roadmap's Goals tab.")
            return None
        serving = [i.pk for row in rows for i in row.initiatives]
        links: dict[int, list[Problem]] = defaultdict(list)
        for initiative in Initiative.objects.filter(pk__in=serving).prefetch_related(
            Prefetch("problems", queryset=Problem.objects.only("pk", "title", "score"))
        ):
            links[initiative.pk] = sorted(initiative.problems.all(), key=lambda p: -p.score)[:3]
        goals_url = path("roadmap:goals", self.slug)
        items = []
        for row in rows:
            progress = row.progress
            items.append(
                {
                    "id": row.goal.pk,
                    "objective": row.goal.objective,
                    "url": f"{goals_url}#goal-{row.goal.pk}",
                    "status_label": row.goal.get_status_display(),
                    "progress": progress.percent if progress is not None else None,
                    "measurable": row.measurable,
                    "initiatives": [
                        {
                            "id": i.pk,
                            "title": i.title,
                            "url": path("roadmap:initiative", self.slug, i.pk),
                            "horizon_label": i.get_horizon_display(),
                            "status_label": i.get_status_display(),
                            "problems": [
                                {"title": p.title, "url": path("problems:detail", self.slug, p.pk)}
                                for p in links.get(i.pk, [])
                            ],
                        }
                        for i in row.initiatives
                    ],
                }
            )
        unserved = sum(1 for item in items if not item["initiatives"])
        intro = "The initiatives serving each goal, and the problems behind them."
        if unserved:
            intro += f" {plural(unserved, 'goal has', 'goals have')} no initiative."
        return {
            "key": "goals",
            "kind": "goals",
            "heading": "The bets, and the goals they serve",
            "intro": intro,
            "items": items,
            "more": {"text": "Goals", "url": goals_url},
        }

    def moves_section(self, moves: list[Move], limit: int = MOVES_SHOWN) -> dict[str, Any] | None:
        if not moves:
            self.quiet.append("Nothing moved on the roadmap.")
            return None
        # The latest first: what changed most recently is what readers ask about.
        latest = list(reversed(moves))[:limit]
        items = [
            {
                "initiative_id": m.initiative_id,
                "title": m.initiative.title,
                "url": path("roadmap:initiative", self.slug, m.initiative_id),
                "change": m.describe(),
                "reason": m.reason,
                "date": day(m.moved_at),
                "by": m.moved_by.display_name if m.moved_by else "",
                "problems": [
                    {"title": p.title, "url": path("problems:detail", self.slug, p.pk)}
                    for p in list(m.initiative.problems.all())[:3]
                ],
            }
            for m in latest
        ]
        more = len(moves) - len(latest)
        intro = "What moved on the roadmap, the latest first, with the reason given."
        if more:
            intro += f" {plural(more, 'earlier move')} not shown."
        return {
            "key": "moves",
            "kind": "moves",
            "heading": "Roadmap moves and why",
            "intro": intro,
            "items": items,
            "more": {"text": "The roadmap by score", "url": path("roadmap:list", self.slug)},
        }

    # --- assumptions ---------------------------------------------------------------------------

    def assumptions_section(
        self, decisions: list[StatusChange], *, testing: bool = False
    ) -> dict[str, Any] | None:
        items = self._decided(decisions[-DECISIONS_SHOWN:])
        if testing:
            items += self._testing()
        if not items:
            self.quiet.append("No assumption was validated or killed.")
            return None
        heading = (
            "Assumptions: decided, and being tested"
            if testing
            else "Assumptions validated or killed"
        )
        return {
            "key": "assumptions",
            "kind": "assumptions",
            "heading": heading,
            "intro": "What the team believed, and what the evidence and experiments said.",
            "items": items,
            "more": {"text": "Assumptions", "url": path("hypotheses:board", self.slug)},
        }

    def _decided(self, decisions: list[StatusChange]) -> list[dict[str, Any]]:
        learned = {
            card.experiment_id: card
            for card in LearningCard.objects.filter(
                experiment_id__in=[d.experiment_id for d in decisions if d.experiment_id]
            )
        }
        rows = []
        for change in reversed(decisions):
            card = learned.get(change.experiment_id) if change.experiment_id else None
            validated = change.to_status == AssumptionStatus.VALIDATED
            rows.append(
                self._assumption(
                    change.hypothesis,
                    verdict="validated" if validated else "killed",
                    date=day(change.changed_at),
                    by=change.changed_by.display_name if change.changed_by else "",
                    learning=clip(card.learning or card.observation, 400) if card else "",
                )
            )
        return rows

    def _testing(self) -> list[dict[str, Any]]:
        hypotheses = (
            Hypothesis.objects.filter(workspace=self.workspace, status=AssumptionStatus.TESTING)
            .prefetch_related(Prefetch("problems", queryset=Problem.objects.only("pk", "title")))
            .order_by("-importance", "evidence_strength", "id")[:DECISIONS_SHOWN]
        )
        return [self._assumption(h, verdict="testing") for h in hypotheses]

    def _assumption(self, hypothesis: Hypothesis, **facts: str) -> dict[str, Any]:
        return {
            "id": hypothesis.pk,
            "statement": clip(hypothesis.statement, 400),
            "url": path("hypotheses:detail", self.slug, hypothesis.pk),
            "kind_label": hypothesis.get_kind_display(),
            "verdict_label": {
                "validated": "Validated",
                "killed": "Killed",
                "testing": "Being tested",
            }[facts["verdict"]],
            "date": "",
            "by": "",
            "learning": "",
            **facts,
            "problems": [
                {"title": p.title, "url": path("problems:detail", self.slug, p.pk)}
                for p in list(hypothesis.problems.all())[:3]
            ],
        }

    # --- segments (sales) -----------------------------------------------------------------

    def segments_section(self, segments: int = 5, per_segment: int = 3) -> dict[str, Any] | None:
        """For each segment with the most customers heard from, its most felt problems and
        one quote from a customer of that segment."""
        ranking = ranking_ids(self.workspace)[:30]
        problems = {
            p.pk: p for p in Problem.objects.filter(pk__in=ranking).only("pk", "title", "profile")
        }
        by_segment: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        for pk in ranking:
            problem = problems.get(pk)
            if problem is None:
                continue
            for row in (problem.profile or {}).get("segments", []):
                name, accounts, _, items = row
                if name:
                    by_segment[name].append((accounts, items, pk))
        if not by_segment:
            self.quiet.append("No segments are recorded on the accounts, so none is shown apart.")
            return None
        reach = {name: max(a for a, _, _ in rows) for name, rows in by_segment.items()}
        chosen = sorted(by_segment, key=lambda name: (-reach[name], name.lower()))[:segments]
        items = []
        for name in chosen:
            top = sorted(by_segment[name], key=lambda row: (-row[0], -row[1]))[:per_segment]
            items.append(
                {
                    "segment": name,
                    "problems": [
                        {
                            "id": pk,
                            "title": problems[pk].title,
                            "url": path("problems:detail", self.slug, pk),
                            "accounts": accounts,
                            "quotes": self._segment_quotes(pk, name),
                        }
                        for accounts, _, pk in top
                    ],
                }
            )
        return {
            "key": "segments",
            "kind": "segments",
            "heading": "In customers' words, by segment",
            "intro": "The problems customers of each segment raise most, in their own words.",
            "items": items,
        }

    def _segment_quotes(self, problem_id: int, segment: str) -> list[dict[str, Any]]:
        evidence = Evidence.objects.filter(
            workspace=self.workspace,
            problem_link__problem_id=problem_id,
            account__segment=segment,
        ).select_related("account", "contact")
        # First-hand words first ("first_hand" sorts before "relayed"): what the customer
        # said, not what someone made of it; the latest of those.
        picked = evidence.order_by("provenance", "-occurred_at", "-id").first()
        return [quote(picked, self.slug)] if picked is not None else []

    # --- exposure --------------------------------------------------------------------------

    def exposure_section(self) -> dict[str, Any] | None:
        team = team_exposure(self.workspace, now=min(self.period.end, self.now))
        if not team.any_interview:
            self.quiet.append("No interviews are recorded yet, so there are no exposure hours.")
            return None
        under = team.under_target
        return {
            "key": "exposure",
            "kind": "exposure",
            "heading": "Time with customers",
            "intro": (
                f"Hours each member spent in customer interviews in the {team.window_weeks} "
                f"weeks to {day(team.until)}, against the rule of thumb of "
                f"{team.target_hours} hours every {team.window_weeks} weeks."
            ),
            "items": [
                {
                    "total_hours": round(team.total_minutes / 60, 1),
                    "members": len(team.members),
                    "at_target": len(team.members) - len(under),
                    "target_hours": team.target_hours,
                    "window_weeks": team.window_weeks,
                    "under": [
                        {
                            "name": row.member.display_name,
                            "hours": row.hours,
                            "said": f"{row.hours:g} h" if row.minutes else "none",
                        }
                        for row in under
                    ],
                    "url": path("interviews:exposure", self.slug),
                }
            ],
        }


def movement_text(moved: int | None, new: bool) -> str:
    if new:
        return "new this period"
    if moved is None:
        return ""
    if moved > 0:
        return f"up {plural(moved, 'place')}"
    if moved < 0:
        return f"down {plural(-moved, 'place')}"
    return "no change"


def compose(
    workspace: Workspace, audience: str, period: Period, now: datetime | None = None
) -> dict[str, Any]:
    """The content of a brief for `audience` over `period` (see the module's docstring)."""
    return Composer(workspace, audience, period, now).build()
