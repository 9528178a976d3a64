"""Writing deliveries for an event and handing them to the worker after commit.

The transactional-outbox pattern: the delivery rows are written in the caller's transaction, so
they exist exactly when the change they announce does, and the worker is told about them only
once that transaction has committed (a rolled-back change is never announced, and the worker
never looks for a row it cannot see yet).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from problemspace.integrations import chat
from problemspace.integrations.models import Delivery, Endpoint, Kind
from problemspace.workspaces.models import Workspace

logger = logging.getLogger(__name__)


def jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as JSON would give it back (datetimes, dates, decimals and UUIDs as text),
    with every site-relative "url" made absolute so a receiver can follow it."""
    loaded = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    result: dict[str, Any] = _absolute_urls(loaded)
    return result


def _absolute_urls(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: absolute(item)
            if key == "url" and isinstance(item, str) and item.startswith("/")
            else _absolute_urls(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_absolute_urls(item) for item in value]
    return value


def absolute(path: str) -> str:
    """A link a receiver outside the server can follow (SITE_URL + path)."""
    if not path.startswith("/") or path.startswith("//"):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def envelope(workspace: Workspace, event: str, data: dict[str, Any]) -> dict[str, Any]:
    """The body of a generic delivery, less its id (added per delivery)."""
    return {
        "event": event,
        "created_at": timezone.now().isoformat(),
        "workspace": {"id": workspace.pk, "slug": workspace.slug, "name": workspace.name},
        "data": data,
    }


def body_for(endpoint: Endpoint, delivery_uid: str, message: dict[str, Any]) -> dict[str, Any]:
    """What is POSTed to `endpoint`: the signed envelope, or a chat message for chat ones."""
    if endpoint.kind == Kind.CHAT:
        return chat.event_message(message)
    return {"id": delivery_uid, **message}


def record(workspace_id: int, event: str, payload: dict[str, Any]) -> list[Delivery]:
    """Write one pending delivery per active endpoint subscribed to `event`; queue on commit."""
    return record_many(workspace_id, event, [payload])


def record_many(workspace_id: int, event: str, payloads: list[dict[str, Any]]) -> list[Delivery]:
    data = [jsonable(payload) for payload in payloads]
    endpoints = subscribed(workspace_id, event)
    if not endpoints:
        return []
    with transaction.atomic():
        return [d for item in data for d in create_deliveries(endpoints, event, item)]


def subscribed(workspace_id: int, event: str) -> list[Endpoint]:
    """The workspace's active endpoints that want `event` (one query)."""
    return [
        e
        for e in Endpoint.objects.filter(workspace_id=workspace_id, active=True).select_related(
            "workspace"
        )
        if e.subscribes_to(event)
    ]


def create_deliveries(
    endpoints: Iterable[Endpoint], event: str, data: dict[str, Any]
) -> list[Delivery]:
    now = timezone.now()
    deliveries = []
    with transaction.atomic():
        for endpoint in endpoints:
            delivery = Delivery(
                workspace_id=endpoint.workspace_id,
                endpoint=endpoint,
                event=event,
                next_attempt_at=now,
                created_at=now,
                payload={},
            )
            message = envelope(endpoint.workspace, event, data)
            delivery.payload = body_for(endpoint, str(delivery.uid), message)
            delivery.save()
            deliveries.append(delivery)
        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: queue_now(ids))
    return deliveries


def queue_now(delivery_ids: Iterable[int]) -> None:
    """Hand deliveries to the worker. A failure to queue loses nothing: the rows stay pending,
    and `problemspace webhooks --send-due` (or the next retry sweep) sends them."""
    from problemspace.integrations.tasks import deliver_task

    for pk in delivery_ids:
        try:
            deliver_task.enqueue(pk)
        except Exception:
            logger.exception("Could not queue webhook delivery %s", pk)
