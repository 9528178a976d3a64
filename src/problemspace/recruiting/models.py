"""Recruiting: campaigns that find the customers to interview, screen them, and book them."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

from problemspace.booking.models import Availability, Booking
from problemspace.customers.models import Contact
from problemspace.interviews.models import Interview
from problemspace.interviews.models import Kind as InterviewKind
from problemspace.workspaces.models import Member, Workspace


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Campaign(models.Model):
    """A round of recruiting: who we want to talk to (segments and quotas), the screener they
    answer on the public sign-up page at /r/<token>/, and whose calendar they book."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=160)
    goal = models.TextField(blank=True, max_length=2000)
    interview_kind = models.CharField(
        max_length=16, choices=InterviewKind.choices, default=InterviewKind.PROBLEM
    )
    # Shown to people on the sign-up page, so it says what the research is about in their terms.
    public_intro = models.TextField(blank=True, max_length=2000)
    token = models.CharField(max_length=32, unique=True, default=new_token)
    is_open = models.BooleanField(default=True)
    availability = models.ForeignKey(
        Availability,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        help_text="the schedule screened-in candidates book",
    )
    created_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="campaigns"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class CampaignQuota(models.Model):
    """How many people of one segment the campaign wants; the segments listed are its targets."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quotas")
    segment = models.CharField(max_length=80)
    quota = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "segment"], name="campaign_quota_unique_segment"
            )
        ]
        ordering = ["segment"]

    def __str__(self) -> str:
        return f"{self.segment}: {self.quota}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "One choice"
    MULTI = "multi", "Several choices"
    TEXT = "text", "Free text"


class ScreenerQuestion(models.Model):
    """One screener question. An answer qualifies when it is (single), includes (multi) or
    contains (free text, case-insensitive) one of `qualifying`; no qualifying answers means
    the question only gathers information."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=8, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    choices = models.JSONField(default=list, blank=True)
    qualifying = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class CandidateStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    SCREENED_IN = "screened_in", "Screened in"
    SCREENED_OUT = "screened_out", "Screened out"
    BOOKED = "booked", "Booked"
    DONE = "done", "Done"
    NO_SHOW = "no_show", "No-show"


# The statuses that take a place in a segment's quota.
QUOTA_STATUSES = [CandidateStatus.SCREENED_IN, CandidateStatus.BOOKED, CandidateStatus.DONE]


class Source(models.TextChoices):
    LIST = "list", "Invited from the contact list"
    SIGN_UP = "sign_up", "Signed up on the public page"


class Candidate(models.Model):
    """A contact in a campaign, with their screener answers exactly as they wrote them."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="candidates")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="candidates")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="candidacies")
    # The segment at screening time: quotas count it, whatever the account becomes later.
    segment = models.CharField(max_length=80, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.INVITED
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.LIST)
    # Why the screener decided as it did, for the PM (never shown to the candidate).
    screening_note = models.CharField(max_length=300, blank=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidate"
    )
    # The planned interview made when they booked; kept when the booking is cancelled, which
    # cancels the interview rather than deleting what the team may have written in it.
    interview = models.ForeignKey(
        Interview, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidates"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    screened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "contact"], name="candidate_once_per_campaign"
            )
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="candidate_by_status")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contact} in {self.campaign}"
