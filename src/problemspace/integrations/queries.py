"""Reading endpoints and deliveries for the pages, the API and the CLI."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from problemspace.integrations.models import Delivery, Endpoint

PAGE = 50


def endpoints(workspace_id: int) -> list[Endpoint]:
    """The workspace's endpoints, each with its latest delivery's status and time: read by
    the endpoint's index, so a long log does not slow the page."""
    latest = Delivery.objects.filter(endpoint=OuterRef("pk")).order_by("-pk")
    return list(
        Endpoint.objects.filter(workspace_id=workspace_id).annotate(
            last_status=Subquery(latest.values("status")[:1]),
            last_at=Subquery(latest.values("created_at")[:1]),
        )
    )


def filtered(
    workspace_id: int,
    *,
    status: str = "",
    event: str = "",
    endpoint_id: int | None = None,
) -> QuerySet[Delivery]:
    rows = Delivery.objects.filter(workspace_id=workspace_id).select_related("endpoint")
    if status:
        rows = rows.filter(status=status)
    if event:
        rows = rows.filter(event=event)
    if endpoint_id is not None:
        rows = rows.filter(endpoint_id=endpoint_id)
    return rows.order_by("-pk")


def deliveries(
    workspace_id: int, *, endpoint_id: int | None = None, limit: int = PAGE
) -> list[Delivery]:
    return list(filtered(workspace_id, endpoint_id=endpoint_id)[:limit])


@dataclass
class DeliveryPage:
    rows: list[Delivery]
    older_than: int | None  # the cursor for the next page, None on the last


def delivery_page(
    workspace_id: int, *, before: int | None = None, size: int = PAGE, **filters: Any
) -> DeliveryPage:
    """Newest first, by id with a cursor, so a long log pages without counting it."""
    rows = filtered(workspace_id, **filters)
    if before is not None:
        rows = rows.filter(pk__lt=before)
    page = list(rows[: size + 1])
    older = page[size - 1].pk if len(page) > size else None
    return DeliveryPage(rows=page[:size], older_than=older)


def pretty(payload: Any) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=False)
