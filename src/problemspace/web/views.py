"""The pages that belong to no workspace: the home page that sends people to their workspace."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces.models import Member


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Straight to the dashboard for a member of one workspace; a short list for several."""
    members = list(
        Member.objects.filter(user=request.user)
        .select_related("workspace")
        .order_by("workspace__name")
    )
    if len(members) == 1:
        return redirect("workspace", slug=members[0].workspace.slug)
    return TemplateResponse(request, "web/home.html", {"members": members})
