"""Accounts and contacts: the lists, and each one's page with everything they told us."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from problemspace.customers.matching import similar_accounts
from problemspace.customers.merging import Merged, MergeError, merge_accounts, merge_contacts
from problemspace.customers.models import Account, Contact
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
from problemspace.jobs import services as jobs
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces.access import (
    get_account_for_member,
    get_contact_for_member,
    get_member,
)
from problemspace.workspaces.models import Member, Role

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
        "can_merge": member.can(Role.EDITOR),
        # Only editors can merge; for them, the accounts this one may be (one more query).
        "alike": (
            similar_accounts(member.workspace_id, account.name) if member.can(Role.EDITOR) else []
        ),
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
        "can_merge": member.can(Role.EDITOR),
        "totals": totals,
        "problems": problems[:PROBLEMS_SHOWN],
        "more_problems": len(problems) > PROBLEMS_SHOWN,
        "page": page,
        "errors": errors,
    }
    return TemplateResponse(request, "customers/contact_detail.html", context)


@login_required
@require_POST
def merge_account(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Merge another account (named, or picked from the suggestions) into this one."""
    member = get_member(request, slug, Role.EDITOR)
    keep = get_account_for_member(member, pk)
    other = _other_account(member, request.POST)
    back = redirect("customers:detail", slug=slug, pk=pk)
    if other is None:
        messages.error(request, "Name an account of this workspace to merge into this one.")
        return back
    done = _merge(request, member, lambda: merge_accounts(keep, other))
    if done is not None:
        messages.success(
            request,
            f"“{done.merged}” is merged into “{done.kept}”: its evidence and contacts are here "
            "now, and the problems' reach is being recounted.",
        )
    return back


@login_required
@require_POST
def merge_contact(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Merge another contact (by email or id) into this one."""
    member = get_member(request, slug, Role.EDITOR)
    keep = get_contact_for_member(member, pk)
    value = request.POST.get("other", "").strip()
    contacts = Contact.objects.filter(workspace=member.workspace)
    other = (
        contacts.filter(pk=int(value)).first()
        if value.isdigit()
        else contacts.filter(email__iexact=value).first()
        if value
        else None
    )
    back = redirect("customers:contact", slug=slug, pk=pk)
    if other is None:
        messages.error(request, "Give the email of a contact of this workspace to merge.")
        return back
    done = _merge(request, member, lambda: merge_contacts(keep, other))
    if done is not None:
        messages.success(request, f"“{done.merged}” is merged into “{done.kept}”.")
    return back


def _merge(
    request: AuthenticatedHttpRequest, member: Member, merge: Callable[[], Merged]
) -> Merged | None:
    """Run a merge; the problems' reach (accounts, contacts) is recounted in the background."""
    try:
        done = merge()
    except MergeError as exc:
        messages.error(request, str(exc))
        return None
    jobs.start_refresh(member.workspace_id, member)
    return done


def _other_account(member: Member, data: QueryDict) -> Account | None:
    accounts = Account.objects.filter(workspace=member.workspace)
    value = data.get("other", "").strip()
    if value.isdigit():
        return accounts.filter(pk=int(value)).first()
    name = data.get("other_name", "").strip()
    return accounts.filter(name__iexact=name).first() if name else None
