"""Interviews: planned and held conversations with customers, their guides, and the quotes
highlighted in them that become evidence.

A highlight keeps character offsets into the interview's notes or transcript, so the quote can
be opened in context; the evidence it created is the quote itself, verbatim.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

from problemspace.customers.models import Contact
from problemspace.evidence.models import Evidence
from problemspace.workspaces.models import Member, Workspace


class Kind(models.TextChoices):
    PROBLEM = "problem", "Problem interview"
    SOLUTION = "solution", "Solution interview"
    USABILITY = "usability", "Usability test"
    SITE_VISIT = "site_visit", "Site visit"


class Status(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Source(models.TextChoices):
    NOTES = "notes", "Notes"
    TRANSCRIPT = "transcript", "Transcript"


# An hour is the usual length of a discovery interview; longer ones are site visits and are
# typed in. Capped at a working day so a typo cannot inflate a member's exposure hours.
DEFAULT_DURATION_MINUTES = 45
MAX_DURATION_MINUTES = 8 * 60

# Texts are bounded like evidence is: a two-hour call transcribed runs to about 150,000 characters.
MAX_NOTES_LENGTH = 200_000
MAX_TRANSCRIPT_LENGTH = 1_000_000


class Guide(models.Model):
    """A script for one kind of interview: the questions to ask and the traps to avoid.

    Each workspace gets the default guides on first use (services.ensure_default_guides) and
    edits its own copies; `is_default` only remembers where a guide came from.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="guides")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PROBLEM)
    body = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="guide_name_unique")
        ]
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Interview(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="interviews")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PROBLEM)
    goal = models.CharField(max_length=300)
    guide = models.ForeignKey(
        Guide, on_delete=models.SET_NULL, null=True, blank=True, related_name="interviews"
    )
    contacts = models.ManyToManyField(Contact, related_name="interviews", blank=True)
    attendees = models.ManyToManyField(Member, related_name="interviews_attended", blank=True)
    scheduled_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(default=DEFAULT_DURATION_MINUTES)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    notes = models.TextField(blank=True)
    transcript = models.TextField(blank=True)
    transcript_filename = models.CharField(max_length=255, blank=True)
    # The debrief, written right after the conversation while it is fresh.
    surprises = models.TextField(blank=True)
    assumptions_touched = models.TextField(blank=True)
    created_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="interviews_planned"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0)
                & models.Q(duration_minutes__lte=MAX_DURATION_MINUTES),
                name="interview_duration_in_range",
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "status", "-scheduled_at"], name="interview_list")
        ]
        ordering = ["-scheduled_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.goal}"

    @property
    def ends_at(self) -> datetime:
        return self.scheduled_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_held(self) -> bool:
        return self.status == Status.HELD

    def text_of(self, source: str) -> str:
        return self.transcript if source == Source.TRANSCRIPT else self.notes


class Highlight(models.Model):
    """A span of an interview's notes or transcript that became one piece of evidence.

    `start` and `end` are character offsets into the text as it was when highlighted; if the
    text is edited later the evidence keeps its verbatim quote and the link falls back to it.
    """

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="highlights")
    evidence = models.OneToOneField(Evidence, on_delete=models.CASCADE, related_name="highlight")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.NOTES)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="highlights"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="highlight_span_not_empty"
            )
        ]
        ordering = ["source", "start", "id"]

    def __str__(self) -> str:
        return f"{self.source} {self.start}-{self.end} of interview {self.interview_id}"


class ExposurePreference(models.Model):
    """A member's opt-in to the exposure nudge: an email when they fall under the rule of thumb.

    Kept here rather than on Member so the interviews app owns everything about exposure.
    """

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="exposure_preference"
    )
    nudge = models.BooleanField(default=False)
    last_nudged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"exposure nudge {'on' if self.nudge else 'off'} for member {self.member_id}"
