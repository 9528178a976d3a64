"""Recruiting over the API: campaigns with their quotas' progress, candidates and their
status, "who haven't we talked to?" and invitations. Everyone reads; editors write."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from problemspace.lib.ids import Id
from problemspace.recruiting import campaigns, invites, sourcing
from problemspace.recruiting.access import (
    get_campaign_for_member,
    get_candidate_for_member,
    require_editor,
)
from problemspace.recruiting.models import Campaign, Candidate, CandidateStatus
from problemspace.workspaces.access import get_member

router = Router()


class QuotaOut(Schema):
    segment: str
    quota: int
    filled: int = Field(description="candidates screened in, booked or done in this segment")


class CampaignOut(Schema):
    id: int
    name: str
    goal: str
    interview_kind: str
    public_intro: str
    is_open: bool
    availability_id: int | None = Field(description="the schedule screened-in people book")
    signup_url: str
    candidates: dict[str, int] = Field(description="how many candidates at each status")
    quotas: list[QuotaOut]
    created_at: datetime


class QuestionOut(Schema):
    id: int
    text: str
    kind: str
    choices: list[str]
    qualifying: list[str]


class CampaignDetailOut(CampaignOut):
    questions: list[QuestionOut]


class CampaignIn(Schema):
    # Required fields are optional in the schema so that access is checked before the body (a
    # stranger's request gets 404 whatever it sends); the operation answers 422 without them.
    name: str = Field("", max_length=160, description="required")
    goal: str = Field("", max_length=2000)
    interview_kind: str = "problem"
    public_intro: str = Field("", max_length=2000)
    quotas: dict[str, int] = Field(default_factory=dict, description="segment -> quota")
    availability_id: Id | None = None
    is_open: bool = True


class CampaignPatch(Schema):
    name: str | None = Field(None, max_length=160)
    goal: str | None = Field(None, max_length=2000)
    interview_kind: str | None = None
    public_intro: str | None = Field(None, max_length=2000)
    quotas: dict[str, int] | None = None
    availability_id: Id | None = None
    is_open: bool | None = None


class CandidateOut(Schema):
    id: int
    campaign_id: int
    contact_id: int
    name: str
    email: str | None
    account: str | None
    segment: str
    status: str
    source: str
    screening_note: str
    answers: dict[str, Any] = Field(description="question key -> {question, answer}, as written")
    booked_for: datetime | None
    interview_id: int | None
    created_at: datetime


class CandidateFilters(Schema):
    status: str = Field("", description="only candidates at this status")


class CandidatePatch(Schema):
    status: str = Field("", description="required: the new status")


class ProspectOut(Schema):
    contact_id: int
    name: str
    email: str | None
    account: str | None
    segment: str
    last_contacted: date | None
    account_heard: int = Field(description="evidence from their account in the last 6 months")
    segment_heard: int = Field(description="evidence from their segment in the last 6 months")


class ProspectFilters(Schema):
    days: int = Field(sourcing.DEFAULT_QUIET_DAYS, ge=0, le=3650, description="not contacted for")


class InvitationsIn(Schema):
    contact_ids: list[int] = Field(default_factory=list, max_length=100, description="required")


class InvitationsOut(Schema):
    sent: int
    failed: int = Field(description="emails the mail server refused; the candidates stand")
    skipped: int = Field(description="already in the campaign, no consent, or no email")


def _quotas(campaign: Campaign) -> list[dict[str, Any]]:
    return [
        {"segment": q.segment, "quota": q.quota, "filled": q.filled}
        for q in campaigns.progress(campaign)
    ]


def _campaign(campaign: Campaign, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "goal": campaign.goal,
        "interview_kind": campaign.interview_kind,
        "public_intro": campaign.public_intro,
        "is_open": campaign.is_open,
        "availability_id": campaign.availability_id,
        "signup_url": invites.signup_url(campaign),
        "candidates": {s: counts.get(s, 0) for s in CandidateStatus.values},
        "quotas": _quotas(campaign),
        "created_at": campaign.created_at,
    }


def _detail(campaign: Campaign) -> dict[str, Any]:
    counts = campaigns.status_counts([campaign.pk])[campaign.pk]
    return {
        **_campaign(campaign, counts),
        "questions": [
            {
                "id": q.pk,
                "text": q.text,
                "kind": q.kind,
                "choices": q.choices,
                "qualifying": q.qualifying,
            }
            for q in campaign.questions.all()
        ],
    }


def _candidate(candidate: Candidate) -> dict[str, Any]:
    contact = candidate.contact
    return {
        "id": candidate.pk,
        "campaign_id": candidate.campaign_id,
        "contact_id": candidate.contact_id,
        "name": contact.name,
        "email": contact.email,
        "account": contact.account.name if contact.account else None,
        "segment": candidate.segment,
        "status": candidate.status,
        "source": candidate.source,
        "screening_note": candidate.screening_note,
        "answers": candidate.answers,
        "booked_for": candidate.booking.starts_at if candidate.booking else None,
        "interview_id": candidate.interview_id,
        "created_at": candidate.created_at,
    }


def _unprocessable(error: campaigns.CampaignError) -> HttpError:
    return HttpError(422, " ".join(f"{k}: {v}" for k, v in error.errors.items()))


@router.get("/w/{slug}/campaigns", response=list[CampaignOut], summary="Recruiting campaigns")
def list_campaigns(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    member = get_member(request, slug)
    rows = list(Campaign.objects.filter(workspace_id=member.workspace_id))
    counts = campaigns.status_counts([c.pk for c in rows])
    return [_campaign(c, counts[c.pk]) for c in rows]


def _check_quotas(quotas: dict[str, int]) -> None:
    for segment, quota in quotas.items():
        if not segment.strip() or len(segment) > 80:
            raise HttpError(422, "quotas: a segment name has 1 to 80 characters.")
        if not 1 <= quota <= campaigns.MAX_QUOTA:
            raise HttpError(422, f"quotas: a quota is between 1 and {campaigns.MAX_QUOTA}.")


@router.post("/w/{slug}/campaigns", response={201: CampaignDetailOut}, summary="Start a campaign")
def create_campaign(request: HttpRequest, slug: str, body: CampaignIn) -> Status:
    member = get_member(request, slug)
    require_editor(member)
    _check_quotas(body.quotas)
    try:
        made = campaigns.save(member, campaigns.CampaignInput(**body.dict()))
    except campaigns.CampaignError as error:
        raise _unprocessable(error) from None
    return Status(201, _detail(made))


@router.get(
    "/w/{slug}/campaigns/{int:pk}",
    response=CampaignDetailOut,
    summary="One campaign with its quotas' progress and screener",
)
def get_campaign(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    member = get_member(request, slug)
    return _detail(get_campaign_for_member(member, pk))


@router.patch(
    "/w/{slug}/campaigns/{int:pk}",
    response=CampaignDetailOut,
    summary="Change a campaign: only the fields sent",
)
def patch_campaign(request: HttpRequest, slug: str, pk: int, body: CampaignPatch) -> dict[str, Any]:
    member = get_member(request, slug)
    campaign = get_campaign_for_member(member, pk, write=True)
    data = campaigns.CampaignInput(
        name=campaign.name,
        goal=campaign.goal,
        interview_kind=campaign.interview_kind,
        public_intro=campaign.public_intro,
        quotas=dict(campaign.quotas.values_list("segment", "quota")),
        availability_id=campaign.availability_id,
        is_open=campaign.is_open,
    )
    for name, value in body.dict(exclude_unset=True).items():
        setattr(data, name, value if value is not None or name == "availability_id" else None)
    _check_quotas(data.quotas or {})
    try:
        campaigns.save(member, data, campaign)
    except campaigns.CampaignError as error:
        raise _unprocessable(error) from None
    return get_campaign(request, slug, pk)


@router.get(
    "/w/{slug}/campaigns/{int:pk}/candidates",
    response=list[CandidateOut],
    summary="A campaign's candidates, newest first",
)
def list_candidates(
    request: HttpRequest, slug: str, pk: int, filters: Query[CandidateFilters]
) -> list[dict[str, Any]]:
    member = get_member(request, slug)
    campaign = get_campaign_for_member(member, pk)
    rows = Candidate.objects.filter(campaign=campaign).select_related("contact__account", "booking")
    if filters.status:
        if filters.status not in CandidateStatus.values:
            raise HttpError(422, f"status is one of {', '.join(CandidateStatus.values)}.")
        rows = rows.filter(status=filters.status)
    return [_candidate(c) for c in rows[:1000]]


@router.get(
    "/w/{slug}/campaigns/{int:pk}/prospects",
    response=list[ProspectOut],
    summary="Who haven't we talked to? Contacts to invite, least heard-from first",
)
def list_prospects(
    request: HttpRequest, slug: str, pk: int, filters: Query[ProspectFilters]
) -> list[dict[str, Any]]:
    member = get_member(request, slug)
    campaign = get_campaign_for_member(member, pk)
    return [
        {
            "contact_id": p.contact.pk,
            "name": p.contact.name,
            "email": p.contact.email,
            "account": p.contact.account.name if p.contact.account else None,
            "segment": p.contact.account.segment if p.contact.account else "",
            "last_contacted": p.contact.last_contacted,
            "account_heard": p.account_heard,
            "segment_heard": p.segment_heard,
        }
        for p in sourcing.prospects(campaign, quiet_days=filters.days)
    ]


@router.post(
    "/w/{slug}/campaigns/{int:pk}/invitations",
    response=InvitationsOut,
    summary="Invite contacts by email to the campaign's sign-up page",
)
def invite(request: HttpRequest, slug: str, pk: int, body: InvitationsIn) -> dict[str, int]:
    member = get_member(request, slug)
    campaign = get_campaign_for_member(member, pk, write=True)
    try:
        result = invites.invite(member, campaign, body.contact_ids)
    except invites.InviteError as error:
        raise HttpError(422, str(error)) from None
    return {"sent": result.sent, "failed": result.failed, "skipped": result.skipped}


@router.patch(
    "/w/{slug}/candidates/{int:pk}",
    response=CandidateOut,
    summary="Set a candidate's status (screening in by hand emails the booking link)",
)
def patch_candidate(
    request: HttpRequest, slug: str, pk: int, body: CandidatePatch
) -> dict[str, Any]:
    member = get_member(request, slug)
    candidate = get_candidate_for_member(member, pk, write=True)
    if body.status not in CandidateStatus.values:
        raise HttpError(422, f"status is one of {', '.join(CandidateStatus.values)}.")
    was = candidate.status
    Candidate.objects.filter(pk=candidate.pk).update(status=body.status)
    candidate.status = body.status
    if body.status == CandidateStatus.SCREENED_IN and was != body.status:
        invites.send_booking_link(candidate)
    return _candidate(candidate)
