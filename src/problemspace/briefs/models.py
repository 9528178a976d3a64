"""Briefs: audience-specific digests of a period, kept as they were when made, and schedules
that make and email them every week.

A Brief stores its content as a snapshot (JSON, see compose.py): the quotes, figures and links
it showed on the day it was made. Evidence edited, problems renamed or initiatives moved later do
not change a brief someone already read, emailed or printed.

A BriefSchedule says who gets which brief when; `next_run_at` is the moment of its next send,
and sending claims it with a conditional UPDATE (sending.py), so a send happens once however
many workers or cron jobs look. Every send is kept as a BriefSend, with what went wrong if
something did.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from problemspace.workspaces.models import Member, Workspace

MAX_TITLE = 200
MAX_EMAILS = 50
MAX_PERIOD_DAYS = 366


class Audience(models.TextChoices):
    ENGINEERING = "engineering", "Engineering"
    SALES = "sales", "Sales"
    EXECUTIVES = "executives", "Executives"
    COMPANY = "company", "Whole company"


# What each audience gets, as the forms and the docs say it.
AUDIENCE_HELP = {
    Audience.ENGINEERING: "the problems behind the now and next work, in customers' words, "
    "and the assumptions being tested",
    Audience.SALES: "how the product answers customer problems: what shipped and is in "
    "progress, and the words customers use, by segment",
    Audience.EXECUTIVES: "the evidence behind the bets: top problems by reach and revenue, "
    "the initiatives serving each goal, assumptions validated or killed",
    Audience.COMPANY: "a short digest of all of it",
}


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class BriefSchedule(models.Model):
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="brief_schedules"
    )
    audience = models.CharField(max_length=16, choices=Audience.choices)
    # Each brief covers the `period_days` days up to the moment it is sent.
    period_days = models.PositiveSmallIntegerField(default=7)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    # In the server's time zone (PROBLEMSPACE_TIME_ZONE).
    time_of_day = models.TimeField()
    members: models.ManyToManyField[Member, BriefRecipient] = models.ManyToManyField(
        Member, through="BriefRecipient", related_name="brief_schedules", blank=True
    )
    # Addresses outside the workspace (a board, a company-wide list).
    emails = models.JSONField(default=list, blank=True)
    post_to_chat = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["weekday", "time_of_day", "id"]
        # The sweep asks "which active schedules are due" across workspaces.
        indexes = [models.Index(fields=["active", "next_run_at"], name="brief_schedules_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_days__gte=1, period_days__lte=MAX_PERIOD_DAYS),
                name="brief_schedule_period_1_to_366",
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="brief_schedule_weekday_0_to_6"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} brief, {self.get_weekday_display()}s"

    def describe(self) -> str:
        """ "Every Monday at 08:00, the last 7 days"."""
        return (
            f"Every {self.get_weekday_display()} at {self.time_of_day:%H:%M}, "
            f"the last {self.period_days} day{'s' if self.period_days != 1 else ''}"
        )


class BriefRecipient(models.Model):
    schedule = models.ForeignKey(BriefSchedule, on_delete=models.CASCADE)
    member = models.ForeignKey(Member, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["schedule", "member"], name="brief_recipient_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} gets {self.schedule_id}"


class Brief(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="briefs")
    audience = models.CharField(max_length=16, choices=Audience.choices)
    title = models.CharField(max_length=MAX_TITLE)
    # [period_start, period_end): what happened in it is what the brief reports.
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    period_label = models.CharField(max_length=80)
    generated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    schedule = models.ForeignKey(
        BriefSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="briefs"
    )
    content = models.JSONField(default=dict)

    class Meta:
        ordering = ["-generated_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-generated_at"], name="briefs_latest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="brief_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class SendStatus(models.TextChoices):
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class BriefSend(models.Model):
    """One scheduled send: the moment it was due, the brief made for it, to whom it went."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    schedule = models.ForeignKey(BriefSchedule, on_delete=models.CASCADE, related_name="sends")
    due_at = models.DateTimeField()
    brief = models.ForeignKey(
        Brief, on_delete=models.SET_NULL, null=True, blank=True, related_name="sends"
    )
    status = models.CharField(max_length=16, choices=SendStatus.choices, default=SendStatus.SENDING)
    recipients = models.JSONField(default=list, blank=True)
    failed_recipients = models.JSONField(default=list, blank=True)
    posted_to_chat = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Sending to the addresses the mail server refused is tried again, a few times, later.
    attempts = models.PositiveSmallIntegerField(default=1)
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_at", "-id"]
        constraints = [
            # The second lock after the claim: one send per schedule and due moment.
            models.UniqueConstraint(fields=["schedule", "due_at"], name="brief_send_once")
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} at {self.due_at:%Y-%m-%d %H:%M} ({self.status})"
