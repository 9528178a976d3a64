"""The brief pages: the list of briefs and schedules, a new brief, a brief (print-friendly, with
its Markdown and PDF), and the schedule forms. Everyone in the workspace reads briefs; editors
and owners make them and keep the schedules.

A mistake re-renders the form with the message next to its field and what was typed (422); a
done change redirects with a message, so reloading never repeats it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from problemspace.briefs import render, services
from problemspace.briefs.access import get_brief_for_member, get_schedule_for_member
from problemspace.briefs.forms import BriefForm, ScheduleForm
from problemspace.briefs.models import Brief, BriefSchedule, BriefSend
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member, Role

LISTED = 100


def _base(member: Member, **extra: Any) -> dict[str, Any]:
    return {"member": member, "active": "briefs", "can_edit": member.can(Role.EDITOR), **extra}


def _apply_error(form: Any, exc: services.BriefError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    form.describe_errors()


@login_required
def brief_list(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    briefs = list(
        Brief.objects.filter(workspace=member.workspace)
        .select_related("created_by__user")
        .defer("content")
        .order_by("-generated_at", "-id")[:LISTED]
    )
    schedules = list(
        BriefSchedule.objects.filter(workspace=member.workspace).annotate(
            member_count=Count("members", distinct=True)
        )
    )
    latest: dict[int, BriefSend] = {}
    for send in BriefSend.objects.filter(schedule__in=schedules).order_by("schedule_id", "-due_at"):
        latest.setdefault(send.schedule_id, send)
    rows = [(s, latest.get(s.pk)) for s in schedules]
    context = _base(member, briefs=briefs, schedules=rows)
    return TemplateResponse(request, "briefs/list.html", context)


@login_required
def create_brief(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug, Role.EDITOR)
    today = timezone.localdate()
    if request.method == "POST":
        form = BriefForm(request.POST, today=today)
        if form.is_valid():
            try:
                brief = services.generate(
                    member.workspace,
                    form.cleaned_data["audience"],
                    form.cleaned_data["chosen_period"],
                    member=member,
                )
            except services.BriefError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "Brief made. It stays as it is now; make another later.")
                return redirect("briefs:detail", slug=slug, pk=brief.pk)
        return TemplateResponse(request, "briefs/new.html", _base(member, form=form), status=422)
    audience = request.GET.get("audience", "executives")
    form = BriefForm(today=today, initial={"audience": audience, "period": "30"})
    return TemplateResponse(request, "briefs/new.html", _base(member, form=form))


@login_required
def brief_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> TemplateResponse:
    member = get_member(request, slug)
    brief = get_brief_for_member(member, pk)
    context = _base(
        member,
        brief_record=brief,
        brief=render.linked(brief.content, ""),
        made=render.made(brief.content),
    )
    return TemplateResponse(request, "briefs/detail.html", context)


@login_required
def brief_markdown(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    brief = get_brief_for_member(member, pk)
    response = HttpResponse(
        render.markdown(brief.content), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{render.filename(brief.content, "md")}"'
    )
    return response


@login_required
def brief_pdf(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    brief = get_brief_for_member(member, pk)
    try:
        data = render.pdf(brief.content)
    except render.RenderError as exc:
        messages.error(request, str(exc))
        return redirect("briefs:detail", slug=slug, pk=pk)
    response = HttpResponse(data, content_type=render.PDF_MEDIA_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{render.filename(brief.content, "pdf")}"'
    )
    return response


@login_required
@require_POST
def publish_brief(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    brief = get_brief_for_member(member, pk, write=True)
    services.publish(brief)
    messages.success(
        request,
        "Sent to the endpoints subscribed to “brief published”: chat endpoints post it as a "
        "message. The delivery log is on the Integrations page.",
    )
    return redirect("briefs:detail", slug=slug, pk=pk)


@login_required
@require_POST
def delete_brief(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    brief = get_brief_for_member(member, pk, write=True)
    brief.delete()
    messages.success(request, "Brief deleted.")
    return redirect("briefs:list", slug=slug)


# --- schedules ---------------------------------------------------------------------------------


def _members(member: Member) -> list[Member]:
    return list(
        Member.objects.filter(workspace_id=member.workspace_id)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )


def _schedule_page(
    request: AuthenticatedHttpRequest, member: Member, schedule: BriefSchedule | None
) -> HttpResponse:
    members = _members(member)
    if request.method == "POST":
        form = ScheduleForm(request.POST, members=members)
        if form.is_valid():
            try:
                if schedule is None:
                    schedule = services.create_schedule(member, **form.values())
                    done = "Schedule added."
                else:
                    services.update_schedule(member, schedule, form.values())
                    done = "Schedule saved."
            except services.BriefError as exc:
                _apply_error(form, exc)
            else:
                when = schedule.next_run_at
                if when is not None:
                    local = timezone.localtime(when)
                    done += (
                        f" The next brief goes out on {local:%A} {local.day} {local:%b at %H:%M}."
                    )
                messages.success(request, done)
                return redirect("briefs:list", slug=member.workspace.slug)
        context = _base(member, form=form, schedule=schedule)
        return TemplateResponse(request, "briefs/schedule_form.html", context, status=422)
    if schedule is None:
        form = ScheduleForm(members=members, initial={"member_ids": [member.pk]})
    else:
        form = ScheduleForm(
            members=members,
            initial={
                "audience": schedule.audience,
                "period_days": schedule.period_days,
                "weekday": schedule.weekday,
                "time_of_day": schedule.time_of_day,
                "member_ids": list(schedule.members.values_list("pk", flat=True)),
                "emails": "\n".join(schedule.emails),
                "post_to_chat": schedule.post_to_chat,
                "active": schedule.active,
            },
        )
    context = _base(member, form=form, schedule=schedule)
    return TemplateResponse(request, "briefs/schedule_form.html", context)


@login_required
def create_schedule(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug, Role.EDITOR)
    return _schedule_page(request, member, None)


@login_required
def edit_schedule(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    schedule = get_schedule_for_member(member, pk, write=True)
    return _schedule_page(request, member, schedule)


@login_required
@require_POST
def delete_schedule(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    schedule = get_schedule_for_member(member, pk, write=True)
    services.delete_schedule(schedule)
    messages.success(request, "Schedule deleted. The briefs it sent are still listed.")
    return redirect(reverse("briefs:list", args=[slug]) + "#schedules")
