"""The evidence inbox and the page of one piece of evidence."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.urls import reverse

from problemspace.customers.queries import segments
from problemspace.evidence.models import Channel, Provenance
from problemspace.evidence.queries import (
    FilterError,
    Page,
    filter_evidence,
    page_after,
    parse_cursor,
    parse_filter,
)
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces.access import get_evidence_for_member, get_member


@login_required
def inbox(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    """Every customer signal of the workspace, newest first, narrowed by the sidebar's filters."""
    member = get_member(request, slug)
    evidence_filter, errors = parse_filter(request.GET)
    cursor, cursor_errors = parse_cursor(request.GET)
    errors.update(cursor_errors)
    try:
        queryset = filter_evidence(member.workspace, evidence_filter)
        page = page_after(queryset, cursor, settings.INBOX_PAGE_SIZE)
    except FilterError as exc:
        errors.update(exc.errors)
        page = Page(items=[], next_cursor=None, is_first=True)
    # Keep what the person typed, so a mistake can be corrected rather than retyped.
    jump_params = {k: v for k, v in evidence_filter.as_params().items() if k != "to"}
    context = {
        "member": member,
        "active": "inbox",
        "f": evidence_filter,
        "errors": errors,
        "page": page,
        "channels": Channel.choices,
        "provenances": Provenance.choices,
        "segments": segments(member.workspace),
        "jump_params": jump_params,
        "workspace_url": reverse("workspace", args=[member.workspace.slug]),
    }
    return TemplateResponse(request, "evidence/inbox.html", context)


def _linkable(url: str) -> bool:
    # Only web links become clickable: a javascript: or data: URL from an import must stay text.
    return urlsplit(url).scheme.lower() in {"http", "https"}


@login_required
def evidence_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> TemplateResponse:
    member = get_member(request, slug)
    evidence = get_evidence_for_member(member, pk)
    context = {
        "member": member,
        "active": "inbox",
        "evidence": evidence,
        "tags": list(evidence.tags.all()),
        "source_url_is_link": _linkable(evidence.source_url),
    }
    return TemplateResponse(request, "evidence/detail.html", context)
