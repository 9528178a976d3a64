"""Listing accounts and contacts: filters, sort orders, and the evidence and problem counts the
pages show, each counted for the rows of one page only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Max, Q, QuerySet, Value
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce, Lower, NullIf

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Evidence, Provenance
from problemspace.problems.models import Status
from problemspace.workspaces.models import Workspace

# Sort keys as they appear in URLs. Revenue puts accounts without a figure last either way, so
# "highest revenue first" does not open with a screen of blanks. The name and id break ties so
# page boundaries are stable.
ACCOUNT_SORTS: dict[str, list[OrderBy]] = {
    "name": [Lower("name").asc(), F("id").asc()],
    "-name": [Lower("name").desc(), F("id").desc()],
    "revenue": [F("revenue").asc(nulls_last=True), Lower("name").asc(), F("id").asc()],
    "-revenue": [F("revenue").desc(nulls_last=True), Lower("name").asc(), F("id").asc()],
}
DEFAULT_ACCOUNT_SORT = "name"


def segments(workspace: Workspace) -> list[str]:
    """The workspace's segment names, for filter menus (an index-only DISTINCT, so cheap)."""
    return list(
        Account.objects.filter(workspace=workspace)
        .exclude(segment="")
        .values_list("segment", flat=True)
        .distinct()
        .order_by("segment")
    )


def list_accounts(
    workspace: Workspace, *, segment: str = "", name: str = "", sort: str = DEFAULT_ACCOUNT_SORT
) -> QuerySet[Account]:
    queryset = Account.objects.filter(workspace=workspace)
    if segment:
        queryset = queryset.filter(segment=segment)
    if name:
        queryset = queryset.filter(name__icontains=name)
    return queryset.order_by(*ACCOUNT_SORTS.get(sort, ACCOUNT_SORTS[DEFAULT_ACCOUNT_SORT]))


def evidence_counts(
    accounts: Iterable[Account], *, since: datetime | None = None
) -> dict[int, int]:
    """How much evidence each of `accounts` has (since `since`, when given), in one grouped
    query.

    Counting only the accounts on the page, through the (account, occurred_at, id) index, keeps
    the list fast however much evidence the workspace holds; a COUNT joined to every account
    would read the whole evidence table before LIMIT applies.
    """
    ids = [account.pk for account in accounts]
    if not ids:
        return {}
    evidence = Evidence.objects.filter(account_id__in=ids)
    if since is not None:
        evidence = evidence.filter(occurred_at__gte=since)
    rows = evidence.order_by().values_list("account_id").annotate(n=Count("id"))
    return {account_id: n for account_id, n in rows if account_id is not None}


# How the consent filter is spelled in URLs and the API.
CONSENT_CHOICES = {"yes": True, "no": False}


def find_account(workspace: Workspace, value: str) -> Account | None:
    """The workspace's account with id `value`, for filters; None for anything else."""
    if not value.isdigit():
        return None
    return Account.objects.filter(workspace=workspace, pk=int(value)).first()


def list_contacts(
    workspace: Workspace,
    *,
    q: str = "",
    account: Account | None = None,
    segment: str = "",
    consent: bool | None = None,
) -> QuerySet[Contact]:
    """The workspace's contacts by name (or email when they have none), with their account."""
    queryset = Contact.objects.filter(workspace=workspace).select_related("account")
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(email__icontains=q))
    if account is not None:
        queryset = queryset.filter(account=account)
    if segment:
        queryset = queryset.filter(account__segment=segment)
    if consent is not None:
        queryset = queryset.filter(research_consent=consent)
    sort_name = Lower(Coalesce(NullIf("name", Value("")), "email", Value("")))
    return queryset.order_by(sort_name.asc(), F("id").asc())


def contact_evidence_counts(contacts: Iterable[Contact]) -> dict[int, int]:
    """How much evidence each of `contacts` gave, in one grouped query on the contact index."""
    ids = [contact.pk for contact in contacts]
    if not ids:
        return {}
    rows = (
        Evidence.objects.filter(contact_id__in=ids)
        .order_by()
        .values_list("contact_id")
        .annotate(n=Count("id"))
    )
    return {contact_id: n for contact_id, n in rows if contact_id is not None}


@dataclass(frozen=True)
class ProblemShare:
    """One problem that some customer's evidence backs, and how much of it is theirs."""

    pk: int
    title: str
    status: str
    candidate: bool
    items: int
    first_hand: int
    last_heard: datetime

    @property
    def status_label(self) -> str:
        return Status(self.status).label


def problems_of(evidence: QuerySet[Evidence], limit: int | None = None) -> list[ProblemShare]:
    """The problems `evidence` (one account's, one contact's) backs, the most items first.

    Walks from the evidence to its problem link, so it costs what that customer said, never
    the size of the problems. Dismissed problems are left out: the PM decided they are not
    problems.
    """
    rows = (
        evidence.filter(problem_link__isnull=False, problem_link__problem__dismissed=False)
        .order_by()
        .values(
            "problem_link__problem_id",
            "problem_link__problem__title",
            "problem_link__problem__status",
            "problem_link__problem__candidate",
            "problem_link__problem__score",
        )
        .annotate(
            items=Count("id"),
            first_hand=Count("id", filter=Q(provenance=Provenance.FIRST_HAND)),
            last_heard=Max("occurred_at"),
        )
    )
    shares = [
        (
            row["problem_link__problem__score"],
            ProblemShare(
                pk=row["problem_link__problem_id"],
                title=row["problem_link__problem__title"],
                status=row["problem_link__problem__status"],
                candidate=row["problem_link__problem__candidate"],
                items=row["items"],
                first_hand=row["first_hand"],
                last_heard=row["last_heard"],
            ),
        )
        for row in rows
    ]
    shares.sort(key=lambda pair: (-pair[1].items, -pair[0], pair[1].pk))
    return [share for _, share in shares][:limit]
