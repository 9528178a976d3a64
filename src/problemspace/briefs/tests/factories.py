"""A small workspace with something to tell in the month before NOW: problems that moved,
customers' words, assumptions decided, roadmap moves with reasons, and interviews held.

Built through each app's own factories and services, as people would have made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from problemspace.briefs.period import Period
from problemspace.evidence.models import Evidence
from problemspace.evidence.tests.factories import make_account, make_contact, make_evidence
from problemspace.hypotheses import services as hypotheses
from problemspace.hypotheses.models import Hypothesis
from problemspace.hypotheses.tests.factories import make_hypothesis
from problemspace.interviews.models import Interview
from problemspace.problems.models import Problem, RunStatus, SynthesisRun
from problemspace.problems.tests.factories import make_problem
from problemspace.roadmap import services as roadmap
from problemspace.roadmap.models import Goal, Initiative
from problemspace.roadmap.tests.factories import KEY_RESULT
from problemspace.workspaces.models import Member, Workspace

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MONTH = Period.last_days(30, NOW)

PHONE_QUOTE = "I approve invoices from my phone at the airport, or they sit for a week."
RELAYED_QUOTE = "Their AP lead says approvals stall whenever the CFO travels."
DUPLICATE_QUOTE = "We paid the same invoice twice in March & nobody <noticed> until the audit."
SHIPPED_REASON = "Shipped to everyone after the pilot <b>caught</b> 14 duplicates."


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@dataclass
class Story:
    approvals: Problem  # top, up one place since the month began
    duplicates: Problem  # second, new in the ranking this month
    exports: Problem  # third, down, nothing new said this month
    phone_quote: Evidence
    relayed_quote: Evidence
    duplicate_quote: Evidence
    phone: Initiative  # now, in progress, for approvals
    catcher: Initiative  # shipped this month, for duplicates
    mid_market: Goal
    audit: Goal  # no initiative serves it
    validated: Hypothesis
    killed: Hypothesis
    testing: Hypothesis


def build_story(workspace: Workspace, editor: Member, other: Member) -> Story:
    globex = make_account(workspace, "Globex", segment="Mid-market", revenue=120_000)
    initech = make_account(workspace, "Initech", segment="Enterprise", revenue=900_000)
    umbrella = make_account(workspace, "Umbrella", segment="SMB", revenue=5_000)
    maria = make_contact(
        workspace, "maria@globex.example", name="Maria Lopez", role="Controller", account=globex
    )
    phone_quote = make_evidence(
        workspace,
        PHONE_QUOTE,
        account=globex,
        contact=maria,
        occurred_at=ago(5),
        channel="interview",
    )
    relayed_quote = make_evidence(
        workspace,
        RELAYED_QUOTE,
        account=initech,
        occurred_at=ago(10),
        channel="sales_call",
        provenance="relayed",
        relayed_by="Dana (AE)",
    )
    old_approval = make_evidence(
        workspace, "Approvals wait for days.", account=umbrella, occurred_at=ago(100)
    )
    duplicate_quote = make_evidence(
        workspace, DUPLICATE_QUOTE, account=initech, occurred_at=ago(200), channel="support"
    )
    recent_duplicate = make_evidence(
        workspace, "Duplicate invoice again this week.", account=globex, occurred_at=ago(3)
    )
    old_export = make_evidence(
        workspace, "The export never finishes.", account=umbrella, occurred_at=ago(300)
    )
    approvals = make_problem(
        workspace,
        "Approvals stall when the approver travels",
        evidence=[phone_quote, relayed_quote, old_approval],
        score=0.9,
        figures={"revenue": 1_025_000.0},
    )
    duplicates = make_problem(
        workspace,
        "Duplicate payments slip through",
        evidence=[duplicate_quote, recent_duplicate],
        score=0.7,
        figures={"revenue": 1_020_000.0},
    )
    exports = make_problem(workspace, "Exports time out", evidence=[old_export], score=0.5)
    # The ranking the month began with: exports first, approvals second, duplicates unranked.
    run = SynthesisRun.objects.create(workspace=workspace, mode="full", started_at=ago(41))
    SynthesisRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, finished_at=ago(40), ranking=[exports.pk, approvals.pk]
    )

    mid_market = roadmap.create_goal(
        editor,
        objective="Win mid-market finance teams",
        status="active",
        key_results=[{**KEY_RESULT, "current": 20}],
        now=ago(90),
    )
    audit = roadmap.create_goal(editor, objective="Be audit-ready", now=ago(90))
    phone = roadmap.create_initiative(
        editor,
        title="Approve invoices from a phone",
        horizon="now",
        status="in_progress",
        impact=2,
        effort=4,
        problem_ids=[approvals.pk],
        goal_ids=[mid_market.pk],
        reason="Controllers travel.",
        now=ago(60),
    )
    catcher = roadmap.create_initiative(
        editor,
        title="Catch duplicate invoices",
        horizon="next",
        status="planned",
        problem_ids=[duplicates.pk],
        goal_ids=[mid_market.pk],
        now=ago(50),
    )
    roadmap.move(
        editor, catcher, horizon="now", status="shipped", reason=SHIPPED_REASON, now=ago(7)
    )

    validated = make_hypothesis(
        editor, "Controllers approve invoices away from their desk.", problem_ids=[approvals.pk]
    )
    hypotheses.move(editor, validated, "testing", now=ago(20))
    hypotheses.move(editor, validated, "validated", now=ago(6))
    killed = make_hypothesis(editor, "Finance teams will pay extra for OCR.", kind="value")
    hypotheses.move(editor, killed, "testing", now=ago(25))
    hypotheses.move(editor, killed, "invalidated", now=ago(4))
    testing = make_hypothesis(
        editor, "AP clerks want to approve in bulk.", problem_ids=[duplicates.pk]
    )
    hypotheses.move(editor, testing, "testing", now=ago(2))

    held = Interview.objects.create(
        workspace=workspace,
        goal="Approvals on the road",
        scheduled_at=ago(10),
        duration_minutes=150,
        status="held",
    )
    held.attendees.add(editor)
    short = Interview.objects.create(
        workspace=workspace,
        goal="Duplicates",
        scheduled_at=ago(12),
        duration_minutes=45,
        status="held",
    )
    short.attendees.add(other)
    return Story(
        approvals=approvals,
        duplicates=duplicates,
        exports=exports,
        phone_quote=phone_quote,
        relayed_quote=relayed_quote,
        duplicate_quote=duplicate_quote,
        phone=phone,
        catcher=catcher,
        mid_market=mid_market,
        audit=audit,
        validated=validated,
        killed=killed,
        testing=testing,
    )
