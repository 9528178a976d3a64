"""Webhook endpoints and their delivery log over the API.

Editors and owners read endpoints and deliveries, send test events and redeliver; owners add,
change and delete endpoints, and only they see signing secrets (null for everyone else). The
same rules as the pages (access.py); broken rules answer 422 with a sentence saying what to do.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from problemspace.integrations import events, queries, services
from problemspace.integrations.access import (
    check_manage,
    check_read,
    get_delivery_for_member,
    get_endpoint_for_member,
)
from problemspace.integrations.models import Delivery, Endpoint
from problemspace.lib.ids import Id
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member, Role

router = Router()

KindName = Literal["generic", "chat"]
StatusName = Literal["pending", "delivered", "failed"]


class EndpointOut(Schema):
    id: int
    name: str
    url: str
    kind: str = Field(description="generic (signed JSON) or chat (Slack-compatible message)")
    events: list[str]
    active: bool
    disabled_reason: str = Field(description="why it was turned off automatically, if it was")
    disabled_at: datetime | None
    failures_in_a_row: int = Field(description="deliveries given up on in a row")
    secret: str | None = Field(description="the signing secret; owners only, null otherwise")
    created_at: datetime
    updated_at: datetime


class EndpointIn(Schema):
    # Optional in the schema so that access is checked first; the service answers 422.
    name: str = Field("", max_length=services.MAX_NAME)
    url: str = Field("", max_length=services.MAX_URL)
    kind: KindName = "generic"
    events: list[str] = Field(
        default_factory=list, max_length=len(events.EVENTS), description=", ".join(events.EVENTS)
    )
    active: bool = True


class EndpointPatch(Schema):
    name: str | None = Field(None, max_length=services.MAX_NAME)
    url: str | None = Field(None, max_length=services.MAX_URL)
    kind: KindName | None = None
    events: list[str] | None = Field(None, max_length=len(events.EVENTS))
    active: bool | None = Field(None, description="turning it on clears an automatic turn-off")


class DeliveryOut(Schema):
    id: int
    uid: UUID = Field(description="sent as Problemspace-Delivery-Id; the same on every retry")
    endpoint_id: int
    event: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    response_code: int | None
    error: str
    created_at: datetime


class DeliveryDetailOut(DeliveryOut):
    payload: dict[str, Any] = Field(description="the exact JSON body sent")
    response_excerpt: str
    duration_ms: int | None


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next_before: int | None = Field(description="pass as `before` for older ones; null at the end")


class DeliveryFilters(Schema):
    status: StatusName | None = None
    event: str | None = Field(None, max_length=60)
    endpoint_id: Id | None = None
    before: Id | None = Field(None, description="ids below this")
    limit: int = Field(50, ge=1, le=200)


def _endpoint(member: Member, e: Endpoint) -> dict[str, Any]:
    return {
        "id": e.pk,
        "name": e.name,
        "url": e.url,
        "kind": e.kind,
        "events": list(e.events),
        "active": e.active,
        "disabled_reason": e.disabled_reason,
        "disabled_at": e.disabled_at,
        "failures_in_a_row": e.failures_in_a_row,
        "secret": e.secret if member.can(Role.OWNER) else None,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
    }


def _delivery(d: Delivery, *, full: bool = False) -> dict[str, Any]:
    out = {
        "id": d.pk,
        "uid": d.uid,
        "endpoint_id": d.endpoint_id,
        "event": d.event,
        "status": d.status,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at,
        "last_attempt_at": d.last_attempt_at,
        "delivered_at": d.delivered_at,
        "response_code": d.response_code,
        "error": d.error,
        "created_at": d.created_at,
    }
    if full:
        out |= {
            "payload": d.payload,
            "response_excerpt": d.response_excerpt,
            "duration_ms": d.duration_ms,
        }
    return out


def _unprocessable(exc: services.IntegrationError) -> HttpError:
    where = f"{exc.field}: " if exc.field else ""
    return HttpError(422, f"{where}{exc}")


@router.get(
    "/w/{slug}/webhooks/endpoints",
    response=list[EndpointOut],
    summary="The workspace's webhook endpoints",
)
def list_endpoints(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    member = get_member(request, slug)
    check_read(member)
    return [_endpoint(member, e) for e in queries.endpoints(member.workspace_id)]


@router.post(
    "/w/{slug}/webhooks/endpoints",
    response={201: EndpointOut},
    summary="Add a webhook endpoint (owners); the answer holds its signing secret",
)
def create_endpoint(request: HttpRequest, slug: str, body: EndpointIn) -> Status:
    member = get_member(request, slug)
    check_manage(member)
    try:
        endpoint = services.create_endpoint(member, **body.model_dump())
    except services.IntegrationError as exc:
        raise _unprocessable(exc) from None
    return Status(201, _endpoint(member, endpoint))


@router.get("/w/{slug}/webhooks/endpoints/{int:pk}", response=EndpointOut, summary="One endpoint")
def get_endpoint(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    member = get_member(request, slug)
    return _endpoint(member, get_endpoint_for_member(member, pk))


@router.patch(
    "/w/{slug}/webhooks/endpoints/{int:pk}",
    response=EndpointOut,
    summary="Change an endpoint (owners): only the fields sent",
)
def patch_endpoint(request: HttpRequest, slug: str, pk: int, body: EndpointPatch) -> dict[str, Any]:
    member = get_member(request, slug)
    endpoint = get_endpoint_for_member(member, pk, manage=True)
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    try:
        services.update_endpoint(endpoint, changes)
    except services.IntegrationError as exc:
        raise _unprocessable(exc) from None
    return _endpoint(member, endpoint)


@router.delete(
    "/w/{slug}/webhooks/endpoints/{int:pk}",
    response={204: None},
    summary="Delete an endpoint and its delivery log (owners)",
)
def delete_endpoint(request: HttpRequest, slug: str, pk: int) -> Status:
    member = get_member(request, slug)
    get_endpoint_for_member(member, pk, manage=True).delete()
    return Status(204, None)


@router.post(
    "/w/{slug}/webhooks/endpoints/{int:pk}/secret",
    response=EndpointOut,
    summary="Replace the endpoint's signing secret (owners)",
)
def rotate_secret(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    member = get_member(request, slug)
    endpoint = get_endpoint_for_member(member, pk, manage=True)
    services.rotate_secret(endpoint)
    return _endpoint(member, endpoint)


@router.post(
    "/w/{slug}/webhooks/endpoints/{int:pk}/test",
    response={202: DeliveryOut},
    summary="Queue a test event (webhook.test) to this endpoint",
)
def send_test(request: HttpRequest, slug: str, pk: int) -> Status:
    member = get_member(request, slug)
    endpoint = get_endpoint_for_member(member, pk)
    with transaction.atomic():
        delivery = services.send_test(endpoint, member)
    return Status(202, _delivery(delivery))


@router.get(
    "/w/{slug}/webhooks/deliveries",
    response=DeliveryPage,
    summary="The delivery log, newest first",
)
def list_deliveries(
    request: HttpRequest, slug: str, filters: Query[DeliveryFilters]
) -> dict[str, Any]:
    member = get_member(request, slug)
    check_read(member)
    page = queries.delivery_page(
        member.workspace_id,
        before=filters.before,
        size=filters.limit,
        status=filters.status or "",
        event=filters.event or "",
        endpoint_id=filters.endpoint_id,
    )
    return {"items": [_delivery(d) for d in page.rows], "next_before": page.older_than}


@router.get(
    "/w/{slug}/webhooks/deliveries/{int:pk}",
    response=DeliveryDetailOut,
    summary="One delivery with the body sent and the receiver's answer",
)
def get_delivery(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    member = get_member(request, slug)
    return _delivery(get_delivery_for_member(member, pk), full=True)


@router.post(
    "/w/{slug}/webhooks/deliveries/{int:pk}/redeliver",
    response={202: DeliveryOut},
    summary="Send a delivery again (same id, fresh attempts)",
)
def redeliver(request: HttpRequest, slug: str, pk: int) -> Status:
    member = get_member(request, slug)
    delivery = get_delivery_for_member(member, pk)
    try:
        delivery = services.redeliver(delivery)
    except services.IntegrationError as exc:
        raise _unprocessable(exc) from None
    return Status(202, _delivery(delivery))
