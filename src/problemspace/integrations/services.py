"""Every change to endpoints and deliveries, checked here once for the pages, API and CLI.

A mistake raises IntegrationError naming the field at fault before anything is written.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from problemspace.integrations import events, outbox
from problemspace.integrations.models import Delivery, Endpoint, Kind, Status, new_secret
from problemspace.workspaces.models import Member

MAX_NAME = 120
MAX_URL = 2000
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class IntegrationError(ValueError):
    """A change that cannot be made; `field` names the input at fault ("" for the whole)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def clean_name(value: Any) -> str:
    name = str(value or "").strip()
    if not name:
        raise IntegrationError("Give the endpoint a name, such as “Jira automation”.", "name")
    if len(name) > MAX_NAME:
        raise IntegrationError(f"A name can be at most {MAX_NAME} characters.", "name")
    return name


def clean_url(value: Any) -> str:
    """An http(s) address with a host; an obviously private one is refused here already
    (the worker checks the resolved address again before each send)."""
    url = str(value or "").strip()
    if not url:
        raise IntegrationError("Enter the address that should receive the events.", "url")
    if len(url) > MAX_URL:
        raise IntegrationError(f"An address can be at most {MAX_URL} characters.", "url")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise IntegrationError(
            "Enter a full http:// or https:// address, such as https://example.com/hooks.",
            "url",
        )
    if not settings.WEBHOOKS_ALLOW_PRIVATE and _private_host(parts.hostname):
        raise IntegrationError(
            f"{parts.hostname} is on a private network. Your administrator can allow such "
            "addresses with PROBLEMSPACE_WEBHOOKS_ALLOW_PRIVATE=true.",
            "url",
        )
    return url


def _private_host(host: str) -> bool:
    if host.lower() in LOCAL_NAMES or host.lower().endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False  # a name: resolved and checked when sending


def clean_events(value: Any) -> list[str]:
    chosen = [str(v) for v in (value or [])]
    unknown = [name for name in chosen if name not in events.EVENTS]
    if unknown:
        raise IntegrationError(
            f"There is no event {unknown[0]!r}; choose from {', '.join(events.EVENTS)}.",
            "events",
        )
    if not chosen:
        raise IntegrationError("Choose at least one event to send.", "events")
    return [name for name in events.EVENTS if name in chosen]


def clean_kind(value: Any) -> str:
    kind = str(value or Kind.GENERIC)
    if kind not in Kind.values:
        raise IntegrationError(f"Choose one of: {', '.join(Kind.values)}.", "kind")
    return kind


def create_endpoint(
    member: Member,
    *,
    name: Any,
    url: Any,
    events: Any,
    kind: Any = Kind.GENERIC,
    active: bool = True,
) -> Endpoint:
    return Endpoint.objects.create(
        workspace_id=member.workspace_id,
        name=clean_name(name),
        url=clean_url(url),
        kind=clean_kind(kind),
        events=clean_events(events),
        active=bool(active),
        created_by=member,
    )


def update_endpoint(endpoint: Endpoint, changes: dict[str, Any]) -> Endpoint:
    """Apply the given fields (name, url, kind, events, active); others stay as they are.
    Turning an endpoint back on clears the notice and the count of failures."""
    cleaners: dict[str, Callable[[Any], Any]] = {
        "name": clean_name,
        "url": clean_url,
        "kind": clean_kind,
        "events": clean_events,
        "active": bool,
    }
    cleaned = {key: cleaners[key](value) for key, value in changes.items() if key in cleaners}
    if cleaned.get("active") and not endpoint.active:
        endpoint.disabled_reason = ""
        endpoint.disabled_at = None
        endpoint.failures_in_a_row = 0
    for key, value in cleaned.items():
        setattr(endpoint, key, value)
    endpoint.updated_at = timezone.now()
    endpoint.save()
    return endpoint


def rotate_secret(endpoint: Endpoint) -> str:
    """A new signing secret; deliveries from now on are signed with it."""
    endpoint.secret = new_secret()
    endpoint.updated_at = timezone.now()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint.secret


def send_test(endpoint: Endpoint, member: Member | None = None) -> Delivery:
    """Queue a test event to this endpoint alone (sent even while it is turned off, so a
    fixed receiver can be checked before turning it back on)."""
    data: dict[str, Any] = {
        "message": "A test event from problemspace: this endpoint is connected.",
        "endpoint": {"id": endpoint.pk, "name": endpoint.name},
    }
    if member is not None:
        data["sent_by"] = member.display_name
    (delivery,) = outbox.create_deliveries([endpoint], events.TEST, data)
    return delivery


def redeliver(delivery: Delivery) -> Delivery:
    """Send a delivery again, with a fresh set of attempts and the same id (a receiver that
    already handled it can tell)."""
    endpoint = delivery.endpoint
    if not endpoint.active and delivery.event != events.TEST:
        raise IntegrationError(
            f"The endpoint “{endpoint.name}” is turned off; turn it on first, then redeliver."
        )
    delivery.refresh_from_db(fields=["status", "attempts"])
    if delivery.status == Status.PENDING and delivery.attempts == 0:
        return delivery  # already waiting for its first attempt
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            error="",
        )
        pk = delivery.pk
        transaction.on_commit(lambda: outbox.queue_now([pk]))
    delivery.refresh_from_db()
    return delivery


def retry_failed(deliveries: Iterable[Delivery]) -> tuple[int, int]:
    """Redeliver each failed delivery whose endpoint is on; (queued, skipped)."""
    queued = skipped = 0
    for delivery in deliveries:
        try:
            redeliver(delivery)
        except IntegrationError:
            skipped += 1
        else:
            queued += 1
    return queued, skipped


def prune(workspace_id: int, days: int) -> int:
    """Delete delivered and failed deliveries older than `days` days; how many went.
    Pending ones stay whatever their age: they are still work to do."""
    if days < 1:
        raise IntegrationError("Keep at least one day of deliveries.", "days")
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = Delivery.objects.filter(
        workspace_id=workspace_id,
        created_at__lt=cutoff,
        status__in=[Status.DELIVERED, Status.FAILED],
    ).delete()
    return deleted
