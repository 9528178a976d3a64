"""Planning and holding interviews, and turning highlighted quotes into evidence.

The web pages, the API, the CLI and the demo call these functions, so an interview planned
in any of them obeys the same rules. Each function that writes does it in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from problemspace.customers.models import Contact
from problemspace.evidence.capture import CaptureError, capture
from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.hypotheses.models import Hypothesis
from problemspace.interviews import spans, transcripts
from problemspace.interviews.guides import DEFAULT_GUIDES
from problemspace.interviews.models import (
    MAX_DURATION_MINUTES,
    MAX_NOTES_LENGTH,
    Guide,
    Highlight,
    Interview,
    Source,
    Status,
)
from problemspace.workspaces.models import Member, Workspace

# Evidence made from highlights is recognised by this source; its external id names the
# interview and the span, so highlighting the same words twice stores them once.
EVIDENCE_SOURCE = "interview"


class InterviewError(ValueError):
    """What was asked cannot be done; `field` names the form field it is about, if any."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# --- guides ---------------------------------------------------------------------------------


def ensure_default_guides(workspace: Workspace) -> list[Guide]:
    """The workspace's guides, after giving it the default ones if it has none yet."""
    guides = list(Guide.objects.filter(workspace=workspace))
    if guides:
        return guides
    now = timezone.now()
    Guide.objects.bulk_create(
        [
            Guide(
                workspace=workspace,
                name=default.name,
                kind=default.kind,
                body=default.body,
                is_default=True,
                created_at=now,
                updated_at=now,
            )
            for default in DEFAULT_GUIDES
        ],
        ignore_conflicts=True,  # two first visits at once: both end with the same guides
    )
    return list(Guide.objects.filter(workspace=workspace))


def save_guide(
    workspace: Workspace, guide: Guide | None, *, name: str, kind: str, body: str
) -> Guide:
    name = name.strip()
    clash = Guide.objects.filter(workspace=workspace, name__iexact=name)
    if guide is not None:
        clash = clash.exclude(pk=guide.pk)
    if clash.exists():
        raise InterviewError("Another guide has that name; choose another.", field="name")
    guide = guide or Guide(workspace=workspace)
    guide.name, guide.kind, guide.body = name, kind, transcripts.normalise_newlines(body)
    guide.updated_at = timezone.now()
    guide.save()
    return guide


# --- interviews -----------------------------------------------------------------------------


@dataclass
class Plan:
    kind: str
    goal: str
    scheduled_at: datetime
    duration_minutes: int
    guide: Guide | None = None
    contacts: Sequence[Contact] = ()
    attendees: Sequence[Member] = ()


def _check_people(workspace: Workspace, plan: Plan) -> None:
    # Forms and the API offer only this workspace's people; this guards every other caller.
    if any(contact.workspace_id != workspace.pk for contact in plan.contacts):
        raise InterviewError("Choose contacts of this workspace.", field="contacts")
    if any(member.workspace_id != workspace.pk for member in plan.attendees):
        raise InterviewError("Choose members of this workspace.", field="attendees")
    if plan.guide is not None and plan.guide.workspace_id != workspace.pk:
        raise InterviewError("Choose a guide of this workspace.", field="guide")
    if not 0 < plan.duration_minutes <= MAX_DURATION_MINUTES:
        raise InterviewError(
            f"The duration is between 1 and {MAX_DURATION_MINUTES} minutes.",
            field="duration_minutes",
        )


@transaction.atomic
def plan_interview(member: Member, plan: Plan) -> Interview:
    """A new planned interview in the member's workspace."""
    _check_people(member.workspace, plan)
    interview = Interview.objects.create(
        workspace=member.workspace,
        kind=plan.kind,
        goal=plan.goal.strip(),
        guide=plan.guide,
        scheduled_at=plan.scheduled_at,
        duration_minutes=plan.duration_minutes,
        created_by=member,
    )
    interview.contacts.set(plan.contacts)
    interview.attendees.set(plan.attendees)
    return interview


