"""Interviews over the API: list, plan and read them, add a transcript, highlight a quote, and
the team's exposure hours. The same services and getters as the pages, so the same rules."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from problemspace.customers.models import Contact
from problemspace.hypotheses.models import Hypothesis
from problemspace.interviews import exposure, services, transcripts
from problemspace.interviews.access import get_interview_for_member
from problemspace.interviews.models import (
    DEFAULT_DURATION_MINUTES,
    MAX_DURATION_MINUTES,
    MAX_TRANSCRIPT_LENGTH,
    Guide,
    Highlight,
    Interview,
    Kind,
    Source,
)
from problemspace.interviews.models import Status as InterviewStatus
from problemspace.lib.ids import Id
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member, Role

router = Router()

LISTED = 200


class InterviewOut(Schema):
    id: int
    kind: str
    goal: str
    status: str
    scheduled_at: datetime
    duration_minutes: int
    guide_id: int | None
    contact_ids: list[int]
    attendee_ids: list[int] = Field(description="members of the workspace attending")
    notes: str
    transcript: str
    transcript_filename: str
    surprises: str
    assumption_ids: list[int] = Field(description="assumptions the debrief says it touched")
    assumptions_touched: str
    highlight_count: int
    created_at: datetime

    @staticmethod
    def resolve_contact_ids(obj: Interview) -> list[int]:
        return [contact.pk for contact in obj.contacts.all()]

    @staticmethod
    def resolve_attendee_ids(obj: Interview) -> list[int]:
        return [member.pk for member in obj.attendees.all()]

    @staticmethod
    def resolve_assumption_ids(obj: Interview) -> list[int]:
        return [hypothesis.pk for hypothesis in obj.assumptions.all()]

    @staticmethod
    def resolve_highlight_count(obj: Interview) -> int:
        return len(obj.highlights.all())


class InterviewIn(Schema):
    # Required fields are optional in the schema so that access is checked before the body (a
    # stranger's request gets 404 whatever it sends); the operation answers 422 without them.
    kind: Kind = Kind.PROBLEM
    goal: str = Field("", max_length=300, description="required: what you need to learn")
    scheduled_at: datetime | None = Field(None, description="required: when it is (or was)")
    duration_minutes: int = Field(DEFAULT_DURATION_MINUTES, ge=1, le=MAX_DURATION_MINUTES)
    guide_id: Id | None = None
    contact_ids: list[Id] = Field(default_factory=list, max_length=100)
    attendee_ids: list[Id] = Field(default_factory=list, max_length=100)
    status: InterviewStatus = Field(
        InterviewStatus.PLANNED, description="planned, or held to log one that happened"
    )


class InterviewFilters(Schema):
    status: InterviewStatus | None = None


class TranscriptIn(Schema):
    text: str = Field("", max_length=MAX_TRANSCRIPT_LENGTH, description="required")
    filename: str = Field(
        "",
        max_length=255,
        description="with .vtt or .srt, the text is read as those captions; else kept as is",
    )


class HighlightIn(Schema):
    source: Source = Source.NOTES
    start: int | None = Field(None, ge=0, description="character offset where the quote starts")
    end: int | None = Field(None, ge=0, description="character offset just after the quote")
    quote: str = Field("", max_length=20_000, description="the quote, when no offsets are given")
    contact_id: Id | None = Field(None, description="who said it: one of the interview's contacts")
    tags: list[str] = Field(default_factory=list, max_length=20)


class HighlightOut(Schema):
    id: int
    interview_id: int
    evidence_id: int
    source: str
    start: int
    end: int
    contact_id: int | None
    text: str = Field(description="the evidence's text: the quote, verbatim")

    @staticmethod
    def resolve_text(obj: Highlight) -> str:
        return obj.evidence.text


class MemberExposureOut(Schema):
    member_id: int
    name: str
    role: str
    minutes: int
    interviews: int
    under_target: bool


class ExposureOut(Schema):
    since: datetime
    until: datetime
    target_minutes: int
    members: list[MemberExposureOut]


class Message(Schema):
    detail: str


def _interviews(member: Member) -> QuerySet[Interview]:
    return Interview.objects.filter(workspace_id=member.workspace_id).prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.only("pk")),
        Prefetch("attendees", queryset=Member.objects.only("pk")),
        Prefetch("highlights", queryset=Highlight.objects.only("pk", "interview_id")),
        Prefetch("assumptions", queryset=Hypothesis.objects.only("pk")),
    )


def _one(member: Member, pk: int) -> Interview:
    get_interview_for_member(member, pk)
    return _interviews(member).get(pk=pk)


@router.get("/w/{slug}/interviews", response=list[InterviewOut], summary="List interviews")
def list_interviews(
    request: HttpRequest, slug: str, filters: Query[InterviewFilters]
) -> list[Interview]:
    """The workspace's interviews, the latest first (at most 200)."""
    member = get_member(request, slug)
    interviews = _interviews(member)
    if filters.status:
        interviews = interviews.filter(status=filters.status)
    return list(interviews[:LISTED])


