"""Making and changing campaigns and their screener questions, all checks first.

Quotas are typed as lines of "segment: number"; questions' choices and qualifying answers as
one per line. Every problem is reported next to its field and nothing is saved until all of
them are fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Q

from problemspace.booking.models import Availability, Purpose
from problemspace.interviews.models import Kind as InterviewKind
from problemspace.recruiting.models import (
    QUOTA_STATUSES,
    Campaign,
    CampaignQuota,
    QuestionKind,
    ScreenerQuestion,
)
from problemspace.workspaces.models import Member

MAX_QUOTA = 500
MAX_QUESTIONS = 30
MAX_CHOICES = 20


class CampaignError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@dataclass
class CampaignInput:
    name: str
    goal: str = ""
    interview_kind: str = InterviewKind.PROBLEM
    public_intro: str = ""
    quotas: dict[str, int] = field(default_factory=dict)
    availability_id: int | None = None
    is_open: bool = True


def parse_quotas(text: str) -> tuple[dict[str, int], str]:
    """'SMB: 5' lines into {segment: quota}; the message says which line is wrong."""
    quotas: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        segment, sep, count = line.rpartition(":")
        segment = segment.strip()
        if not sep or not segment or not count.strip().isdigit():
            return {}, (
                f"Line {number} (“{line[:60]}”) should read “segment: number”, e.g. “SMB: 5”."
            )
        quota = int(count.strip())
        if not 1 <= quota <= MAX_QUOTA:
            return {}, f"Line {number}: a quota is between 1 and {MAX_QUOTA}."
        if segment in quotas:
            return {}, f"Line {number}: {segment} is listed twice."
        quotas[segment[:80]] = quota
    return quotas, ""


def quota_text(campaign: Campaign) -> str:
    return "\n".join(f"{q.segment}: {q.quota}" for q in campaign.quotas.all())


def check(member: Member, data: CampaignInput) -> dict[str, str]:
    errors = {}
    if not data.name.strip():
        errors["name"] = "Name the campaign, e.g. “Q3 problem interviews: month-end close”."
    elif len(data.name) > 160:
        errors["name"] = "Keep the name under 160 characters."
    if data.interview_kind not in InterviewKind.values:
        errors["interview_kind"] = "Choose one of the interview kinds listed."
    if data.availability_id is not None:
        ok = Availability.objects.filter(
            pk=data.availability_id,
            workspace_id=member.workspace_id,
            purpose=Purpose.INTERVIEW,
        ).exists()
        if not ok:
            errors["availability"] = "Choose one of the interview schedules listed."
    return errors


def save(member: Member, data: CampaignInput, campaign: Campaign | None = None) -> Campaign:
    errors = check(member, data)
    if errors:
        raise CampaignError(errors)
    with transaction.atomic():
        if campaign is None:
            campaign = Campaign(workspace_id=member.workspace_id, created_by=member)
        campaign.name = data.name.strip()
        campaign.goal = data.goal.strip()
        campaign.interview_kind = data.interview_kind
        campaign.public_intro = data.public_intro.strip()
        campaign.availability_id = data.availability_id
        campaign.is_open = data.is_open
        campaign.save()
        campaign.quotas.exclude(segment__in=list(data.quotas)).delete()
        for segment, quota in data.quotas.items():
            CampaignQuota.objects.update_or_create(
                campaign=campaign, segment=segment, defaults={"quota": quota}
            )
    return campaign


@dataclass
class QuestionInput:
    text: str
    kind: str
    choices: list[str]
    qualifying: list[str]


def lines(text: str) -> list[str]:
    seen: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()[:200]
        if line and line not in seen:
            seen.append(line)
    return seen


def add_question(campaign: Campaign, data: QuestionInput) -> ScreenerQuestion:
    errors = {}
    if not data.text.strip():
        errors["text"] = "Write the question."
    elif len(data.text) > 300:
        errors["text"] = "Keep the question under 300 characters."
    if data.kind not in QuestionKind.values:
        errors["kind"] = "Choose one of the question kinds listed."
    elif data.kind != QuestionKind.TEXT:
        if len(data.choices) < 2:
            errors["choices"] = "Give at least two choices, one per line."
        elif len(data.choices) > MAX_CHOICES:
            errors["choices"] = f"Give at most {MAX_CHOICES} choices."
        unknown = [q for q in data.qualifying if q not in data.choices]
        if unknown and "choices" not in errors:
            errors["qualifying"] = (
                f"“{unknown[0][:60]}” is not one of the choices; qualifying answers are "
                "copied from the choices above."
            )
    if campaign.questions.count() >= MAX_QUESTIONS:
        errors["text"] = f"A screener holds at most {MAX_QUESTIONS} questions; keep it short."
    if errors:
        raise CampaignError(errors)
    position = (campaign.questions.aggregate(n=Max("position"))["n"] or 0) + 1
    return ScreenerQuestion.objects.create(
        campaign=campaign,
        position=position,
        text=data.text.strip(),
        kind=data.kind,
        choices=data.choices if data.kind != QuestionKind.TEXT else [],
        qualifying=data.qualifying,
    )


@dataclass(frozen=True)
class QuotaProgress:
    segment: str
    quota: int
    filled: int

    @property
    def full(self) -> bool:
        return self.filled >= self.quota


def progress(campaign: Campaign) -> list[QuotaProgress]:
    counts = dict(
        campaign.candidates.filter(status__in=QUOTA_STATUSES)
        .order_by()
        .values_list("segment")
        .annotate(n=Count("id"))
    )
    return [
        QuotaProgress(q.segment, q.quota, counts.get(q.segment, 0)) for q in campaign.quotas.all()
    ]


def status_counts(campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    """Candidates per status for each campaign, in one grouped query (campaign lists)."""
    from problemspace.recruiting.models import Candidate

    result: dict[int, dict[str, int]] = {pk: {} for pk in campaign_ids}
    rows = (
        Candidate.objects.filter(campaign_id__in=campaign_ids)
        .order_by()
        .values_list("campaign_id", "status")
        .annotate(n=Count("id"))
    )
    for campaign_id, status, n in rows:
        result[campaign_id][status] = n
    return result


def interview_schedules(member: Member) -> list[Availability]:
    return list(
        Availability.objects.filter(
            Q(workspace_id=member.workspace_id) & Q(purpose=Purpose.INTERVIEW)
        ).select_related("member__user")
    )