@transaction.atomic
def update_plan(interview: Interview, plan: Plan) -> Interview:
    _check_people(interview.workspace, plan)
    interview.kind, interview.goal, interview.guide = plan.kind, plan.goal.strip(), plan.guide
    interview.scheduled_at, interview.duration_minutes = plan.scheduled_at, plan.duration_minutes
    interview.updated_at = timezone.now()
    interview.save()
    interview.contacts.set(plan.contacts)
    interview.attendees.set(plan.attendees)
    return interview


def set_status(interview: Interview, status: str, *, now: datetime | None = None) -> None:
    """Mark the interview held, cancelled or planned again.

    An interview cannot have been held in the future: exposure hours count conversations
    that happened.
    """
    if status == Status.HELD and interview.scheduled_at > (now or timezone.now()):
        raise InterviewError(
            "This interview is scheduled in the future; change its date to when it was held, "
            "then mark it held.",
            field="status",
        )
    if status == Status.PLANNED and interview.highlights.exists():
        raise InterviewError(
            "Quotes of this interview are evidence already, so it stays held.", field="status"
        )
    interview.status = status
    interview.updated_at = timezone.now()
    interview.save(update_fields=["status", "updated_at"])


@transaction.atomic
def save_notes(interview: Interview, notes: str) -> None:
    notes = transcripts.normalise_newlines(notes)
    if len(notes) > MAX_NOTES_LENGTH:
        raise InterviewError(
            f"The notes are {len(notes):,} characters long; the limit is "
            f"{MAX_NOTES_LENGTH:,}. Upload long text as a transcript.",
            field="notes",
        )
    interview.notes = notes
    interview.updated_at = timezone.now()
    interview.save(update_fields=["notes", "updated_at"])
    _relocate(interview, Source.NOTES)


@transaction.atomic
def set_transcript(interview: Interview, text: str, *, filename: str = "") -> None:
    """Store a transcript, pasted (`filename` empty) or already parsed from a file."""
    try:
        text = transcripts.finish(text)
    except transcripts.TranscriptError as exc:
        raise InterviewError(str(exc), field="transcript") from None
    interview.transcript = text
    interview.transcript_filename = filename[:255]
    interview.updated_at = timezone.now()
    interview.save(update_fields=["transcript", "transcript_filename", "updated_at"])
    _relocate(interview, Source.TRANSCRIPT)


def save_debrief(
    interview: Interview,
    *,
    surprises: str,
    assumptions_touched: str,
    assumptions: Iterable[Hypothesis] | None = None,
) -> None:
    """Keep the debrief; `assumptions`, when given, become the ones it touched (all of them:
    an assumption left out is no longer linked)."""
    interview.surprises = transcripts.normalise_newlines(surprises).strip()
    interview.assumptions_touched = transcripts.normalise_newlines(assumptions_touched).strip()
    interview.updated_at = timezone.now()
    with transaction.atomic():
        interview.save(update_fields=["surprises", "assumptions_touched", "updated_at"])
        if assumptions is not None:
            chosen = list(assumptions)
            if any(h.workspace_id != interview.workspace_id for h in chosen):
                raise ValueError("an interview only touches its own workspace's assumptions")
            interview.assumptions.set(chosen)


def _relocate(interview: Interview, source: str) -> None:
    """After the text changed, move each highlight to where its quote now is.

    A quote that is no longer in the text keeps its evidence (the customer said it) and its
    old offsets; the page lists it as no longer found in the text.
    """
    text = interview.text_of(source)
    for highlight in interview.highlights.filter(source=source).select_related("evidence"):
        quote = highlight.evidence.text
        if text[highlight.start : highlight.end] == quote:
            continue
        found = spans.locate(text, quote, near=highlight.start)
        if found is not None and (found.start, found.end) != (highlight.start, highlight.end):
            highlight.start, highlight.end = found.start, found.end
            highlight.save(update_fields=["start", "end"])


# --- highlights -----------------------------------------------------------------------------


@dataclass
class HighlightRequest:
    source: str
    start: int | None
    end: int | None
    quote: str = ""
    contact: Contact | None = None
    tags: Iterable[str] = ()


