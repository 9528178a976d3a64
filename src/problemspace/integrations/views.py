"""The integrations pages: endpoints, the delivery log, test events, redelivery, exports.

Editors see endpoints and the log, send test events and redeliver; owners add, change and
delete endpoints and see their secrets; any member downloads the exports (access.py). A
mistake re-renders the form with the message next to its field (422); a done change
redirects with a message, so reloading never repeats it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from problemspace.integrations import events, queries, services, tasks, trackers
from problemspace.integrations.access import (
    check_read,
    get_delivery_for_member,
    get_endpoint_for_member,
)
from problemspace.integrations.forms import DeliveryFilterForm, EndpointForm
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member, Role


def _base(member: Member, **extra: Any) -> dict[str, Any]:
    return {
        "member": member,
        "active": "integrations",
        "can_manage": member.can(Role.OWNER),
        "can_operate": member.can(Role.EDITOR),
        "max_attempts": tasks.MAX_ATTEMPTS,
        **extra,
    }


def _index_url(member: Member) -> str:
    return reverse("integrations:index", args=[member.workspace.slug])


@login_required
def index(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    """Endpoints and exports for editors and owners; exports alone for everyone else."""
    member = get_member(request, slug)
    context = _base(
        member,
        endpoints=queries.endpoints(member.workspace_id) if member.can(Role.EDITOR) else [],
        initiatives=trackers.initiatives_available(),
        event_names=events.EVENTS,
    )
    return TemplateResponse(request, "integrations/index.html", context)


@login_required
def create_endpoint(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug, Role.OWNER)
    if request.method == "POST":
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                endpoint = services.create_endpoint(member, **form.cleaned_data)
            except services.IntegrationError as exc:
                form.apply_error(exc)
            else:
                messages.success(
                    request,
                    "Endpoint added. Copy its signing secret below into the receiver, then "
                    "send a test event.",
                )
                return redirect("integrations:endpoint", slug=slug, pk=endpoint.pk)
        context = _base(member, form=form, endpoint=None)
        return TemplateResponse(request, "integrations/endpoint_form.html", context, status=422)
    form = EndpointForm(initial={"kind": "generic", "active": True, "events": list(events.EVENTS)})
    return TemplateResponse(
        request, "integrations/endpoint_form.html", _base(member, form=form, endpoint=None)
    )


@login_required
def endpoint_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> TemplateResponse:
    member = get_member(request, slug)
    endpoint = get_endpoint_for_member(member, pk)
    context = _base(
        member,
        endpoint=endpoint,
        recent=queries.deliveries(member.workspace_id, endpoint_id=endpoint.pk, limit=10),
    )
    return TemplateResponse(request, "integrations/endpoint_detail.html", context)


@login_required
def edit_endpoint(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    endpoint = get_endpoint_for_member(member, pk, manage=True)
    if request.method == "POST":
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                services.update_endpoint(endpoint, form.cleaned_data)
            except services.IntegrationError as exc:
                form.apply_error(exc)
            else:
                messages.success(request, "Saved.")
                return redirect("integrations:endpoint", slug=slug, pk=endpoint.pk)
        context = _base(member, form=form, endpoint=endpoint)
        return TemplateResponse(request, "integrations/endpoint_form.html", context, status=422)
    form = EndpointForm(initial=EndpointForm.initial_for(endpoint))
    return TemplateResponse(
        request, "integrations/endpoint_form.html", _base(member, form=form, endpoint=endpoint)
    )


@login_required
def delete_endpoint(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    endpoint = get_endpoint_for_member(member, pk, manage=True)
    if request.method == "POST":
        name = endpoint.name
        endpoint.delete()
        messages.success(request, f"Endpoint “{name}” deleted, with its delivery log.")
        return redirect(_index_url(member))
    return TemplateResponse(
        request, "integrations/endpoint_delete.html", _base(member, endpoint=endpoint)
    )


@login_required
@require_POST
def rotate_secret(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    endpoint = get_endpoint_for_member(member, pk, manage=True)
    services.rotate_secret(endpoint)
    messages.success(
        request,
        "New signing secret made; deliveries from now on use it. Update the receiver.",
    )
    return redirect("integrations:endpoint", slug=slug, pk=endpoint.pk)


@login_required
@require_POST
def send_test(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    endpoint = get_endpoint_for_member(member, pk)
    with transaction.atomic():
        delivery = services.send_test(endpoint, member)
    messages.success(
        request,
        "Test event queued; the worker sends it within seconds. Its result appears below.",
    )
    return redirect("integrations:delivery", slug=slug, pk=delivery.pk)


@login_required
def delivery_log(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    check_read(member)
    endpoint_list = queries.endpoints(member.workspace_id)
    form = DeliveryFilterForm(request.GET, endpoint_list)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "status": form.cleaned_data["status"],
            "event": form.cleaned_data["event"],
            "endpoint_id": form.cleaned_data["endpoint"],
        }
    before = request.GET.get("before", "")
    page = queries.delivery_page(
        member.workspace_id, before=int(before) if before.isdigit() else None, **filters
    )
    older = ""
    if page.older_than is not None:
        query = request.GET.copy()
        query["before"] = str(page.older_than)
        older = "?" + query.urlencode()
    context = _base(
        member,
        filter_form=form,
        filtered=any(filters.values()),
        deliveries=page.rows,
        older=older,
    )
    return TemplateResponse(request, "integrations/delivery_log.html", context)


@login_required
def delivery_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> TemplateResponse:
    member = get_member(request, slug)
    delivery = get_delivery_for_member(member, pk)
    context = _base(member, delivery=delivery, body=queries.pretty(delivery.payload))
    return TemplateResponse(request, "integrations/delivery_detail.html", context)


@login_required
@require_POST
def redeliver(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    delivery = get_delivery_for_member(member, pk)
    try:
        services.redeliver(delivery)
    except services.IntegrationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Queued to be sent again, with the same delivery id.")
    return redirect("integrations:delivery", slug=slug, pk=delivery.pk)


@login_required
def export(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A CSV download: ?what=problems|initiatives&format=jira|github."""
    member = get_member(request, slug)
    what = request.GET.get("what", "problems")
    fmt = request.GET.get("format", "jira")
    try:
        text = trackers.export(member.workspace, what, fmt)
    except trackers.ExportError as exc:
        messages.error(request, str(exc))
        return redirect(_index_url(member))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = trackers.filename(member.workspace, what, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
