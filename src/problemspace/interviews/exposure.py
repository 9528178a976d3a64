"""Exposure hours: how much time each member spent with customers lately.

The rule of thumb from user-experience research (Jared Spool's "exposure hours"): teams whose
members each spend at least two hours every six weeks watching or talking with customers make
better products. Time counts from interviews a member attended that were held in the rolling
six weeks up to now.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from problemspace.interviews.models import ExposurePreference, Interview, Status
from problemspace.workspaces.models import Member, Workspace

logger = logging.getLogger(__name__)

WINDOW = timedelta(weeks=6)
TARGET_MINUTES = 120
# A nudge at most once a week: a reminder, not a nag.
NUDGE_INTERVAL = timedelta(days=7)


@dataclass(frozen=True)
class MemberExposure:
    member: Member
    minutes: int
    interviews: int
    nudge: bool

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def under_target(self) -> bool:
        return self.minutes < TARGET_MINUTES

    @property
    def minutes_short(self) -> int:
        return max(0, TARGET_MINUTES - self.minutes)


@dataclass(frozen=True)
class TeamExposure:
    since: datetime
    until: datetime
    members: list[MemberExposure]
    any_interview: bool = False  # none at all yet: the dashboard explains instead

    @property
    def under_target(self) -> list[MemberExposure]:
        return [row for row in self.members if row.under_target]

    @property
    def total_minutes(self) -> int:
        return sum(row.minutes for row in self.members)

    @property
    def target_hours(self) -> int:
        return TARGET_MINUTES // 60

    @property
    def window_weeks(self) -> int:
        return WINDOW.days // 7


def window(now: datetime | None = None) -> tuple[datetime, datetime]:
    until = now or timezone.now()
    return until - WINDOW, until


def team_exposure(workspace: Workspace, *, now: datetime | None = None) -> TeamExposure:
    """Every member's minutes with customers in the six weeks up to `now`, least first.

    One query whatever the team's size (the dashboard counts its queries): the members with
    their sums, their nudge preference and whether the workspace has any interview at all.
    """
    since, until = window(now)
    held = Q(
        interviews_attended__status=Status.HELD,
        interviews_attended__scheduled_at__gte=since,
        interviews_attended__scheduled_at__lte=until,
    )
    members = (
        Member.objects.filter(workspace=workspace)
        .select_related("user")
        .annotate(
            minutes=Sum("interviews_attended__duration_minutes", filter=held),
            held_count=Count("interviews_attended", filter=held),
            nudge=Exists(ExposurePreference.objects.filter(member=OuterRef("pk"), nudge=True)),
            any_interview=Exists(Interview.objects.filter(workspace=OuterRef("workspace"))),
        )
    )
    rows = []
    any_interview = False
    for member in members:
        any_interview = any_interview or bool(member.any_interview)
        rows.append(
            MemberExposure(
                member=member,
                minutes=int(member.minutes or 0),
                interviews=int(member.held_count),
                nudge=bool(member.nudge),
            )
        )
    rows.sort(key=lambda row: (row.minutes, row.member.display_name.lower()))
    return TeamExposure(since=since, until=until, members=rows, any_interview=any_interview)


def set_nudge(member: Member, enabled: bool) -> ExposurePreference:
    preference, _ = ExposurePreference.objects.update_or_create(
        member=member, defaults={"nudge": enabled}
    )
    return preference


def wants_nudge(member: Member) -> bool:
    return ExposurePreference.objects.filter(member=member, nudge=True).exists()


@dataclass
class NudgeReport:
    sent: list[Member]
    failed: list[Member]
    skipped_recent: int


def send_nudges(workspace: Workspace, *, now: datetime | None = None) -> NudgeReport:
    """Email each member who opted in and is under the target, at most once a week.

    A member whose mail could not be delivered is not marked nudged, so the next run tries again.
    """
    now = now or timezone.now()
    team = team_exposure(workspace, now=now)
    under = {row.member.pk: row for row in team.under_target if row.nudge}
    preferences = ExposurePreference.objects.filter(member_id__in=under, nudge=True)
    report = NudgeReport(sent=[], failed=[], skipped_recent=0)
    for preference in preferences:
        if preference.last_nudged_at and now - preference.last_nudged_at < NUDGE_INTERVAL:
            report.skipped_recent += 1
            continue
        row = under[preference.member_id]
        if not row.member.user.email:
            report.failed.append(row.member)
            continue
        if _deliver(workspace, row, team):
            ExposurePreference.objects.filter(pk=preference.pk).update(last_nudged_at=now)
            report.sent.append(row.member)
        else:
            report.failed.append(row.member)
    return report


def _deliver(workspace: Workspace, row: MemberExposure, team: TeamExposure) -> bool:
    site_url = settings.SITE_URL.rstrip("/")
    context = {
        "workspace": workspace,
        "row": row,
        "team": team,
        "site_url": site_url,
        "plan_url": site_url + reverse("interviews:plan", args=[workspace.slug]),
        "exposure_url": site_url + reverse("interviews:exposure", args=[workspace.slug]),
    }
    subject = render_to_string("interviews/email/nudge_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("interviews/email/nudge.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.member.user.email],
    )
    message.attach_alternative(
        render_to_string("interviews/email/nudge.html", context), "text/html"
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the exposure nudge to %s", row.member.user.email)
        return False
    return True
