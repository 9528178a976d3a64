"""Accounts and contacts: the lists, and each one's page with everything they told us."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q
from django.template.response import TemplateResponse
from django.urls import reverse

from problemspace.customers.queries import (
    ACCOUNT_SORTS,
    CONSENT_CHOICES,
    DEFAULT_ACCOUNT_SORT,
    contact_evidence_counts,
    evidence_counts,
    find_account,
    list_accounts,
    list_contacts,
    problems_of,
    segments,
)
from problemspace.evidence.models import Evidence, Provenance
from problemspace.evidence.queries import page_after, parse_cursor, with_related
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces.access import (
    get_account_for_member,
    get_contact_for_member,
    get_member,
)

ACCOUNTS_PER_PAGE = 100
CONTACTS_PER_PAGE = 100
CONTACTS_SHOWN = 50
PROBLEMS_SHOWN = 25


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
        "tab": "accounts",
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
    problems = problems_of(Evidence.objects.filter(account=account), PROBLEMS_SHOWN + 1)
    context = {
        "member": member,
        "active": "accounts",
        "workspace_url": reverse("workspace", args=[member.workspace.slug]),
        "account": account,
        "contacts": contacts[:CONTACTS_SHOWN],
        "more_contacts": len(contacts) > CONTACTS_SHOWN,
        "totals": totals,
        "problems": problems[:PROBLEMS_SHOWN],
        "more_problems": len(problems) > PROBLEMS_SHOWN,
        "page": page,
        "errors": errors,
    }
    return TemplateResponse(request, "customers/account_detail.html", context)


@login_required
def contact_list(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    workspace = member.workspace
    q = request.GET.get("q", "").strip()[:200]
    segment = request.GET.get("segment", "").strip()
    consent_param = request.GET.get("consent", "")
    consent = CONSENT_CHOICES.get(consent_param)
    account_param = request.GET.get("account", "").strip()
    account = find_account(workspace, account_param) if account_param else None
    errors = []
    if account_param and account is None:
        errors.append("That account filter names no account here, so every account is shown.")
    contacts = list_contacts(workspace, q=q, account=account, segment=segment, consent=consent)
    # Numbered pages, like accounts: a workspace has thousands of contacts, not millions.
    page = Paginator(contacts, CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    counts = contact_evidence_counts(page.object_list)
    context = {
        "member": member,
        "active": "accounts",
        "tab": "contacts",
        "page": page,
        "rows": [(contact, counts.get(contact.pk, 0)) for contact in page.object_list],
        "segments": segments(workspace),
        "q": q,
        "segment": segment,
        "consent": consent_param if consent is not None else "",
        "account": account,
        "filtered": bool(q or segment or consent is not None or account),
        "errors": errors,
    }
    return TemplateResponse(request, "customers/contact_list.html", context)


@login_required
def contact_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> TemplateResponse:
    member = get_member(request, slug)
    contact = get_contact_for_member(member, pk)
    cursor, errors = parse_cursor(request.GET)
    theirs = Evidence.objects.filter(workspace=member.workspace, contact=contact)
    page = page_after(with_related(theirs), cursor, settings.INBOX_PAGE_SIZE)
    totals = theirs.order_by().aggregate(
        total=Count("id"),
        first_hand=Count("id", filter=Q(provenance=Provenance.FIRST_HAND)),
        first=Min("occurred_at"),
        last=Max("occurred_at"),
    )
    problems = problems_of(theirs, PROBLEMS_SHOWN + 1)
    context = {
        "member": member,
        "active": "accounts",
        "workspace_url": reverse("workspace", args=[member.workspace.slug]),
        "contact": contact,
        "totals": totals,
        "problems": problems[:PROBLEMS_SHOWN],
        "more_problems": len(problems) > PROBLEMS_SHOWN,
        "page": page,
        "errors": errors,
    }
    return TemplateResponse(request, "customers/contact_detail.html", context)
