"""Briefs over the API: make a brief (its content as JSON), list and read briefs, and keep the
schedules that email them.

Everyone in the workspace reads briefs and schedules; editors and owners make briefs and keep
schedules. Rules broken answer 422 with a sentence saying what to do; nothing is half-written.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from problemspace.briefs import services
from problemspace.briefs.access import check_write, get_brief_for_member, get_schedule_for_member
from problemspace.briefs.models import (
    MAX_EMAILS,
    MAX_PERIOD_DAYS,
    Brief,
    BriefSchedule,
    BriefSend,
)
from problemspace.briefs.period import Period, PeriodError
from problemspace.lib.ids import Id
from problemspace.workspaces.access import get_member

router = Router()

AudienceName = Literal["engineering", "sales", "executives", "company"]


class BriefIn(Schema):
    audience: AudienceName | None = Field(None, description="required: who the brief is for")
    days: int | None = Field(
        None, ge=1, le=MAX_PERIOD_DAYS, description="the last N days up to now (default 30)"
    )
    start: date | None = Field(None, description="instead of days: the first day of the period")
    end: date | None = Field(None, description="with start: the last day, included")


class BriefSummaryOut(Schema):
    id: int
    title: str
    audience: str
    period_start: datetime
    period_end: datetime
    period_label: str
    generated_at: datetime
    schedule_id: int | None
    url: str = Field(description="the brief's page")


class BriefOut(BriefSummaryOut):
    content: dict[str, Any] = Field(
        description="what the brief says, as it was made (see docs/briefs.md): sections of "
        "problems, loud problems, quotes, initiatives, goals, assumptions, moves and exposure, "
        "each with the path of the page behind it"
    )


class ScheduleIn(Schema):
    audience: AudienceName | None = Field(None, description="required")
    period_days: int = Field(7, ge=1, le=MAX_PERIOD_DAYS, description="each brief covers these")
    weekday: int = Field(0, ge=0, le=6, description="0 Monday to 6 Sunday")
    time_of_day: time = Field(time(8, 0), description="in the server's time zone")
    member_ids: list[Id] = Field([], max_length=200, description="members who get it")
    emails: list[str] = Field([], max_length=MAX_EMAILS, description="other addresses")
    post_to_chat: bool = False
    active: bool = True


class SchedulePatch(Schema):
    audience: AudienceName | None = None
    period_days: int | None = Field(None, ge=1, le=MAX_PERIOD_DAYS)
    weekday: int | None = Field(None, ge=0, le=6)
    time_of_day: time | None = None
    member_ids: list[Id] | None = Field(None, max_length=200)
    emails: list[str] | None = Field(None, max_length=MAX_EMAILS)
    post_to_chat: bool | None = None
    active: bool | None = None


class SendOut(Schema):
    due_at: datetime
    status: str
    recipients: list[str]
    failed_recipients: list[str]
    brief_id: int | None
    error: str


class ScheduleOut(Schema):
    id: int
    audience: str
    period_days: int
    weekday: int
    time_of_day: time
    member_ids: list[int]
    emails: list[str]
    post_to_chat: bool
    active: bool
    next_run_at: datetime | None
    description: str
    last_send: SendOut | None


def _summary(brief: Brief) -> dict[str, Any]:
    return {
        "id": brief.pk,
        "title": brief.title,
        "audience": brief.audience,
        "period_start": brief.period_start,
        "period_end": brief.period_end,
        "period_label": brief.period_label,
        "generated_at": brief.generated_at,
        "schedule_id": brief.schedule_id,
        "url": services.brief_url(brief),
    }


def _last_send(schedule: BriefSchedule) -> BriefSend | None:
    return schedule.sends.order_by("-due_at", "-id").first()


def _schedule(schedule: BriefSchedule, last: BriefSend | None) -> dict[str, Any]:
    return {
        "id": schedule.pk,
        "audience": schedule.audience,
        "period_days": schedule.period_days,
        "weekday": schedule.weekday,
        "time_of_day": schedule.time_of_day,
        "member_ids": sorted(m.pk for m in schedule.members.all()),
        "emails": list(schedule.emails),
        "post_to_chat": schedule.post_to_chat,
        "active": schedule.active,
        "next_run_at": schedule.next_run_at,
        "description": schedule.describe(),
        "last_send": None
        if last is None
        else {
            "due_at": last.due_at,
            "status": last.status,
            "recipients": list(last.recipients),
            "failed_recipients": list(last.failed_recipients),
            "brief_id": last.brief_id,
            "error": last.error,
        },
    }


def _unprocessable(exc: services.BriefError) -> HttpError:
    where = f"{exc.field}: " if exc.field else ""
    return HttpError(422, f"{where}{exc}")


@router.get("/w/{slug}/briefs", response=list[BriefSummaryOut], summary="The briefs made")
def list_briefs(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """The latest first (at most 200), without their content."""
    member = get_member(request, slug)
    briefs = (
        Brief.objects.filter(workspace=member.workspace)
        .select_related("workspace")
        .defer("content")
        .order_by("-generated_at", "-id")[:200]
    )
    return [_summary(b) for b in briefs]


@router.post(
    "/w/{slug}/briefs", response={201: BriefOut}, summary="Make a brief for an audience and period"
)
def create_brief(request: HttpRequest, slug: str, body: BriefIn) -> Status:
    """The last `days` days up to now, or `start` to `end` (both days included). The brief is
    kept as it is now; its content is in the answer."""
    member = get_member(request, slug)
    check_write(member)
    if body.audience is None:
        raise HttpError(422, "audience: choose engineering, sales, executives or company.")
    try:
        if body.start is not None or body.end is not None:
            if body.start is None or body.end is None:
                raise HttpError(422, "Give both start and end, or days.")
            period = Period.between(body.start, body.end, today=timezone.localdate())
        else:
            period = Period.last_days(body.days or 30)
        brief = services.generate(member.workspace, body.audience, period, member=member)
    except PeriodError as exc:
        raise HttpError(422, str(exc)) from None
    except services.BriefError as exc:
        raise _unprocessable(exc) from None
    return Status(201, {**_summary(brief), "content": brief.content})


@router.get("/w/{slug}/briefs/{int:pk}", response=BriefOut, summary="One brief, with its content")
def get_brief(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    member = get_member(request, slug)
    brief = get_brief_for_member(member, pk)
    return {**_summary(brief), "content": brief.content}


@router.get(
    "/w/{slug}/brief-schedules",
    response=list[ScheduleOut],
    summary="The schedules that email briefs",
)
def list_schedules(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    member = get_member(request, slug)
    schedules = list(
        BriefSchedule.objects.filter(workspace=member.workspace).prefetch_related("members")
    )
    latest: dict[int, BriefSend] = {}
    sends = BriefSend.objects.filter(schedule__in=schedules).order_by("schedule_id", "-due_at")
    for send in sends:
        latest.setdefault(send.schedule_id, send)
    return [_schedule(s, latest.get(s.pk)) for s in schedules]


@router.post(
    "/w/{slug}/brief-schedules",
    response={201: ScheduleOut},
    summary="Email a brief every week",
)
def create_schedule(request: HttpRequest, slug: str, body: ScheduleIn) -> Status:
    member = get_member(request, slug)
    check_write(member)
    try:
        schedule = services.create_schedule(member, **body.model_dump())
    except services.BriefError as exc:
        raise _unprocessable(exc) from None
    return Status(201, _schedule(schedule, None))


@router.get(
    "/w/{slug}/brief-schedules/{int:pk}", response=ScheduleOut, summary="One brief schedule"
)
def get_schedule(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    member = get_member(request, slug)
    schedule = get_schedule_for_member(member, pk)
    return _schedule(schedule, _last_send(schedule))


@router.patch(
    "/w/{slug}/brief-schedules/{int:pk}",
    response=ScheduleOut,
    summary="Change a brief schedule",
)
def patch_schedule(request: HttpRequest, slug: str, pk: int, body: SchedulePatch) -> dict[str, Any]:
    """Only the fields sent change; member_ids and emails, when sent, replace the lists."""
    member = get_member(request, slug)
    schedule = get_schedule_for_member(member, pk, write=True)
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    try:
        services.update_schedule(member, schedule, changes)
    except services.BriefError as exc:
        raise _unprocessable(exc) from None
    return _schedule(schedule, _last_send(schedule))


@router.delete(
    "/w/{slug}/brief-schedules/{int:pk}", response={204: None}, summary="Stop a brief schedule"
)
def delete_schedule(request: HttpRequest, slug: str, pk: int) -> Status:
    """The briefs it sent stay."""
    member = get_member(request, slug)
    schedule = get_schedule_for_member(member, pk, write=True)
    services.delete_schedule(schedule)
    return Status(204, None)
