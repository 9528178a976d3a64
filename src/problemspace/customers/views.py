"""The accounts list and one account's page: its facts, its people and everything it told us."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.template.response import TemplateResponse

from problemspace.customers.queries import (
    ACCOUNT_SORTS,
    DEFAULT_ACCOUNT_SORT,
    evidence_counts,
    list_accounts,
    segments,
)
from problemspace.evidence.models import Evidence, Provenance
from problemspace.evidence.queries import page_after, parse_cursor, with_related
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces.access import get_account_for_member, get_member

ACCOUNTS_PER_PAGE = 100
CONTACTS_SHOWN = 50


@login_required
def account_list(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    segment = request.GET.get("segment", "").strip()
    name = request.GET.get("q", "").strip()[:200]
    sort = request.GET.get("sort", DEFAULT_ACCOUNT_SORT)
    if sort not in ACCOUNT_SORTS:
        sort = DEFAULT_ACCOUNT_SORT
    accounts = list_accounts(member.workspace, segment=segment, name=name, sort=sort)
    # Page numbers are fine here: a workspace has thousands of accounts, not millions.
    page = Paginator(accounts, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    counts = evidence_counts(page.object_list)
    context = {
        "member": member,
        "active": "accounts",
        "page": page,
        "rows": [(account, counts.get(account.pk, 0)) for account in page.object_list],
        "segments": segments(member.workspace),
        "segment": segment,
        "q": name,
        "sort": sort,
    }
    return TemplateResponse(request, "customers/account_list.html", context)


@login_required
def account_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> TemplateResponse:
    member = get_member(request, slug)
    account = get_account_for_member(member, pk)
    cursor, errors = parse_cursor(request.GET)
    said = with_related(Evidence.objects.filter(workspace=member.workspace, account=account))
    page = page_after(said, cursor, settings.INBOX_PAGE_SIZE)
    contacts = list(account.contacts.order_by("name", "email")[: CONTACTS_SHOWN + 1])
    totals = Evidence.objects.filter(account=account).aggregate(
        total=Count("id"), first_hand=Count("id", filter=Q(provenance=Provenance.FIRST_HAND))
    )
    context = {
        "member": member,
        "active": "accounts",
        "account": account,
        "contacts": contacts[:CONTACTS_SHOWN],
        "more_contacts": len(contacts) > CONTACTS_SHOWN,
        "totals": totals,
        "page": page,
        "errors": errors,
    }
    return TemplateResponse(request, "customers/account_detail.html", context)
