"""The demo workspace's goals and roadmap: three goals (one a draft nobody can measure yet and
nothing serves, so the goal view has something to warn about) and seven initiatives across now,
next and later, one dropped after an experiment and one scored by hand, each with a history of
moves and the reasons given.

Everything is dated from the plan's `today`, and the quotes each initiative cites are picked
from the plan by theme, so a rebuild with the same seed on the same day gives the same roadmap.

Problems only exist once synthesis has run, which may be right after the build (the `demo`
command) or later (from the web). So the initiatives are tied to problems when a synthesis of
the demo finishes (signals.py calls `link_after_synthesis`): each to the problem holding most of
the evidence it cites, which it then cites alone (demo/links.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from problemspace.demo import story
from problemspace.demo.links import CANDIDATES, follow_the_evidence
from problemspace.demo.plan import DemoPlan, PlannedEvidence
from problemspace.evidence.models import Evidence
from problemspace.problems.models import Problem
from problemspace.roadmap import services
from problemspace.roadmap.models import Goal, Initiative, InitiativeProblem
from problemspace.workspaces.models import Member, Workspace

QUOTES_PER_INITIATIVE = 3


@dataclass(frozen=True)
class DemoKeyResult:
    metric: str
    unit: str
    baseline: float
    target: float
    current: float
    due_in_days: int


@dataclass(frozen=True)
class DemoGoal:
    key: str
    objective: str
    description: str
    period: str
    due_in_days: int
    status: str
    owner: story.Person
    days_ago: int
    key_results: tuple[DemoKeyResult, ...] = ()


GOALS = (
    DemoGoal(
        "mid_market",
        "Win mid-market finance teams",
        "Mid-market controllers choose us when approvals fit how they work: on the road, "
        "across entities, without chasing people.",
        "H1 2027",
        due_in_days=200,
        status="active",
        owner=story.OWNER,
        days_ago=70,
        key_results=(
            DemoKeyResult("Mid-market trial-to-paid conversion", "%", 18, 25, 20, 200),
            DemoKeyResult("Invoices approved from a phone each week", "", 0, 2000, 350, 200),
        ),
    ),
    DemoGoal(
        "retention",
        "Stop losing customers to approval pain",
        "Stalled approvals and double payments are the reasons churned customers give most.",
        "Q1 2027",
        due_in_days=120,
        status="active",
        owner=story.EDITOR,
        days_ago=60,
        key_results=(
            # Both should go down: the target is below the baseline.
            DemoKeyResult("Monthly logo churn, mid-market", "%", 2.4, 1.5, 2.1, 120),
            DemoKeyResult("Median days from invoice to approval", "days", 6, 3, 5.2, 120),
        ),
    ),
    DemoGoal(
        "audit_ready",
        "Be audit-ready for enterprise customers",
        "Enterprise finance teams ask for a complete, exportable audit trail before renewal.",
        "2027",
        due_in_days=330,
        status="draft",
        owner=story.OWNER,
        days_ago=12,
    ),
)


@dataclass(frozen=True)
class DemoMove:
    days_ago: int
    horizon: str
    status: str
    reason: str


@dataclass(frozen=True)
class DemoInitiative:
    theme: str  # the story's theme whose quotes it cites
    title: str
    description: str
    horizon: str
    status: str
    impact: float
    effort: float
    goals: tuple[str, ...]
    owner: story.Person
    days_ago: int
    reason: str
    moves: tuple[DemoMove, ...] = ()
    override: tuple[float, str] | None = None
    external_url: str = ""


INITIATIVES = (
    DemoInitiative(
        "mobile_approvals",
        "Approve invoices from a phone",
        "One approve-or-reject screen in the mobile web app, with the invoice image and the "
        "approval chain.",
        "later",
        "proposed",
        impact=2,
        effort=6,
        goals=("mid_market",),
        owner=story.OWNER,
        days_ago=80,
        reason="Approvers keep asking for it in support tickets and interviews.",
        moves=(
            DemoMove(
                28,
                "next",
                "planned",
                "The experiment validated it: five of six approvers approve on the road "
                "every week.",
            ),
            DemoMove(9, "now", "in_progress", "Design is done; the approvals squad starts."),
        ),
        external_url="https://tracker.ledgerly.example/issues/LED-412",
    ),
    DemoInitiative(
        "approval_delegation",
        "Backup approvers on every approval step",
        "Let each approver name a backup who approves while they are away.",
        "next",
        "proposed",
        impact=1,
        effort=3,
        goals=("retention",),
        owner=story.EDITOR,
        days_ago=40,
        reason="Approvals stall every holiday season.",
        moves=(
            DemoMove(
                14,
                "now",
                "planned",
                "Small, and the holiday season is coming: the stalls come back in December.",
            ),
        ),
        external_url="https://tracker.ledgerly.example/issues/LED-398",
    ),
    DemoInitiative(
        "duplicate_payments",
        "Flag duplicate invoices before they are paid",
        "Match vendor, amount, date and invoice number across entities before payment runs.",
        "next",
        "planned",
        impact=3,
        effort=5,
        goals=("retention",),
        owner=story.OWNER,
        days_ago=35,
        reason="Every duplicate payment costs a customer real money and us their trust.",
    ),
    DemoInitiative(
        "ocr_line_items",
        "Read invoice line items with the OCR vendor's table model",
        "",
        "next",
        "proposed",
        impact=2,
        effort=8,
        goals=("mid_market",),
        owner=story.EDITOR,
        days_ago=25,
        reason="Line-item coding is most of the manual work left after OCR.",
    ),
    DemoInitiative(
        "sso_scim",
        "SCIM provisioning and enforced SSO",
        "",
        "later",
        "proposed",
        impact=1,
        effort=4,
        goals=(),
        owner=story.OWNER,
        days_ago=50,
        reason="Enterprise security reviews ask for it.",
        moves=(
            DemoMove(
                6,
                "next",
                "planned",
                "Three enterprise renewals in Q1 depend on passing the security review.",
            ),
        ),
        override=(
            40,
            "Three enterprise renewals in Q1 depend on it: the security review is a gate, "
            "whatever the reach.",
        ),
    ),
    DemoInitiative(
        "e_invoicing",
        "Peppol e-invoicing for EMEA",
        "Send and receive e-invoices over Peppol, starting with Germany's XRechnung.",
        "later",
        "proposed",
        impact=2,
        effort=12,
        goals=("mid_market",),
        owner=story.EDITOR,
        days_ago=20,
        reason="Mandates are coming in Germany and Belgium.",
    ),
    DemoInitiative(
        "sap_connector",
        "Native SAP S/4HANA connector",
        "",
        "next",
        "planned",
        impact=2,
        effort=16,
        goals=(),
        owner=story.OWNER,
        days_ago=55,
        reason="Two enterprise accounts ask for it in every call.",
        moves=(
            DemoMove(
                18,
                "later",
                "dropped",
                "The price-line test found only the same two accounts asking; we offer them "
                "the file-based SAP export instead.",
            ),
        ),
    ),
)


def _quotes(plan: DemoPlan, theme: str) -> list[PlannedEvidence]:
    """First-hand evidence of the theme, interviews first, newest first: the candidates, of
    which a synthesis keeps what the theme's problem holds (demo/links.py)."""
    items = [e for e in plan.evidence if e.theme == theme and e.provenance == "first_hand"]
    items.sort(key=lambda e: (e.channel != "interview", -e.occurred_at.timestamp(), e.external_id))
    return items[:CANDIDATES]


