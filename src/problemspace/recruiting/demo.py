"""The demo's recruiting campaign: a screener, quotas, and a few candidates at each stage.

Candidates are drawn in a fixed order (consenting contacts by email), so the same seed and day
give the same campaign.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from problemspace.booking.models import Availability, Booking
from problemspace.booking.schedules import open_slots
from problemspace.booking.services import remind_at
from problemspace.customers.models import Contact
from problemspace.demo import story
from problemspace.interviews.models import Kind
from problemspace.recruiting.booking_link import plan_interview
from problemspace.recruiting.demo_questions import QUESTIONS
from problemspace.recruiting.models import (
    Campaign,
    CampaignQuota,
    Candidate,
    CandidateStatus,
    ScreenerQuestion,
    Source,
)
from problemspace.recruiting.screening import answer_key
from problemspace.workspaces.models import Member, Workspace

CAMPAIGN_NAME = "Month-end close: problem interviews"
QUOTAS = {story.SMB: 3, story.MID: 3, story.FIRM: 2}


def build_recruiting(
    workspace: Workspace,
    members: dict[str, Member],
    schedule: Availability,
    *,
    seed: int,
    today: date,
) -> Campaign:
    pm = members[story.OWNER.email]
    campaign = Campaign.objects.create(
        workspace=workspace,
        name=CAMPAIGN_NAME,
        goal="Learn what slows finance teams down at month-end close, in their own words.",
        interview_kind=Kind.PROBLEM,
        public_intro=(
            "We make Ledgerly, accounts-payable software. We'd like 45 minutes of your time to "
            "hear how your team closes the month: what takes longest and what you've tried. "
            "No sales pitch; you get an early look at what we learn."
        ),
        availability=schedule,
        created_by=pm,
        token=_token(seed),
    )
    CampaignQuota.objects.bulk_create(
        [CampaignQuota(campaign=campaign, segment=s, quota=q) for s, q in QUOTAS.items()]
    )
    questions = [
        ScreenerQuestion.objects.create(campaign=campaign, position=n, **fields)
        for n, fields in enumerate(QUESTIONS, start=1)
    ]
    people = list(
        Contact.objects.filter(
            workspace=workspace, research_consent=True, account__segment__in=list(QUOTAS)
        )
        .exclude(email__isnull=True)
        .select_related("account")
        .order_by("email")[:5]
    )
    stages = [
        (CandidateStatus.BOOKED, Source.SIGN_UP, True),
        (CandidateStatus.SCREENED_IN, Source.SIGN_UP, True),
        (CandidateStatus.SCREENED_OUT, Source.SIGN_UP, False),
        (CandidateStatus.INVITED, Source.LIST, None),
        (CandidateStatus.INVITED, Source.LIST, None),
    ]
    moment = datetime.combine(today, time(9), tzinfo=timezone.get_current_timezone())
    for offset, (contact, (status, source, qualifies)) in enumerate(
        zip(people, stages, strict=False)
    ):
        candidate = Candidate.objects.create(
            workspace=workspace,
            campaign=campaign,
            contact=contact,
            segment=contact.account.segment if contact.account else "",
            status=CandidateStatus.SCREENED_IN if status == CandidateStatus.BOOKED else status,
            source=source,
            answers=_answers(questions, qualifies) if qualifies is not None else {},
            screening_note=(
                "" if qualifies is None else "qualified" if qualifies else "did not qualify"
            ),
            invited_at=moment - timedelta(days=3) if source == Source.LIST else None,
            screened_at=moment - timedelta(days=offset) if qualifies is not None else None,
            created_at=moment - timedelta(days=offset + 1),
        )
        if status == CandidateStatus.BOOKED:
            _book(candidate, schedule, moment)
    return campaign


def _token(seed: int) -> str:
    from problemspace.booking.demo import demo_token

    return demo_token(seed, "campaign")


def _answers(questions: list[ScreenerQuestion], qualifies: bool) -> dict[str, object]:
    answers: dict[str, object] = {}
    for question in questions:
        if question.kind == "text":
            value: object = "Chasing approvals for invoices that arrived late in the month."
        elif question.kind == "multi":
            value = question.qualifying[:1] if qualifies else question.choices[-1:]
        else:
            value = question.qualifying[0] if qualifies else question.choices[-1]
        answers[answer_key(question)] = {"question": question.text, "answer": value}
    return answers


def _book(candidate: Candidate, schedule: Availability, moment: datetime) -> None:
    """Hold the schedule's first slot two days after `moment` for the candidate, as the
    public page would, without sending email."""
    slot = next(s for s in open_slots(schedule, now=moment + timedelta(days=2)))
    booking = Booking.objects.create(
        workspace_id=schedule.workspace_id,
        availability=schedule,
        member_id=schedule.member_id,
        purpose=schedule.purpose,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        booker_name=candidate.contact.name,
        booker_email=candidate.contact.email or "",
        booker_time_zone=schedule.time_zone,
        remind_at=remind_at(slot.starts_at, moment),
        created_at=moment,
    )
    interview = plan_interview(candidate, booking)
    Candidate.objects.filter(pk=candidate.pk).update(
        status=CandidateStatus.BOOKED, booking=booking, interview=interview
    )
