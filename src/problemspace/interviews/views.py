"""The interview pages: the list, planning, holding one (notes, transcript, highlights,
debrief), the guides, and the team's exposure hours."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from problemspace.customers.models import Contact
from problemspace.evidence.capture_views import LimitedUpload
from problemspace.interviews import exposure, services, transcripts
from problemspace.interviews.access import get_guide_for_member, get_interview_for_member
from problemspace.interviews.forms import (
    DebriefForm,
    GuideForm,
    HighlightForm,
    NotesForm,
    PlanForm,
    StatusForm,
    TranscriptForm,
)
from problemspace.interviews.models import Guide, Highlight, Interview, Source, Status
from problemspace.interviews.text import segments
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member, Role

LISTED = 100


def _detail_url(interview: Interview) -> str:
    return services.interview_url(interview)


def _add_error(form: Form, error: services.InterviewError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


@login_required
def interview_list(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    interviews = (
        Interview.objects.filter(workspace=member.workspace)
        .annotate(highlight_count=Count("highlights", distinct=True))
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.select_related("account")),
            Prefetch("attendees", queryset=Member.objects.select_related("user")),
        )
    )
    planned = list(interviews.filter(status=Status.PLANNED).order_by("scheduled_at", "id")[:LISTED])
    held = list(interviews.filter(status=Status.HELD).order_by("-scheduled_at", "-id")[:LISTED])
    cancelled = list(
        interviews.filter(status=Status.CANCELLED).order_by("-scheduled_at", "-id")[:LISTED]
    )
    context = {
        "member": member,
        "active": "interviews",
        "can_plan": member.can(Role.CONTRIBUTOR),
        "planned": planned,
        "held": held,
        "cancelled": cancelled,
        "now": timezone.now(),
    }
    return TemplateResponse(request, "interviews/list.html", context)


@login_required
def interview_plan(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug, Role.CONTRIBUTOR)
    workspace = member.workspace
    guides = services.ensure_default_guides(workspace)
    if request.method == "POST":
        form = PlanForm(workspace, request.POST)
        if form.is_valid():
            try:
                interview = services.plan_interview(member, form.plan())
            except services.InterviewError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, "Interview planned.")
                return redirect(_detail_url(interview))
    else:
        kind = request.GET.get("kind", "problem")
        guide = next((g for g in guides if g.kind == kind), None)
        contact_ids = [int(v) for v in request.GET.getlist("contact") if v.isdigit()]
        form = PlanForm(
            workspace,
            initial={
                "kind": kind,
                "guide": guide.pk if guide else None,
                "attendees": [member.pk],
                "contacts": list(
                    Contact.objects.filter(workspace=workspace, pk__in=contact_ids).values_list(
                        "pk", flat=True
                    )
                ),
            },
        )
    context = {"member": member, "active": "interviews", "form": form, "editing": None}
    return TemplateResponse(request, "interviews/plan.html", context)


@login_required
def interview_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug, Role.CONTRIBUTOR)
    interview = get_interview_for_member(member, pk, write=True)
    if request.method == "POST":
        form = PlanForm(member.workspace, request.POST)
        if form.is_valid():
            try:
                services.update_plan(interview, form.plan())
            except services.InterviewError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, "Interview saved.")
                return redirect(_detail_url(interview))
    else:
        form = PlanForm(member.workspace, initial=PlanForm.initial_for(interview))
    context = {"member": member, "active": "interviews", "form": form, "editing": interview}
    return TemplateResponse(request, "interviews/plan.html", context)


def _detail(
    request: HttpRequest,
    member: Member,
    interview: Interview,
    *,
    status_error: str = "",
    **forms: Form,
) -> TemplateResponse:
    """The interview's page; `forms` replaces a form with one that has errors to show."""
    highlights = list(
        interview.highlights.select_related("evidence", "contact__account").order_by(
            "source", "start"
        )
    )
    contacts = list(interview.contacts.select_related("account"))
    can_hold = member.can(Role.CONTRIBUTOR)
    highlight_initial: dict[str, Any] = {
        "source": Source.TRANSCRIPT if interview.transcript and not interview.notes else "notes"
    }
    if len(contacts) == 1:
        highlight_initial["contact"] = contacts[0].pk
    context: dict[str, Any] = {
        "member": member,
        "active": "interviews",
        "interview": interview,
        "contacts": contacts,
        "attendees": list(interview.attendees.select_related("user")),
        "highlights": highlights,
        "lost": [h for h in highlights if not _still_there(interview, h)],
        "notes_segments": segments(interview.notes, highlights, Source.NOTES),
        "transcript_segments": segments(interview.transcript, highlights, Source.TRANSCRIPT),
        "can_hold": can_hold,
        "is_held": interview.is_held,
        "in_future": interview.scheduled_at > timezone.now(),
        "status_choices": Status.choices,
        "notes_form": forms.get("notes_form") or NotesForm(initial={"notes": interview.notes}),
        "transcript_form": forms.get("transcript_form") or TranscriptForm(),
        "highlight_form": forms.get("highlight_form")
        or HighlightForm(interview, initial=highlight_initial),
        "debrief_form": forms.get("debrief_form")
        or DebriefForm(
            interview.workspace,
            initial={
                "surprises": interview.surprises,
                "assumptions": list(interview.assumptions.values_list("pk", flat=True)),
                "assumptions_touched": interview.assumptions_touched,
            },
        ),
        "assumptions": list(interview.assumptions.order_by("statement", "pk")),
        "status_error": status_error,
        "max_bytes": transcripts.MAX_BYTES,
    }
    return TemplateResponse(request, "interviews/detail.html", context)


