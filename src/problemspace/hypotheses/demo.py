"""The demo workspace's assumptions: a handful behind Ledgerly's bets, two of them tested.

One experiment validated an assumption (approvers approve on the road) and one killed another
(enterprise customers would pay for an SAP connector), so the board, the map and a period's
decisions all have something to show. Everything is dated from the plan's `today`, and the
evidence each assumption cites is picked from the plan by theme, so a rebuild with the same
seed on the same day gives the same assumptions.

Problems only exist once synthesis has run, which may be right after the build (the `demo`
command) or later (from the web). So the assumptions are tied to problems when a synthesis of
the demo finishes: each to the problem that holds most of the evidence it cites.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.db.models.signals import post_save

from problemspace.demo import story
from problemspace.demo.links import CANDIDATES, follow_the_evidence
from problemspace.demo.plan import DemoPlan, PlannedEvidence
from problemspace.evidence.models import Evidence
from problemspace.hypotheses import services
from problemspace.hypotheses.models import Hypothesis, HypothesisProblem, Status
from problemspace.problems.models import Problem, RunStatus, SynthesisRun
from problemspace.workspaces.models import Member, Workspace

QUOTES_PER_ASSUMPTION = 3


@dataclass(frozen=True)
class DemoResult:
    observation: str
    learning: str
    decision: str
    outcome: str
    days_ago: int


@dataclass(frozen=True)
class DemoExperiment:
    test: str
    metric: str
    criterion: str
    cost: str
    duration_days: int
    started_days_ago: int
    result: DemoResult


@dataclass(frozen=True)
class DemoAssumption:
    theme: str  # the story's theme whose evidence it cites
    statement: str
    kind: str
    importance: int
    evidence_strength: int
    owner: story.Person
    days_ago: int
    testing_days_ago: int | None = None  # moved to testing by hand, with no experiment yet
    experiment: DemoExperiment | None = None


ASSUMPTIONS = (
    DemoAssumption(
        "mobile_approvals",
        "Approvers at mid-market and enterprise customers regularly need to approve invoices "
        "away from their desk.",
        "problem",
        5,
        2,
        story.OWNER,
        days_ago=60,
        experiment=DemoExperiment(
            test="Run six problem interviews with controllers and CFOs who travel, using the "
            "problem-interview guide.",
            metric="How many describe approving away from their desk as a weekly task, "
            "without being prompted.",
            criterion="At least four of the six do.",
            cost="Six hours of interviews",
            duration_days=14,
            started_days_ago=45,
            result=DemoResult(
                observation="Five of six approve invoices from a phone or a laptop on the road "
                "every week; two forward invoices to a deputy to avoid late-payment fees.",
                learning="Approving away from the desk is routine, not an edge case, and the "
                "workaround (forwarding) breaks segregation of duties.",
                decision="Design mobile approvals for next quarter, starting with one "
                "approve-or-reject screen.",
                outcome="validated",
                days_ago=30,
            ),
        ),
    ),
    DemoAssumption(
        "sap_connector",
        "Enterprise customers will pay for a native SAP S/4HANA connector as an add-on.",
        "value",
        4,
        1,
        story.OWNER,
        days_ago=50,
        experiment=DemoExperiment(
            test="Show an 'SAP connector (add-on)' price line to every enterprise account and "
            "prospect in sales and renewal calls for three weeks; nothing is built yet.",
            metric="Enterprise accounts that ask for a quote for the add-on.",
            criterion="At least five different enterprise accounts ask for a quote.",
            cost="No build; sales time only",
            duration_days=21,
            started_days_ago=40,
            result=DemoResult(
                observation="Only the two accounts that had asked before, Northmark Freight "
                "Group and Halvorsen Energy ASA, asked for a quote; no other enterprise "
                "account did.",
                learning="The demand is loud but narrow: two accounts, relayed again and again "
                "by sales.",
                decision="Do not build the connector now; offer those two accounts the "
                "file-based SAP export with a services package.",
                outcome="invalidated",
                days_ago=18,
            ),
        ),
    ),
    DemoAssumption(
        "ocr_line_items",
        "We can read invoice line items with 95% accuracy using our OCR vendor's table model.",
        "feasibility",
        5,
        1,
        story.OWNER,
        days_ago=25,
    ),
    DemoAssumption(
        "approval_delegation",
        "A backup approver on each approval step will stop approvals from stalling during "
        "holidays.",
        "solution",
        4,
        3,
        story.EDITOR,
        days_ago=35,
        testing_days_ago=10,
    ),
    DemoAssumption(
        "e_invoicing",
        "Supporting Peppol e-invoicing will win enough EMEA deals to pay for its upkeep.",
        "viability",
        4,
        2,
        story.EDITOR,
        days_ago=20,
    ),
    DemoAssumption(
        "firm_client_switching",
        "Accounting-firm staff can switch between client companies without help once there "
        "is a client switcher.",
        "usability",
        2,
        1,
        story.EDITOR,
        days_ago=15,
    ),
    DemoAssumption(
        "close_export",
        "Controllers still lose time at month-end because the close export is slow.",
        "problem",
        2,
        4,
        story.EDITOR,
        days_ago=90,
    ),
)


def _quotes(plan: DemoPlan, theme: str) -> list[PlannedEvidence]:
    """First-hand evidence of the theme, interviews first, newest first: the candidates, of
    which a synthesis keeps what the theme's problem holds (demo/links.py)."""
    items = [e for e in plan.evidence if e.theme == theme and e.provenance == "first_hand"]
    items.sort(key=lambda e: (e.channel != "interview", -e.occurred_at.timestamp(), e.external_id))
    return items[:CANDIDATES]


