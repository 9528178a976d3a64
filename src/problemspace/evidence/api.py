"""Evidence over the API: list and filter it (keyset pages), read one, push new items in,
correct what an item is (its kind).

Pushing is the direct channel for other tools (a support desk's webhook, a script, a form):
the same validation, account and contact matching, and idempotency as an import.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from problemspace.evidence import kinds, queries
from problemspace.evidence.capture import CaptureError, capture
from problemspace.evidence.models import MAX_TEXT_LENGTH, Evidence
from problemspace.workspaces.access import get_evidence_for_member, get_member
from problemspace.workspaces.models import Role

router = Router()

MAX_PUSHED = 100
KindName = Literal["problem", "request", "question", "praise", "other"]
ScaleName = Literal["stars", "nps", "csat"]


class EvidenceOut(Schema):
    id: int
    text: str
    occurred_at: datetime
    channel: str
    provenance: str
    relayed_by: str
    account_id: int | None
    account: str | None
    contact_id: int | None
    contact: str | None
    source: str
    external_id: str | None
    source_url: str
    tags: list[str]
    kind: KindName | None = Field(
        description="what the item is: decided by synthesis, or by a person when "
        "`kind_corrected`; null until synthesis first runs. `other` items are set aside."
    )
    kind_corrected: bool
    kind_confidence: float | None = Field(
        description="how sure synthesis was of `kind` (0 to 1); null when a person set it"
    )
    score: float | None = Field(description="a star rating, NPS or CSAT given with the item")
    score_scale: ScaleName | None = Field(
        description="stars (1 to 5), nps (0 to 10) or csat (1 to 5); null without a score"
    )

    @staticmethod
    def resolve_kind(obj: Evidence) -> str | None:
        return obj.kind or None

    @staticmethod
    def resolve_score_scale(obj: Evidence) -> str | None:
        return obj.score_scale or None

    @staticmethod
    def resolve_account(obj: Evidence) -> str | None:
        return obj.account.name if obj.account else None

    @staticmethod
    def resolve_contact(obj: Evidence) -> str | None:
        if obj.contact is None:
            return None
        return obj.contact.name or obj.contact.email

    @staticmethod
    def resolve_tags(obj: Evidence) -> list[str]:
        return [tag.name for tag in obj.tags.all()]


class EvidencePage(Schema):
    items: list[EvidenceOut]
    next: str | None = Field(
        description="Pass as `after` to get the next (older) page; null on the last page."
    )


class EvidenceFilters(Schema):
    channel: str = ""
    segment: str = ""
    account: str = Field("", description="an account id, its name, or a unique part of it")
    provenance: str = Field("", description="first-hand or relayed")
    kind: KindName | None = Field(None, description="only items of this kind")
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    text: str = Field("", description="words to look for, as in the inbox's search box")
    after: str = Field("", description="the `next` of the previous page")
    limit: int = Field(50, ge=1, le=200)


class EvidenceIn(Schema):
    text: str = Field(min_length=1, max_length=MAX_TEXT_LENGTH)
    occurred_at: str = Field("", description="when it was said; now when empty")
    channel: str = "other"
    provenance: str = Field("first_hand", description="first_hand or relayed")
    relayed_by: str = ""
    account: str = Field("", description="the customer organisation, matched by name")
    contact_email: str = ""
    contact_name: str = ""
    source: str = Field("api", max_length=64)
    external_id: str = Field("", description="its id in the source: pushing it again is a no-op")
    source_url: str = ""
    tags: list[str] = []
    score: float | None = Field(
        None, description="a star rating, NPS or CSAT given with the item, on `score_scale`"
    )
    score_scale: ScaleName | None = Field(
        None, description="stars (1 to 5), nps (0 to 10) or csat (1 to 5); needed with a score"
    )


class EvidencePatch(Schema):
    kind: KindName | None = Field(
        None,
        description="what the item is, as a person's decision: synthesis keeps it from now on",
    )


class PushResult(Schema):
    created: int
    unchanged: int
    items: list[EvidenceOut]


class ItemError(Schema):
    item: int
    field: str
    reason: str


class PushError(Schema):
    detail: str
    errors: list[ItemError]


@router.get("/w/{slug}/evidence", response=EvidencePage, summary="List evidence, newest first")
def list_evidence(
    request: HttpRequest, slug: str, filters: Query[EvidenceFilters]
) -> dict[str, object]:
    member = get_member(request, slug)
    params = {
        "channel": filters.channel,
        "segment": filters.segment,
        "account": filters.account,
        "provenance": filters.provenance,
        "kind": filters.kind or "",
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
        "text": filters.text,
        "after": filters.after,
    }
    parsed, errors = queries.parse_filter(params)
    cursor, cursor_errors = queries.parse_cursor(params)
    errors.update(cursor_errors)
    if errors:
        raise HttpError(422, " ".join(errors.values()))
    try:
        queryset = queries.filter_evidence(member.workspace, parsed)
    except queries.FilterError as exc:
        raise HttpError(422, str(exc)) from None
    page = queries.page_after(queryset.prefetch_related("tags"), cursor, filters.limit)
    return {"items": page.items, "next": page.next_cursor}


@router.get("/w/{slug}/evidence/{int:pk}", response=EvidenceOut, summary="One evidence item")
def get_evidence(request: HttpRequest, slug: str, pk: int) -> Evidence:
    member = get_member(request, slug)
    return get_evidence_for_member(member, pk)


@router.patch(
    "/w/{slug}/evidence/{int:pk}",
    response=EvidenceOut,
    summary="Correct what an evidence item is (its kind)",
)
def patch_evidence(request: HttpRequest, slug: str, pk: int, body: EvidencePatch) -> Evidence:
    """Only the fields sent change. A kind set here is a person's decision: `kind_corrected`
    becomes true, `kind_confidence` null, and synthesis never changes it again (it moves the
    item into or out of the ranked problems on its next run)."""
    member = get_member(request, slug)
    evidence = get_evidence_for_member(member, pk, write=True)
    if body.kind is not None:
        kinds.correct_kind(member.workspace, [evidence.pk], body.kind)
        evidence.refresh_from_db(fields=["kind", "kind_corrected", "kind_confidence"])
    return evidence


@router.post(
    "/w/{slug}/evidence",
    response={201: PushResult, 200: PushResult, 422: PushError},
    summary="Push evidence in (one item or up to 100)",
)
def push_evidence(request: HttpRequest, slug: str, items: list[EvidenceIn]) -> Status:
    """Store the items, all or none. Items already stored (same source and external id, or
    the same text, date and customer) are returned as they are and counted as unchanged."""
    member = get_member(request, slug, Role.CONTRIBUTOR)
    if not items:
        raise HttpError(422, "Send at least one item.")
    if len(items) > MAX_PUSHED:
        raise HttpError(422, f"Send at most {MAX_PUSHED} items at a time, not {len(items)}.")
    records = [item.dict() for item in items]
    for record in records:
        record["tags"] = ";".join(record["tags"])
        record["score_scale"] = record["score_scale"] or ""
    try:
        result = capture(member, records, source="api")
    except CaptureError as exc:
        return Status(
            422,
            {
                "detail": "Nothing was stored: some items are invalid.",
                "errors": [
                    {"item": e.line, "field": e.field, "reason": e.reason} for e in exc.errors
                ],
            },
        )
    status = 201 if result.created else 200
    body = {"created": result.created, "unchanged": result.unchanged, "items": result.evidence}
    return Status(status, body)
