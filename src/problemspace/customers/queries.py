"""Listing accounts: filters, sort orders and the per-account evidence counts the list shows."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.functions import Lower

from problemspace.customers.models import Account
from problemspace.evidence.models import Evidence
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


def evidence_counts(accounts: Iterable[Account]) -> dict[int, int]:
    """How much evidence each of `accounts` has, in one grouped query.

    Counting only the accounts on the page, through the (account, occurred_at, id) index, keeps
    the list fast however much evidence the workspace holds; a COUNT joined to every account
    would read the whole evidence table before LIMIT applies.
    """
    ids = [account.pk for account in accounts]
    if not ids:
        return {}
    rows = (
        Evidence.objects.filter(account_id__in=ids)
        .order_by()
        .values_list("account_id")
        .annotate(n=Count("id"))
    )
    return {account_id: n for account_id, n in rows if account_id is not None}