def add_demo_hypotheses(workspace: Workspace, plan: DemoPlan, members: dict[str, Member]) -> None:
    """Write the demo's assumptions and experiments into `workspace` (in the caller's
    transaction)."""
    wanted = {e.external_id for a in ASSUMPTIONS for e in _quotes(plan, a.theme)}
    ids = dict(
        Evidence.objects.filter(workspace=workspace, external_id__in=wanted).values_list(
            "external_id", "pk"
        )
    )
    noon = datetime.combine(plan.today, time(11), UTC)

    def ago(days: int) -> datetime:
        return noon - timedelta(days=days)

    for assumption in ASSUMPTIONS:
        owner = members[assumption.owner.email]
        hypothesis = services.create_hypothesis(
            owner,
            statement=assumption.statement,
            kind=assumption.kind,
            importance=assumption.importance,
            evidence_strength=assumption.evidence_strength,
            owner=owner,
            evidence_ids=[
                ids[e.external_id] for e in _quotes(plan, assumption.theme) if e.external_id in ids
            ],
            now=ago(assumption.days_ago),
        )
        if assumption.testing_days_ago is not None:
            services.move(owner, hypothesis, Status.TESTING, now=ago(assumption.testing_days_ago))
        if assumption.experiment is not None:
            _run(owner, hypothesis, assumption, assumption.experiment, ids, plan, ago)


def _run(
    owner: Member,
    hypothesis: Hypothesis,
    assumption: DemoAssumption,
    card: DemoExperiment,
    ids: dict[str | None, int],
    plan: DemoPlan,
    ago: Any,
) -> None:
    experiment = services.plan_experiment(
        owner,
        hypothesis,
        test=card.test,
        metric=card.metric,
        criterion=card.criterion,
        cost=card.cost,
        duration_days=card.duration_days,
        now=ago(card.started_days_ago + 3),
    )
    services.start_experiment(owner, experiment, now=ago(card.started_days_ago))
    result = card.result
    services.record_result(
        owner,
        experiment,
        observation=result.observation,
        learning=result.learning,
        decision=result.decision,
        outcome=result.outcome,
        evidence_ids=[
            ids[e.external_id] for e in _quotes(plan, assumption.theme)[:2] if e.external_id in ids
        ],
        now=ago(result.days_ago),
    )
    # What the experiment taught is now known: the PM moves it left on the map.
    services.update_hypothesis(
        owner, hypothesis, {"evidence_strength": 4}, now=ago(result.days_ago)
    )


def is_demo_workspace(workspace: Workspace) -> bool:
    return workspace.slug == story.WORKSPACE_SLUG and workspace.name == story.WORKSPACE_NAME


def link_to_problems(workspace: Workspace) -> int:
    """Tie each assumption without a problem to the problem holding most of the evidence it
    cites, which it then cites alone (demo/links.py); returns how many were tied."""
    hypotheses = Hypothesis.objects.filter(workspace=workspace, problems__isnull=True)
    return follow_the_evidence(hypotheses, "hypothesis", QUOTES_PER_ASSUMPTION)


def _after_synthesis(sender: type[SynthesisRun], instance: SynthesisRun, **kwargs: Any) -> None:
    if instance.status != RunStatus.DONE:
        return
    workspace = Workspace.objects.filter(pk=instance.workspace_id).first()
    if workspace is None or not is_demo_workspace(workspace):
        return
    # Only while none of the demo's assumptions has a problem: a full synthesis that replaced
    # the problems (and so dropped the links) ties them again; a PM's own links are kept.
    if HypothesisProblem.objects.filter(hypothesis__workspace=workspace).exists():
        return
    if not Problem.objects.filter(workspace=workspace).exists():
        return
    link_to_problems(workspace)


def connect() -> None:
    post_save.connect(_after_synthesis, sender=SynthesisRun, dispatch_uid="hypotheses-demo-links")