def interview_url(interview: Interview, highlight: Highlight | None = None) -> str:
    url = reverse(
        "interviews:detail", kwargs={"slug": interview.workspace.slug, "pk": interview.pk}
    )
    return url + (f"#highlight-{highlight.pk}" if highlight is not None else "")


def create_highlight(
    member: Member,
    interview: Interview,
    request: HighlightRequest,
    *,
    base_url: str,
    external_id: str = "",
) -> Highlight:
    """Turn a span of the interview's notes or transcript into first-hand interview evidence.

    The evidence is the quote verbatim, said by the chosen contact (their account with it),
    captured by `member`, dated when the interview was held, with a link back to the quote
    (`base_url` makes it absolute: the site's address). Through evidence.capture, like any
    evidence typed in; then it is placed among the problems as any new evidence is.
    `external_id` replaces the one made from the interview's id, for callers that need it
    stable across rebuilds (the demo).
    """
    if interview.status != Status.HELD:
        raise InterviewError("Mark the interview held before highlighting quotes in it.")
    if request.source not in Source.values:
        raise InterviewError("Choose the notes or the transcript.", field="source")
    text = interview.text_of(request.source)
    if not text:
        raise InterviewError(
            f"This interview has no {Source(request.source).label.lower()} to highlight in.",
            field="source",
        )
    try:
        span = spans.resolve(text, request.start, request.end, request.quote)
    except spans.SpanError as exc:
        raise InterviewError(str(exc), field="quote") from None
    contact = _speaker(interview, request.contact)
    record = {
        "text": span.text,
        "occurred_at": min(interview.scheduled_at, timezone.now()).isoformat(),
        "channel": Channel.INTERVIEW,
        "provenance": Provenance.FIRST_HAND,
        "source": EVIDENCE_SOURCE,
        "external_id": external_id
        or f"interview-{interview.pk}-{request.source}-{span.start}-{span.end}",
        "tags": ", ".join(tag.strip() for tag in request.tags if tag.strip()),
    }
    if contact is not None and contact.email:
        record["contact_email"] = contact.email
    try:
        with transaction.atomic():
            captured = capture(member, [record], source=EVIDENCE_SOURCE)
            evidence = captured.evidence[0]
            if Highlight.objects.filter(evidence=evidence).exists():
                raise InterviewError("That quote is highlighted already.", field="quote")
            _attribute(evidence, contact)
            highlight = Highlight.objects.create(
                interview=interview,
                evidence=evidence,
                source=request.source,
                start=span.start,
                end=span.end,
                contact=contact,
            )
            evidence.source_url = base_url.rstrip("/") + interview_url(interview, highlight)
            evidence.save(update_fields=["source_url"])
    except CaptureError as exc:
        raise InterviewError(str(exc.errors[0].reason if exc.errors else exc)) from None
    except IntegrityError:
        raise InterviewError("That quote is highlighted already.", field="quote") from None
    # capture() has the problems app place it among the problems (problems/placing.py).
    return highlight


def _speaker(interview: Interview, chosen: Contact | None) -> Contact | None:
    """Who said it: the chosen contact, who must be one of the interview's; or its only one."""
    contacts = list(interview.contacts.select_related("account"))
    if chosen is not None:
        if chosen.pk not in {contact.pk for contact in contacts}:
            raise InterviewError(
                "Choose who said it among the interview's contacts.", field="contact"
            )
        return next(contact for contact in contacts if contact.pk == chosen.pk)
    if len(contacts) == 1:
        return contacts[0]
    if contacts:
        raise InterviewError("Choose which of the contacts said it.", field="contact")
    return None


def _attribute(evidence: Evidence, contact: Contact | None) -> None:
    # capture() matches contacts by email; a contact without one is set here directly.
    if contact is None:
        return
    if evidence.contact_id != contact.pk or evidence.account_id != contact.account_id:
        evidence.contact_id, evidence.account_id = contact.pk, contact.account_id
        evidence.save(update_fields=["contact", "account"])