@router.post(
    "/w/{slug}/interviews",
    response={201: InterviewOut, 422: Message},
    summary="Plan an interview (or log one held)",
)
def create_interview(request: HttpRequest, slug: str, body: InterviewIn) -> Status:
    member = get_member(request, slug, Role.CONTRIBUTOR)
    workspace_id = member.workspace_id
    if not body.goal.strip() or body.scheduled_at is None:
        return Status(422, {"detail": "Send the interview's goal and scheduled_at."})
    contacts = list(Contact.objects.filter(workspace_id=workspace_id, pk__in=body.contact_ids))
    attendees = list(Member.objects.filter(workspace_id=workspace_id, pk__in=body.attendee_ids))
    if len(contacts) != len(set(body.contact_ids)):
        return Status(422, {"detail": "contact_ids names contacts that are not in this workspace."})
    if len(attendees) != len(set(body.attendee_ids)):
        return Status(422, {"detail": "attendee_ids names members who are not in this workspace."})
    guide = None
    if body.guide_id is not None:
        guide = Guide.objects.filter(workspace_id=workspace_id, pk=body.guide_id).first()
        if guide is None:
            return Status(422, {"detail": "guide_id names no guide of this workspace."})
    plan = services.Plan(
        kind=body.kind,
        goal=body.goal,
        scheduled_at=body.scheduled_at,
        duration_minutes=body.duration_minutes,
        guide=guide,
        contacts=contacts,
        attendees=attendees,
    )
    try:
        with transaction.atomic():  # a held interview dated in the future is not kept
            interview = services.plan_interview(member, plan)
            if body.status != InterviewStatus.PLANNED:
                services.set_status(interview, body.status)
    except services.InterviewError as exc:
        return Status(422, {"detail": str(exc)})
    return Status(201, _one(member, interview.pk))


@router.get("/w/{slug}/interviews/{int:pk}", response=InterviewOut, summary="One interview")
def get_interview(request: HttpRequest, slug: str, pk: int) -> Interview:
    member = get_member(request, slug)
    return _one(member, pk)


@router.put(
    "/w/{slug}/interviews/{int:pk}/transcript",
    response={200: InterviewOut, 422: Message},
    summary="Set the interview's transcript",
)
def put_transcript(request: HttpRequest, slug: str, pk: int, body: TranscriptIn) -> Status:
    """Store a transcript as text. Name a .vtt or .srt `filename` to have captions turned into
    readable paragraphs with speakers and times, as an upload would be."""
    member = get_member(request, slug, Role.CONTRIBUTOR)
    interview = get_interview_for_member(member, pk, write=True)
    text = body.text
    if not text.strip():
        return Status(422, {"detail": "Send the transcript's text."})
    try:
        if body.filename.lower().endswith((".vtt", ".srt")):
            text = transcripts.parse(body.filename, text.encode("utf-8"))
        services.set_transcript(interview, text, filename=body.filename)
    except (transcripts.TranscriptError, services.InterviewError) as exc:
        return Status(422, {"detail": str(exc)})
    return Status(200, _one(member, pk))


@router.post(
    "/w/{slug}/interviews/{int:pk}/highlights",
    response={201: HighlightOut, 422: Message},
    summary="Highlight a quote: it becomes first-hand interview evidence",
)
def create_highlight(request: HttpRequest, slug: str, pk: int, body: HighlightIn) -> Status:
    member = get_member(request, slug, Role.CONTRIBUTOR)
    interview = get_interview_for_member(member, pk, write=True)
    contact = None
    if body.contact_id is not None:
        contact = Contact.objects.filter(
            workspace_id=member.workspace_id, pk=body.contact_id
        ).first()
        if contact is None:
            return Status(422, {"detail": "contact_id names no contact of this workspace."})
    if (body.start is None) != (body.end is None):
        return Status(422, {"detail": "Send both start and end, or neither (with a quote)."})
    request_ = services.HighlightRequest(
        source=body.source,
        start=body.start,
        end=body.end,
        quote=body.quote,
        contact=contact,
        tags=body.tags,
    )
    try:
        highlight = services.create_highlight(
            member, interview, request_, base_url=request.build_absolute_uri("/")
        )
    except services.InterviewError as exc:
        return Status(422, {"detail": str(exc)})
    return Status(201, highlight)


@router.get(
    "/w/{slug}/exposure",
    response=ExposureOut,
    summary="Each member's hours with customers in the last six weeks",
)
def get_exposure(request: HttpRequest, slug: str) -> dict[str, object]:
    member = get_member(request, slug)
    team = exposure.team_exposure(member.workspace)
    return {
        "since": team.since,
        "until": team.until,
        "target_minutes": exposure.TARGET_MINUTES,
        "members": [
            {
                "member_id": row.member.pk,
                "name": row.member.display_name,
                "role": row.member.role,
                "minutes": row.minutes,
                "interviews": row.interviews,
                "under_target": row.under_target,
            }
            for row in team.members
        ],
    }
