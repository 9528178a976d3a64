"""Finding evidence: the inbox's filters and its keyset pagination, shared by the web and the CLI.

Pages are cut by a keyset cursor over (occurred_at, id), newest first, never by OFFSET: the
database seeks straight to the cursor through the composite indexes on Evidence, so page 2,000
of a million rows costs what page 1 costs. For the same reason nothing here counts the whole
result; a page only knows whether there is another one after it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from problemspace.customers.models import Account
from problemspace.customers.queries import segments as segment_names
from problemspace.evidence import search
from problemspace.evidence.kinds import parse_kind
from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.workspaces.models import Workspace

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
T = TypeVar("T")

# How people type provenance on a command line or in a URL, mapped to the stored value.
PROVENANCE_ALIASES = {
    "first_hand": Provenance.FIRST_HAND,
    "first-hand": Provenance.FIRST_HAND,
    "firsthand": Provenance.FIRST_HAND,
    "relayed": Provenance.RELAYED,
}


class FilterError(Exception):
    """A filter names something that does not exist; `errors` maps each field to a sentence."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Cursor:
    """The last row of a page; the next page starts strictly after it."""

    occurred_at: datetime
    pk: int

    @classmethod
    def after(cls, evidence: Evidence) -> Cursor:
        return cls(evidence.occurred_at, evidence.pk)

    def encode(self) -> str:
        # Whole microseconds since the epoch: exact, short and URL-safe, unlike an ISO string.
        micros = (self.occurred_at - EPOCH) // timedelta(microseconds=1)
        return f"{micros}.{self.pk}"

    @classmethod
    def decode(cls, value: str) -> Cursor:
        """Parse what `encode` wrote; ValueError for anything else."""
        micros, _, pk = value.strip().partition(".")
        try:
            when = EPOCH + timedelta(microseconds=int(micros))
            return cls(when, int(pk))
        except (ValueError, OverflowError):
            raise ValueError(f"{value!r} is not a page cursor.") from None


@dataclass(frozen=True)
class EvidenceFilter:
    """What the inbox is narrowed to. Empty strings and None mean "any"."""

    channel: str = ""
    segment: str = ""
    account: str = ""
    provenance: str = ""
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return self == EvidenceFilter()

    def as_params(self) -> dict[str, str]:
        """The filter as query parameters, the inverse of `parse_filter`."""
        params: dict[str, str] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value:
                params[PARAM_NAMES.get(field.name, field.name)] = str(value)
        return params


# The URL and form names of the fields whose Python names differ (`from` is a keyword).
PARAM_NAMES = {"date_from": "from", "date_to": "to"}


def _parse_channel(value: str) -> str:
    normalized = value.strip().lower().replace("-", "_").replace(" ", "_")
    by_label = {label.lower().replace(" ", "_"): code for code, label in Channel.choices}
    channel = normalized if normalized in Channel.values else by_label.get(normalized)
    if channel is None:
        raise ValueError(f"There is no channel {value!r}; use one of {', '.join(Channel.values)}.")
    return channel


def _parse_provenance(value: str) -> str:
    provenance = PROVENANCE_ALIASES.get(value.strip().lower())
    if provenance is None:
        raise ValueError(f"Provenance is first-hand or relayed, not {value!r}.")
    return provenance.value


def _parse_date(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"The {label} date {value!r} is not a date like 2025-03-31.") from None


def _parse_text(value: str) -> str:
    search.parse_query(value)  # SearchError (a ValueError) says what is wrong with it
    return value


def parse_filter(data: Mapping[str, str]) -> tuple[EvidenceFilter, dict[str, str]]:
    """Read a filter from query parameters (or a dict built from CLI options).

    Returns the filter with every valid field, and one sentence per invalid field keyed by its
    parameter name; an invalid field is left out of the filter so a page can still show
    something while it points at the mistake.
    """
    errors: dict[str, str] = {}

    def parsed(param: str, parse: Callable[[str], T]) -> T | None:
        raw = (data.get(param) or "").strip()
        if not raw:
            return None
        try:
            return parse(raw)
        except ValueError as exc:
            errors[param] = str(exc)
            return None

    date_from = parsed("from", lambda v: _parse_date(v, "from"))
    date_to = parsed("to", lambda v: _parse_date(v, "to"))
    if date_from and date_to and date_from > date_to:
        errors["to"] = "The to date is before the from date."
        date_to = None
    f = EvidenceFilter(
        channel=parsed("channel", _parse_channel) or "",
        segment=parsed("segment", str) or "",
        account=parsed("account", str) or "",
        provenance=parsed("provenance", _parse_provenance) or "",
        kind=parsed("kind", parse_kind) or "",
        date_from=date_from,
        date_to=date_to,
        text=parsed("text", _parse_text) or "",
    )
    return f, errors


def parse_cursor(data: Mapping[str, str]) -> tuple[Cursor | None, dict[str, str]]:
    """The `after` parameter as a cursor; a broken one is reported and the newest page shown."""
    value = (data.get("after") or "").strip()
    if not value:
        return None, {}
    try:
        return Cursor.decode(value), {}
    except ValueError:
        return None, {"after": "That page link is broken, so the newest evidence is shown."}


