"""Members' recruiting pages: campaigns, their screener, "who haven't we talked to?", and
candidates. Everyone reads; editors run campaigns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.recruiting import campaigns, invites, sourcing
from problemspace.recruiting.access import (
    get_campaign_for_member,
    get_candidate_for_member,
    get_question_for_member,
    require_editor,
)
from problemspace.recruiting.booking_link import booking_url
from problemspace.recruiting.forms import CampaignForm, QuestionForm, StatusForm
from problemspace.recruiting.models import Campaign, Candidate, CandidateStatus
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member, Role

CANDIDATES_SHOWN = 500
MAX_QUIET_DAYS = 3650


def _campaign_initial(campaign: Campaign) -> dict[str, object]:
    return {
        "name": campaign.name,
        "goal": campaign.goal,
        "interview_kind": campaign.interview_kind,
        "public_intro": campaign.public_intro,
        "quotas": campaigns.quota_text(campaign),
        "availability": str(campaign.availability_id or ""),
        "is_open": campaign.is_open,
    }


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug)
    schedules = campaigns.interview_schedules(member)
    form = CampaignForm(schedules=schedules)
    if request.method == "POST":
        require_editor(member)
        form = CampaignForm(request.POST, schedules=schedules)
        if form.is_valid():
            try:
                campaign = campaigns.save(member, form.to_input())
            except campaigns.CampaignError as error:
                form.put(error)
            else:
                messages.success(request, "Campaign made. Add the screener questions next.")
                return HttpResponseRedirect(
                    reverse("recruiting:campaign", args=[slug, campaign.pk])
                )
    rows = list(Campaign.objects.filter(workspace_id=member.workspace_id))
    counts = campaigns.status_counts([c.pk for c in rows])
    context = {
        "member": member,
        "active": "recruiting",
        "rows": [
            (c, [counts.get(c.pk, {}).get(value, 0) for value, _ in CandidateStatus.choices])
            for c in rows
        ],
        "statuses": CandidateStatus.choices,
        "form": form,
        "can_edit": member.can(Role.EDITOR),
    }
    return TemplateResponse(
        request, "recruiting/campaign_list.html", context, status=400 if form.errors else 200
    )


def _detail_context(member: Member, campaign: Campaign) -> dict[str, object]:
    candidates = list(
        Candidate.objects.filter(campaign=campaign)
        .select_related("contact__account", "booking")
        .order_by("-created_at", "-id")[:CANDIDATES_SHOWN]
    )
    by_status = dict(campaign.candidates.order_by().values_list("status").annotate(n=Count("id")))
    return {
        "member": member,
        "active": "recruiting",
        "campaign": campaign,
        "progress": campaigns.progress(campaign),
        "questions": list(campaign.questions.all()),
        "candidates": candidates,
        "by_status": [
            (value, label, by_status.get(value, 0)) for value, label in CandidateStatus.choices
        ],
        "signup_url": invites.signup_url(campaign),
        "can_edit": member.can(Role.EDITOR),
        "statuses": CandidateStatus.choices,
    }


@login_required
@require_http_methods(["GET", "POST"])
def campaign_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    campaign = get_campaign_for_member(member, pk, write=request.method == "POST")
    schedules = campaigns.interview_schedules(member)
    form = CampaignForm(initial=_campaign_initial(campaign), schedules=schedules)
    if request.method == "POST":
        form = CampaignForm(request.POST, schedules=schedules)
        if form.is_valid():
            try:
                campaigns.save(member, form.to_input(), campaign)
            except campaigns.CampaignError as error:
                form.put(error)
            else:
                messages.success(request, "Campaign saved.")
                return HttpResponseRedirect(request.path)
    context = {
        **_detail_context(member, campaign),
        "form": form,
        "question_form": QuestionForm(),
    }
    return TemplateResponse(
        request, "recruiting/campaign_detail.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def question_add(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    campaign = get_campaign_for_member(member, pk, write=True)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            campaigns.add_question(campaign, form.to_input())
        except campaigns.CampaignError as error:
            form.put(error)
        else:
            messages.success(request, "Question added to the screener.")
            return HttpResponseRedirect(reverse("recruiting:campaign", args=[slug, pk]))
    context = {
        **_detail_context(member, campaign),
        "form": CampaignForm(
            initial=_campaign_initial(campaign), schedules=campaigns.interview_schedules(member)
        ),
        "question_form": form,
    }
    return TemplateResponse(request, "recruiting/campaign_detail.html", context, status=400)


@login_required
@require_POST
def question_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    question = get_question_for_member(member, pk, write=True)
    campaign_id = question.campaign_id
    question.delete()
    messages.success(request, "Question removed; answers already given keep their text.")
    return HttpResponseRedirect(reverse("recruiting:campaign", args=[slug, campaign_id]))


def _quiet_days(value: str) -> int:
    if value.isdigit() and 0 <= int(value) <= MAX_QUIET_DAYS:
        return int(value)
    return sourcing.DEFAULT_QUIET_DAYS


@login_required
@require_http_methods(["GET", "POST"])
def prospect_list(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    campaign = get_campaign_for_member(member, pk, write=request.method == "POST")
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("contact") if v.isdigit()]
        try:
            result = invites.invite(member, campaign, ids)
        except invites.InviteError as error:
            messages.error(request, str(error))
        else:
            text = f"Invited {result.sent} {'person' if result.sent == 1 else 'people'}."
            if result.failed:
                text += f" {result.failed} email(s) could not be sent; they are still listed."
            if result.skipped:
                text += f" {result.skipped} skipped (already in the campaign or no consent)."
            messages.success(request, text)
            return HttpResponseRedirect(reverse("recruiting:campaign", args=[slug, pk]))
    days = _quiet_days(request.GET.get("days", ""))
    context = {
        "member": member,
        "active": "recruiting",
        "campaign": campaign,
        "days": days,
        "prospects": sourcing.prospects(campaign, quiet_days=days),
        "targets": sourcing.targets(campaign),
        "can_edit": member.can(Role.EDITOR),
    }
    return TemplateResponse(request, "recruiting/prospects.html", context)


def _shown(answer: object) -> str:
    if isinstance(answer, list):
        return ", ".join(str(value) for value in answer)
    return str(answer)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    candidate = get_candidate_for_member(member, pk, write=request.method == "POST")
    if request.method == "POST":
        form = StatusForm(request.POST)
        if form.is_valid():
            status = form.cleaned_data["status"]
            Candidate.objects.filter(pk=candidate.pk).update(status=status)
            text = f"{candidate.contact} is now {CandidateStatus(status).label.lower()}."
            if status == CandidateStatus.SCREENED_IN and candidate.status != status:
                candidate.status = status
                if invites.send_booking_link(candidate):
                    text += " They were emailed the link to book a time."
            messages.success(request, text)
            return HttpResponseRedirect(request.path)
        messages.error(request, "Choose one of the statuses listed.")
    answers = [
        (entry.get("question", ""), _shown(entry.get("answer", "")))
        for entry in candidate.answers.values()
        if isinstance(entry, dict)
    ]
    context = {
        "member": member,
        "active": "recruiting",
        "candidate": candidate,
        "campaign": candidate.campaign,
        "answers": answers,
        "statuses": CandidateStatus.choices,
        "can_edit": member.can(Role.EDITOR),
        "booking_url": booking_url(candidate)
        if candidate.status == CandidateStatus.SCREENED_IN
        else None,
    }
    return TemplateResponse(request, "recruiting/candidate_detail.html", context)
