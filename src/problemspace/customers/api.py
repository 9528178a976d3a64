"""Accounts and contacts over the API: list and filter them, read one with its problems.

Lists are numbered pages (`offset` and `limit`, with the total): a workspace has thousands of
customers, not millions, and a client building a picker wants the count.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from problemspace.customers.models import Account, Contact
from problemspace.customers.queries import (
    ACCOUNT_SORTS,
    CONSENT_CHOICES,
    DEFAULT_ACCOUNT_SORT,
    ProblemShare,
    contact_evidence_counts,
    evidence_counts,
    find_account,
    list_accounts,
    list_contacts,
    problems_of,
)
from problemspace.evidence.models import Evidence, Provenance
from problemspace.workspaces.access import (
    get_account_for_member,
    get_contact_for_member,
    get_member,
)

router = Router()

M = TypeVar("M", Account, Contact)

PROBLEMS_LISTED = 100


class AccountOut(Schema):
    id: int
    name: str
    segment: str
    plan: str
    revenue: Decimal | None = Field(description="annual recurring revenue, when known")
    region: str
    lifecycle: str
    created_at: datetime
    evidence_count: int


class ProblemShareOut(Schema):
    id: int
    title: str
    status: str
    candidate: bool
    evidence_count: int = Field(description="items of this customer's evidence in the problem")
    first_hand_count: int
    last_heard: datetime


class AccountDetailOut(AccountOut):
    first_hand_count: int
    contact_count: int
    problems: list[ProblemShareOut] = Field(
        description="the problems this account's evidence backs, the most items first"
    )


class AccountPage(Schema):
    items: list[AccountOut]
    count: int = Field(description="accounts matching the filters, on every page")
    next_offset: int | None = Field(description="the `offset` of the next page; null on the last")


class AccountFilters(Schema):
    segment: str = ""
    q: str = Field("", max_length=200, description="a part of the account's name")
    sort: str = Field(DEFAULT_ACCOUNT_SORT, description="name, -name, revenue or -revenue")
    offset: int = Field(0, ge=0)
    limit: int = Field(50, ge=1, le=200)


class ContactOut(Schema):
    id: int
    name: str
    email: str | None
    role: str
    research_consent: bool
    last_contacted: date | None
    account_id: int | None
    account: str | None = Field(description="the account's name")
    created_at: datetime
    evidence_count: int


class ContactDetailOut(ContactOut):
    first_hand_count: int
    problems: list[ProblemShareOut]


class ContactPage(Schema):
    items: list[ContactOut]
    count: int
    next_offset: int | None


class ContactFilters(Schema):
    q: str = Field("", max_length=200, description="a part of the name or email")
    account: str = Field("", description="an account id")
    segment: str = Field("", description="the segment of the contact's account")
    consent: str = Field("", description="yes: may be asked for research; no: may not")
    offset: int = Field(0, ge=0)
    limit: int = Field(50, ge=1, le=200)


def _problems(shares: list[ProblemShare]) -> list[dict[str, object]]:
    return [
        {
            "id": share.pk,
            "title": share.title,
            "status": share.status,
            "candidate": share.candidate,
            "evidence_count": share.items,
            "first_hand_count": share.first_hand,
            "last_heard": share.last_heard,
        }
        for share in shares
    ]


def _account(account: Account, evidence_count: int) -> dict[str, object]:
    return {
        "id": account.pk,
        "name": account.name,
        "segment": account.segment,
        "plan": account.plan,
        "revenue": account.revenue,
        "region": account.region,
        "lifecycle": account.lifecycle,
        "created_at": account.created_at,
        "evidence_count": evidence_count,
    }


def _contact(contact: Contact, evidence_count: int) -> dict[str, object]:
    return {
        "id": contact.pk,
        "name": contact.name,
        "email": contact.email,
        "role": contact.role,
        "research_consent": contact.research_consent,
        "last_contacted": contact.last_contacted,
        "account_id": contact.account_id,
        "account": contact.account.name if contact.account else None,
        "created_at": contact.created_at,
        "evidence_count": evidence_count,
    }


def _totals(evidence: QuerySet[Evidence]) -> dict[str, int]:
    return evidence.order_by().aggregate(
        total=Count("id"), first_hand=Count("id", filter=Q(provenance=Provenance.FIRST_HAND))
    )


def _page(
    queryset: QuerySet[M],
    offset: int,
    limit: int,
    counter: Callable[[list[M]], dict[int, int]],
    shape: Callable[[M, int], dict[str, object]],
) -> dict[str, object]:
    """One offset page of `queryset`, each row shaped with its evidence count."""
    count = queryset.count()
    rows = list(queryset[offset : offset + limit])
    counts = counter(rows)
    return {
        "items": [shape(row, counts.get(row.pk, 0)) for row in rows],
        "count": count,
        "next_offset": offset + limit if offset + limit < count else None,
    }


@router.get("/w/{slug}/accounts", response=AccountPage, summary="List accounts")
def accounts(request: HttpRequest, slug: str, filters: Query[AccountFilters]) -> dict[str, object]:
    member = get_member(request, slug)
    if filters.sort not in ACCOUNT_SORTS:
        choices = ", ".join(ACCOUNT_SORTS)
        raise HttpError(422, f"Sort by one of {choices}, not {filters.sort!r}.")
    queryset = list_accounts(
        member.workspace, segment=filters.segment, name=filters.q.strip(), sort=filters.sort
    )
    return _page(queryset, filters.offset, filters.limit, evidence_counts, _account)


@router.get(
    "/w/{slug}/accounts/{int:pk}",
    response=AccountDetailOut,
    summary="One account, with its evidence count and its problems",
)
def account(request: HttpRequest, slug: str, pk: int) -> dict[str, object]:
    member = get_member(request, slug)
    found = get_account_for_member(member, pk)
    theirs = Evidence.objects.filter(account=found)
    totals = _totals(theirs)
    return {
        **_account(found, totals["total"]),
        "first_hand_count": totals["first_hand"],
        "contact_count": found.contacts.count(),
        "problems": _problems(problems_of(theirs, PROBLEMS_LISTED)),
    }


@router.get("/w/{slug}/contacts", response=ContactPage, summary="List contacts")
def contacts(request: HttpRequest, slug: str, filters: Query[ContactFilters]) -> dict[str, object]:
    member = get_member(request, slug)
    workspace = member.workspace
    consent = CONSENT_CHOICES.get(filters.consent.strip().lower())
    if filters.consent.strip() and consent is None:
        raise HttpError(422, f"Consent is yes or no, not {filters.consent!r}.")
    in_account = None
    if filters.account.strip():
        in_account = find_account(workspace, filters.account.strip())
        if in_account is None:
            raise HttpError(422, f"There is no account with id {filters.account!r}.")
    queryset = list_contacts(
        workspace,
        q=filters.q.strip(),
        account=in_account,
        segment=filters.segment,
        consent=consent,
    )
    return _page(queryset, filters.offset, filters.limit, contact_evidence_counts, _contact)


@router.get(
    "/w/{slug}/contacts/{int:pk}",
    response=ContactDetailOut,
    summary="One contact, with their evidence count and the problems they raised",
)
def contact(request: HttpRequest, slug: str, pk: int) -> dict[str, object]:
    member = get_member(request, slug)
    found = get_contact_for_member(member, pk)
    theirs = Evidence.objects.filter(contact=found)
    totals = _totals(theirs)
    return {
        **_contact(found, totals["total"]),
        "first_hand_count": totals["first_hand"],
        "problems": _problems(problems_of(theirs, PROBLEMS_LISTED)),
    }