def resolve_account(workspace: Workspace, value: str) -> Account:
    """The account a filter names: by id, by name whatever its case, or by a unique part of it.

    FilterError when nothing matches or a partial name matches several, with the candidates.
    """
    accounts = Account.objects.filter(workspace=workspace)
    if value.isdigit() and (account := accounts.filter(pk=int(value)).first()):
        return account
    if account := accounts.filter(name__iexact=value).first():
        return account
    candidates = list(accounts.filter(name__icontains=value).order_by("name")[:6])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise FilterError({"account": f"No account is called {value!r}."})
    names = ", ".join(a.name for a in candidates[:5])
    more = " and more" if len(candidates) > 5 else ""
    raise FilterError({"account": f"{value!r} matches several accounts: {names}{more}."})


def _start_of(day: date) -> datetime:
    # Dates are days in the workspace's time zone, not UTC, so "to 31 March" ends at local midnight.
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def with_related(queryset: QuerySet[Evidence]) -> QuerySet[Evidence]:
    """Load what a quote card shows in a fixed number of queries, newest first."""
    return (
        queryset.select_related("account", "contact", "captured_by__user")
        .prefetch_related("tags")
        .order_by("-occurred_at", "-id")
    )


# A segment with at least this share of the accounts is walked newest-first (see _in_segment).
LARGE_SEGMENT_SHARE = 0.05


def _in_segment(
    queryset: QuerySet[Evidence], workspace: Workspace, segment: str
) -> QuerySet[Evidence]:
    """Evidence from accounts of `segment`: `account_id IN (SELECT id ... WHERE segment = ...)`.

    Planners see the equality on account_id and like to fetch every row of every account in the
    segment through the account index, then sort them all for the page: 0.4 s for a fifth of a
    million rows on SQLite. When the segment is a large share of the accounts, its evidence is
    dense in the newest-first index, so walking that and testing each row finds a page in a few
    milliseconds; `account_id + 0` hides the column from the account index to get that plan.
    A small segment keeps the plain form, whose sort is then small.
    """
    counts = Account.objects.filter(workspace=workspace).aggregate(
        everyone=Count("id"), in_segment=Count("id", filter=Q(segment=segment))
    )
    if not counts["in_segment"]:
        known = ", ".join(segment_names(workspace)) or "none yet"
        raise FilterError(
            {"segment": f"No account is in the segment {segment!r}. Segments: {known}."}
        )
    accounts = Account.objects.filter(workspace=workspace, segment=segment).values("id")
    if counts["in_segment"] >= LARGE_SEGMENT_SHARE * counts["everyone"]:
        return queryset.alias(segment_account=F("account_id") + 0).filter(
            segment_account__in=accounts
        )
    return queryset.filter(account_id__in=accounts)


def filter_evidence(workspace: Workspace, f: EvidenceFilter) -> QuerySet[Evidence]:
    """The workspace's evidence narrowed by `f`, newest first. FilterError for unknown names."""
    queryset = Evidence.objects.filter(workspace=workspace)
    if f.account:
        queryset = queryset.filter(account=resolve_account(workspace, f.account))
    if f.segment:
        queryset = _in_segment(queryset, workspace, f.segment)
    if f.channel:
        queryset = queryset.filter(channel=f.channel)
    if f.provenance:
        queryset = queryset.filter(provenance=f.provenance)
    if f.kind:
        queryset = queryset.filter(kind=f.kind)
    if f.date_from:
        queryset = queryset.filter(occurred_at__gte=_start_of(f.date_from))
    if f.date_to:
        queryset = queryset.filter(occurred_at__lt=_start_of(f.date_to + timedelta(days=1)))
    if f.text:
        try:
            queryset = search.matching(queryset, f.text)
        except search.SearchError as exc:
            raise FilterError({"text": str(exc)}) from None
    return with_related(queryset)


@dataclass(frozen=True)
class Page:
    """One page of evidence; `next_cursor` is where the older page starts, None on the last."""

    items: list[Evidence]
    next_cursor: str | None
    is_first: bool


def page_after(queryset: QuerySet[Evidence], cursor: Cursor | None, size: int) -> Page:
    """Up to `size` rows of `queryset` strictly older than `cursor` (all of it when None).

    The redundant `occurred_at <= t` lets both SQLite and PostgreSQL use it as the index range
    start; the OR alone would make them scan from the newest row down to the cursor.
    """
    if cursor is not None:
        queryset = queryset.filter(occurred_at__lte=cursor.occurred_at).filter(
            Q(occurred_at__lt=cursor.occurred_at) | Q(pk__lt=cursor.pk)
        )
    rows = list(queryset.order_by("-occurred_at", "-id")[: size + 1])
    more = len(rows) > size
    items = rows[:size]
    next_cursor = Cursor.after(items[-1]).encode() if more else None
    return Page(items=items, next_cursor=next_cursor, is_first=cursor is None)
