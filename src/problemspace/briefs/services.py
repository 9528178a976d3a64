"""Making briefs and keeping their schedules: what the pages, the API, the CLI and the worker
call. Rules broken raise BriefError naming the field, and nothing is written then."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from problemspace.briefs import render
from problemspace.briefs.compose import compose
from problemspace.briefs.models import (
    MAX_EMAILS,
    MAX_PERIOD_DAYS,
    Audience,
    Brief,
    BriefRecipient,
    BriefSchedule,
)
from problemspace.briefs.period import Period
from problemspace.integrations import chat, events
from problemspace.workspaces.models import Member, Workspace

# Words people use for an audience, as the CLI and the API accept them.
AUDIENCE_ALIASES = {
    "exec": Audience.EXECUTIVES,
    "execs": Audience.EXECUTIVES,
    "executive": Audience.EXECUTIVES,
    "eng": Audience.ENGINEERING,
    "all": Audience.COMPANY,
    "everyone": Audience.COMPANY,
}


class BriefError(ValueError):
    """A brief or schedule that cannot be made as asked; `field` is the input to correct."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def audience_of(value: str) -> Audience:
    name = (value or "").strip().lower()
    name = AUDIENCE_ALIASES.get(name, name)
    try:
        return Audience(name)
    except ValueError:
        choices = ", ".join(Audience.values)
        raise BriefError(f"Choose the audience: {choices} (or exec).", "audience") from None


def generate(
    workspace: Workspace,
    audience: str,
    period: Period,
    *,
    member: Member | None = None,
    schedule: BriefSchedule | None = None,
    now: datetime | None = None,
) -> Brief:
    """Compose a brief and keep it, as it is now, for the workspace's list."""
    now = now or timezone.now()
    chosen = audience_of(audience)
    content = compose(workspace, chosen, period, now=now)
    return Brief.objects.create(
        workspace=workspace,
        audience=chosen,
        title=content["title"][:200],
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        generated_at=now,
        created_by=member,
        schedule=schedule,
        content=content,
    )


def brief_url(brief: Brief) -> str:
    return events.link("briefs:detail", brief.workspace.slug, brief.pk)


def publish(brief: Brief) -> None:
    """Announce the brief to the workspace's chat and webhook endpoints (brief.published)."""
    content = brief.content
    chat.publish_brief(
        brief.workspace_id,
        render.chat_brief(content, brief_url(brief)),
        id=brief.pk,
        audience=brief.audience,
        period=content.get("period", {}).get("label", ""),
    )


# --- schedules -------------------------------------------------------------------------------


def next_run(weekday: int, at: time, after: datetime) -> datetime:
    """The first moment after `after` that falls on `weekday` at `at`, in the server's zone."""
    today = timezone.localtime(after).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if day.weekday() != weekday:
            continue
        moment = timezone.make_aware(datetime.combine(day, at))
        if moment > after:
            return moment
    raise AssertionError("a weekday comes round within eight days")


def clean_emails(values: Iterable[str]) -> list[str]:
    """Addresses as given (one per line, or separated by commas), checked and without repeats."""
    found: list[str] = []
    for raw in values:
        for part in raw.replace(";", ",").replace("\n", ",").split(","):
            address = part.strip()
            if not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                raise BriefError(
                    f"{address!r} is not an email address; give one per line.", "emails"
                ) from None
            if address.lower() not in (f.lower() for f in found):
                found.append(address)
    if len(found) > MAX_EMAILS:
        raise BriefError(f"At most {MAX_EMAILS} addresses; this has {len(found)}.", "emails")
    return found


SCHEDULE_FIELDS = ("audience", "period_days", "weekday", "time_of_day", "post_to_chat", "active")


def _check(workspace: Workspace, values: dict[str, Any]) -> list[Member]:
    values["audience"] = audience_of(str(values.get("audience") or ""))
    days = values.get("period_days")
    if not isinstance(days, int) or not 1 <= days <= MAX_PERIOD_DAYS:
        raise BriefError(f"Give the period as 1 to {MAX_PERIOD_DAYS} days.", "period_days")
    weekday = values.get("weekday")
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise BriefError("Choose the day of the week it is sent on.", "weekday")
    if not isinstance(values.get("time_of_day"), time):
        raise BriefError("Give the time it is sent at, such as 08:00.", "time_of_day")
    values["emails"] = clean_emails(values.get("emails") or [])
    wanted = {int(pk) for pk in values.get("member_ids") or []}
    members = list(Member.objects.filter(workspace=workspace, pk__in=wanted).select_related("user"))
    if len(members) != len(wanted):
        raise BriefError("Choose recipients among the members of this workspace.", "member_ids")
    if not members and not values["emails"]:
        raise BriefError(
            "Choose at least one recipient: a member, or an email address.", "member_ids"
        )
    return members


def _set_recipients(schedule: BriefSchedule, members: Sequence[Member]) -> None:
    BriefRecipient.objects.filter(schedule=schedule).delete()
    BriefRecipient.objects.bulk_create(
        [BriefRecipient(schedule=schedule, member=m) for m in members]
    )


def create_schedule(member: Member, *, now: datetime | None = None, **fields: Any) -> BriefSchedule:
    """A schedule with its recipients; the worker is told when its first send is due."""
    now = now or timezone.now()
    values = dict(fields)
    members = _check(member.workspace, values)
    with transaction.atomic():
        schedule = BriefSchedule.objects.create(
            workspace=member.workspace,
            created_by=member,
            emails=values["emails"],
            created_at=now,
            updated_at=now,
            **{name: values[name] for name in SCHEDULE_FIELDS if name in values},
        )
        _set_recipients(schedule, members)
        _plan(schedule, now)
    return schedule


def update_schedule(
    member: Member, schedule: BriefSchedule, changes: dict[str, Any], *, now: datetime | None = None
) -> BriefSchedule:
    """Change what was sent (all or nothing); the next send is planned again."""
    now = now or timezone.now()
    values = {name: getattr(schedule, name) for name in SCHEDULE_FIELDS}
    values["emails"] = list(schedule.emails)
    values["member_ids"] = list(schedule.members.values_list("pk", flat=True))
    values.update(changes)
    members = _check(member.workspace, values)
    with transaction.atomic():
        for name in SCHEDULE_FIELDS:
            setattr(schedule, name, values[name])
        schedule.emails = values["emails"]
        schedule.updated_at = now
        schedule.save()
        _set_recipients(schedule, members)
        _plan(schedule, now)
    return schedule


def delete_schedule(schedule: BriefSchedule) -> None:
    # The briefs it made stay, without their schedule; its queued send finds nothing to do.
    schedule.delete()


def _plan(schedule: BriefSchedule, now: datetime) -> None:
    """Set the next send and queue it for the worker once the change is committed."""
    from problemspace.briefs import sending

    if not schedule.active:
        BriefSchedule.objects.filter(pk=schedule.pk).update(next_run_at=None)
        schedule.next_run_at = None
        return
    schedule.next_run_at = next_run(schedule.weekday, schedule.time_of_day, now)
    BriefSchedule.objects.filter(pk=schedule.pk).update(next_run_at=schedule.next_run_at)
    pk, due = schedule.pk, schedule.next_run_at
    transaction.on_commit(lambda: sending.queue(pk, due))


def recipients(schedule: BriefSchedule) -> list[str]:
    """Every address the schedule sends to: its members' and the extra ones, each once."""
    found: list[str] = []
    members = schedule.members.select_related("user").order_by("pk")
    for address in [m.user.email for m in members] + list(schedule.emails):
        if address and address.lower() not in (f.lower() for f in found):
            found.append(address)
    return found
