"""Builders for the integrations tests."""

from __future__ import annotations

from typing import Any

from problemspace.integrations import events
from problemspace.integrations.models import Delivery, Endpoint
from problemspace.workspaces.models import Workspace


def make_endpoint(workspace: Workspace, url: str, **fields: Any) -> Endpoint:
    fields.setdefault("name", "Receiver")
    fields.setdefault("events", list(events.EVENTS))
    return Endpoint.objects.create(workspace=workspace, url=url, **fields)


def only_delivery(**filters: Any) -> Delivery:
    return Delivery.objects.get(**filters)
