"""The pages that belong to no workspace: the home page that sends people to their workspace."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Straight to the inbox for a member of one workspace; a short list for several."""
    members = list(
        Member.objects.filter(user=request.user)
        .select_related("workspace")
        .order_by("workspace__name")
    )
    if len(members) == 1:
        return redirect("evidence:inbox", slug=members[0].workspace.slug)
    return TemplateResponse(request, "web/home.html", {"members": members})


@login_required
def workspace_home(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseRedirect:
    # Check membership first, so a guessed slug gets the same 404 as any page inside it.
    member = get_member(request, slug)
    return redirect("evidence:inbox", slug=member.workspace.slug)