def build_roadmap(workspace: Workspace, plan: DemoPlan, members: dict[str, Member]) -> None:
    """Write the demo's goals and initiatives into `workspace` (in the caller's transaction)."""
    noon = datetime.combine(plan.today, time(11), UTC)

    def ago(days: int) -> datetime:
        return noon - timedelta(days=days)

    goals = _goals(plan.today, members, ago)
    wanted = {e.external_id for i in INITIATIVES for e in _quotes(plan, i.theme)}
    ids = dict(
        Evidence.objects.filter(workspace=workspace, external_id__in=wanted).values_list(
            "external_id", "pk"
        )
    )
    for item in INITIATIVES:
        owner = members[item.owner.email]
        initiative = services.create_initiative(
            owner,
            title=item.title,
            description=item.description,
            horizon=item.horizon,
            status=item.status,
            impact=item.impact,
            effort=item.effort,
            external_url=item.external_url,
            owner=owner,
            goal_ids=[goals[key].pk for key in item.goals],
            evidence_ids=[
                ids[e.external_id] for e in _quotes(plan, item.theme) if e.external_id in ids
            ],
            reason=item.reason,
            now=ago(item.days_ago),
        )
        for step in item.moves:
            services.move(
                owner,
                initiative,
                horizon=step.horizon,
                status=step.status,
                reason=step.reason,
                now=ago(step.days_ago),
            )
        if item.override is not None:
            value, why = item.override
            services.update_initiative(
                owner,
                initiative,
                {"score_override": value, "override_reason": why},
                now=ago(item.moves[-1].days_ago if item.moves else item.days_ago),
            )


def _goals(
    today: date, members: dict[str, Member], ago: Callable[[int], datetime]
) -> dict[str, Goal]:
    made = {}
    for goal in GOALS:
        owner = members[goal.owner.email]
        made[goal.key] = services.create_goal(
            owner,
            objective=goal.objective,
            description=goal.description,
            owner=owner,
            period=goal.period,
            due_on=today + timedelta(days=goal.due_in_days),
            status=goal.status,
            key_results=[
                {
                    "metric": kr.metric,
                    "unit": kr.unit,
                    "baseline": kr.baseline,
                    "target": kr.target,
                    "current": kr.current,
                    "due_on": today + timedelta(days=kr.due_in_days),
                }
                for kr in goal.key_results
            ],
            now=ago(goal.days_ago),
        )
    return made


def is_demo_workspace(workspace: Workspace) -> bool:
    return workspace.slug == story.WORKSPACE_SLUG and workspace.name == story.WORKSPACE_NAME


def link_to_problems(workspace: Workspace) -> int:
    """Tie each initiative without a problem to the problem holding most of the evidence it
    cites, which it then cites alone (demo/links.py); returns how many were tied."""
    initiatives = Initiative.objects.filter(workspace=workspace, problems__isnull=True)
    return follow_the_evidence(initiatives, "initiative", QUOTES_PER_INITIATIVE)


def link_after_synthesis(workspace_id: int) -> int:
    """After a synthesis of the demo: tie its initiatives to problems, but only while none
    of them has one. A full synthesis that replaced the problems (and so dropped the links)
    ties them again; links a PM made are kept."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None or not is_demo_workspace(workspace):
        return 0
    if InitiativeProblem.objects.filter(initiative__workspace=workspace).exists():
        return 0
    if not Problem.objects.filter(workspace=workspace).exists():
        return 0
    return link_to_problems(workspace)
