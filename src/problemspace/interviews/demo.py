"""The demo workspace's interviews: a few held conversations with notes, who attended, and the
quotes highlighted in them, so the interview pages and the exposure figures have something to
show. The PM is over two hours in six weeks; the sales and support members are under it.

Deterministic: the contacts are drawn with the demo's seed, and dates count back from `today`.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from django.conf import settings

from problemspace.customers.models import Contact
from problemspace.hypotheses.models import Hypothesis
from problemspace.interviews import services
from problemspace.interviews.models import Guide, Interview, Kind, Source, Status
from problemspace.workspaces.models import Member, Workspace


class DemoInterview(NamedTuple):
    kind: str
    goal: str
    days_ago: int
    minutes: int
    attendees: tuple[str, ...]  # member email prefixes
    notes: str
    quotes: tuple[str, ...]  # spans of the notes to highlight
    surprises: str = ""
    assumptions: str = ""
    status: str = Status.HELD
    # Words of the demo assumptions (hypotheses/demo.py) the debrief touched.
    touches: tuple[str, ...] = ()


INTERVIEWS = (
    DemoInterview(
        Kind.PROBLEM,
        "How do mid-market AP teams get invoices into the books?",
        4,
        60,
        ("pm", "tomas"),
        """\
Context: AP lead, team of 4, about 1,800 invoices a month.

Last invoice batch (Monday): scanned 60 invoices from two large suppliers.
"Every invoice with more than ten line items comes out wrong, so we retype the lines by hand."
Retyping takes her about two hours on a Monday.
Tried: a template per supplier in another tool; gave up when the suppliers changed layouts.
"When the totals don't match the PO we find out at month end, not when we post."
[She keeps a spreadsheet of suppliers whose invoices always need retyping.]""",
        (
            "Every invoice with more than ten line items comes out wrong, so we retype the "
            "lines by hand.",
            "When the totals don't match the PO we find out at month end, not when we post.",
        ),
        "The pain is line items, not headers: header fields are fine.",
        "We assumed OCR accuracy was good enough for mid-market suppliers. Contradicted.",
        touches=("OCR vendor's table model",),
    ),
    DemoInterview(
        Kind.PROBLEM,
        "What happens at month-end close?",
        12,
        45,
        ("pm", "dana"),
        """\
Controller at a 200-person distributor. Close takes six working days.

Last close: the export to the ERP ran for 40 minutes and timed out twice.
"We start the close export at 7pm and hope it has finished by the morning."
Workaround: export one entity at a time.
"If an approver is on holiday the invoice just sits there; nobody knows it is stuck."
Asked what they did last time: emailed the approver's manager, then approved it in his name.""",
        (
            "We start the close export at 7pm and hope it has finished by the morning.",
            "If an approver is on holiday the invoice just sits there; nobody knows it is stuck.",
        ),
        "Delegation came up unprompted: approvals stall more than we thought.",
    ),
    DemoInterview(
        Kind.SITE_VISIT,
        "Watch an approver's week at a logistics customer",
        20,
        90,
        ("pm", "tomas"),
        """\
Shadowed the operations director for the morning.

Approvals happen between meetings on his phone, or not at all.
"I can't approve from my phone, so invoices wait until I'm back at my desk on Friday."
He printed the week's approval list and ticked it by hand.""",
        ("I can't approve from my phone, so invoices wait until I'm back at my desk on Friday.",),
        "He approves on paper: the tool is not where approving happens.",
        "Approving away from the desk is weekly for him, not an exception. Confirmed.",
        touches=("approve invoices away from their desk",),
    ),
    DemoInterview(
        Kind.SOLUTION,
        "Would delegation rules fix stalled approvals?",
        33,
        30,
        ("pm", "marcus"),
        """\
Showed the delegation mock-up (out-of-office rules).

She walked through last month's stuck invoice with it and found the rule on her own.
"If I could set a deputy before my holiday I would never get the angry calls from suppliers."
Commitment: agreed to pilot it with two approvers next month.""",
        (
            "If I could set a deputy before my holiday I would never get the angry calls from "
            "suppliers.",
        ),
        "",
        "Delegation rules: validated with one customer, pilot agreed.",
        touches=("backup approver",),
    ),
    DemoInterview(
        Kind.PROBLEM,
        "How do enterprise customers handle e-invoicing mandates?",
        -6,
        60,
        ("pm", "dana"),
        "",
        (),
        status=Status.PLANNED,
    ),
)


def _at(today: date, days_ago: int) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(14), UTC)


def build_interviews(
    workspace: Workspace, members: dict[str, Member], *, seed: int, today: date
) -> list[Interview]:
    """Add the demo's interviews to the freshly built demo workspace (inside its transaction)."""
    rng = random.Random(seed)
    guides = {g.kind: g for g in services.ensure_default_guides(workspace)}
    by_prefix = {email.split("@")[0]: member for email, member in members.items()}
    owner = by_prefix["pm"]
    consenting = list(
        Contact.objects.filter(workspace=workspace, research_consent=True, account__isnull=False)
        .select_related("account")
        .order_by("pk")
    ) or list(Contact.objects.filter(workspace=workspace).order_by("pk"))
    made = []
    for number, spec in enumerate(INTERVIEWS, start=1):
        contact = rng.choice(consenting) if consenting else None
        plan = services.Plan(
            kind=spec.kind,
            goal=spec.goal,
            scheduled_at=_at(today, spec.days_ago),
            duration_minutes=spec.minutes,
            guide=_guide(guides, spec.kind),
            contacts=[contact] if contact else [],
            attendees=[by_prefix[prefix] for prefix in spec.attendees],
        )
        interview = services.plan_interview(owner, plan)
        if spec.status == Status.HELD:
            interview.status = Status.HELD
            interview.notes = spec.notes
            interview.surprises = spec.surprises
            interview.assumptions_touched = spec.assumptions
            interview.save()
            interview.assumptions.set([_assumption(workspace, words) for words in spec.touches])
            for quote in spec.quotes:
                start = spec.notes.index(quote)
                request = services.HighlightRequest(
                    Source.NOTES, start, start + len(quote), quote, contact
                )
                services.create_highlight(
                    owner,
                    interview,
                    request,
                    base_url=settings.SITE_URL,
                    external_id=f"demo-interview-{number}-{start}",
                )
        made.append(interview)
    return made


def _guide(guides: dict[str, Guide], kind: str) -> Guide | None:
    return guides.get(kind) or guides.get(Kind.PROBLEM)


def _assumption(workspace: Workspace, words: str) -> Hypothesis:
    # .get: a demo assumption reworded without its interview fails here, not silently.
    return Hypothesis.objects.get(workspace=workspace, statement__contains=words)