def _still_there(interview: Interview, highlight: Highlight) -> bool:
    text = interview.text_of(highlight.source)
    return text[highlight.start : highlight.end] == highlight.evidence.text


@login_required
def interview_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> TemplateResponse:
    member = get_member(request, slug)
    interview = get_interview_for_member(member, pk)
    return _detail(request, member, interview)


@login_required
@require_POST
def interview_status(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug, Role.CONTRIBUTOR)
    interview = get_interview_for_member(member, pk, write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _detail(
            request, member, interview, status_error="Choose planned, held or cancelled."
        )
    try:
        services.set_status(interview, form.cleaned_data["status"])
    except services.InterviewError as exc:
        return _detail(request, member, interview, status_error=str(exc))
    messages.success(request, f"Marked {interview.get_status_display().lower()}.")
    return redirect(_detail_url(interview))


@login_required
@require_POST
def interview_notes(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug, Role.CONTRIBUTOR)
    interview = get_interview_for_member(member, pk, write=True)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            services.save_notes(interview, form.cleaned_data["notes"])
        except services.InterviewError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, "Notes saved.")
            return redirect(_detail_url(interview) + "#notes")
    return _detail(request, member, interview, notes_form=form)


@csrf_exempt
def interview_transcript(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    # The size guard must be in place before anything reads the body (CSRF's check included),
    # so a 50 MB upload is refused without being written anywhere; CSRF is checked after.
    guard = LimitedUpload(request, transcripts.MAX_BYTES)
    if request.method == "POST":
        request.upload_handlers = [guard, *request.upload_handlers]
    return _interview_transcript(cast(AuthenticatedHttpRequest, request), slug, pk, guard)


@csrf_protect
@login_required
@require_POST
def _interview_transcript(
    request: AuthenticatedHttpRequest, slug: str, pk: int, guard: LimitedUpload
) -> HttpResponse:
    member = get_member(request, slug, Role.CONTRIBUTOR)
    interview = get_interview_for_member(member, pk, write=True)
    form = TranscriptForm(request.POST, request.FILES)
    valid = form.is_valid()
    if guard.too_large:
        form.errors.pop("file", None)
        form.errors.pop("text", None)
        form.add_error(
            "file",
            f"That file is larger than {transcripts.format_size(transcripts.MAX_BYTES)}, the "
            "limit for a transcript; nothing was stored. Upload the text alone, or split it.",
        )
        valid = False
    if valid:
        upload = form.cleaned_data.get("file")
        try:
            if upload is not None:
                filename = upload.name or "transcript"
                transcripts.check_upload(filename, upload.size or 0)
                text = transcripts.parse(filename, upload.read())
                services.set_transcript(interview, text, filename=filename[:255])
            else:
                services.set_transcript(interview, form.cleaned_data["text"])
        except transcripts.TranscriptError as exc:
            form.add_error("file" if upload is not None else "text", str(exc))
        except services.InterviewError as exc:
            form.add_error("file" if upload is not None else "text", str(exc))
        else:
            messages.success(request, "Transcript saved.")
            return redirect(_detail_url(interview) + "#transcript")
    return _detail(request, member, interview, transcript_form=form)


@login_required
@require_POST
def interview_highlight(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug, Role.CONTRIBUTOR)
    interview = get_interview_for_member(member, pk, write=True)
    form = HighlightForm(interview, request.POST)
    if form.is_valid():
        try:
            highlight = services.create_highlight(
                member, interview, form.request(), base_url=request.build_absolute_uri("/")
            )
        except services.InterviewError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, "Quote saved as evidence.")
            return redirect(services.interview_url(interview, highlight))
    return _detail(request, member, interview, highlight_form=form)


@login_required
@require_POST
def interview_debrief(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug, Role.CONTRIBUTOR)
    interview = get_interview_for_member(member, pk, write=True)
    form = DebriefForm(interview.workspace, request.POST)
    if form.is_valid():
        services.save_debrief(
            interview,
            surprises=form.cleaned_data["surprises"],
            assumptions_touched=form.cleaned_data["assumptions_touched"],
            assumptions=form.cleaned_data["assumptions"],
        )
        messages.success(request, "Debrief saved.")
        return redirect(_detail_url(interview) + "#debrief")
    return _detail(request, member, interview, debrief_form=form)


# --- guides ---------------------------------------------------------------------------------


@login_required
def guide_list(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    guides = services.ensure_default_guides(member.workspace)
    context = {
        "member": member,
        "active": "interviews",
        "guides": guides,
        "can_edit": member.can(Role.EDITOR),
    }
    return TemplateResponse(request, "interviews/guides.html", context)


@login_required
def guide_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug, Role.EDITOR)
    return _guide_form(request, member, None)


@login_required
def guide_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    guide = get_guide_for_member(member, pk, write=request.method == "POST")
    if request.method != "POST" and not member.can(Role.EDITOR):
        context = {"member": member, "active": "interviews", "guide": guide}
        return TemplateResponse(request, "interviews/guide_read.html", context)
    return _guide_form(request, member, guide)


def _guide_form(request: HttpRequest, member: Member, guide: Guide | None) -> HttpResponse:
    if request.method == "POST":
        form = GuideForm(request.POST)
        if form.is_valid():
            try:
                guide = services.save_guide(member.workspace, guide, **form.cleaned_data)
            except services.InterviewError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, "Guide saved.")
                return redirect("interviews:guides", slug=member.workspace.slug)
    elif guide is not None:
        form = GuideForm(initial={"name": guide.name, "kind": guide.kind, "body": guide.body})
    else:
        form = GuideForm()
    context = {"member": member, "active": "interviews", "form": form, "guide": guide}
    return TemplateResponse(request, "interviews/guide_form.html", context)


# --- exposure -------------------------------------------------------------------------------


@login_required
def exposure_page(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    team = exposure.team_exposure(member.workspace)
    mine = next((row for row in team.members if row.member.pk == member.pk), None)
    context = {
        "member": member,
        "active": "interviews",
        "team": team,
        "mine": mine,
        "target_minutes": exposure.TARGET_MINUTES,
    }
    return TemplateResponse(request, "interviews/exposure.html", context)


@login_required
@require_POST
def exposure_nudge(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Anyone in the workspace may ask for (or stop) their own nudge: it concerns only them."""
    member = get_member(request, slug)
    enabled = request.POST.get("nudge") == "on"
    exposure.set_nudge(member, enabled)
    messages.success(
        request,
        "You will get an email when you fall under two hours in six weeks."
        if enabled
        else "No more exposure emails.",
    )
    return redirect(reverse("interviews:exposure", args=[member.workspace.slug]))
