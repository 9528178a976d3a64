"""Outbound events: what other apps call when something worth telling the outside happens.

Call `emit(workspace_id, EVENT, payload)` from a service function, inside or outside a
transaction. It is cheap when nobody listens (one query for the workspace's active endpoints)
and never sends anything itself: it writes one pending delivery per subscribed endpoint in the
caller's transaction, and hands them to the background worker once that transaction commits.
So a rolled-back change is never announced, and a slow or broken receiver never holds up the
person whose action caused the event.

Payloads are plain JSON-able dicts (datetimes and decimals are turned into strings). Keep them
small and self-describing, with an absolute or workspace-relative `url` where one exists; a
receiver gets them under "data" in the envelope documented in docs/integrations.md.

Shapes the callers use (extra keys are fine; receivers should ignore keys they do not know):

- evidence.added: {"evidence": {"id", "text", "channel", "source", "occurred_at", "account",
  "contact", "url"}} — one per item captured by hand, pasted, or pushed through the API.
- evidence.imported: {"filename", "source", "rows", "created", "unchanged",
  "accounts_created", "contacts_created", "url"} — one per file import, however many rows it
  had (a million-row import must not become a million events); also sent instead of
  evidence.added when one capture or API push adds more than MAX_ITEM_EVENTS items.
- problem.status_changed: {"problem": {"id", "title", "url"}, "from": old, "to": new}.
- initiative.moved: {"initiative": {"id", "title", "url"}, "from": {"horizon", "status"},
  "to": {"horizon", "status"}, "reason": str}.
- brief.published: {"title", "url", "audience", "period", "sections": [{"heading", "text",
  "links": [{"text", "url"}]}]} — chat endpoints render it as a message
  (see integrations.chat.brief_message).

`link("problems:detail", slug, pk)` makes the absolute links payloads carry.

This module imports nothing of Django's models at import time, so any app may import it from
its own models or services without import cycles.
"""

from __future__ import annotations

from typing import Any

EVIDENCE_ADDED = "evidence.added"
EVIDENCE_IMPORTED = "evidence.imported"
PROBLEM_STATUS_CHANGED = "problem.status_changed"
INITIATIVE_MOVED = "initiative.moved"
BRIEF_PUBLISHED = "brief.published"
# Sent only by the "send test event" button, to the one endpoint being tested.
TEST = "webhook.test"

# Event name -> what it means, as shown where an endpoint's subscriptions are chosen.
EVENTS: dict[str, str] = {
    EVIDENCE_ADDED: "A piece of evidence was captured by hand, pasted, or pushed by the API",
    EVIDENCE_IMPORTED: "A file import finished (one event per import, with counts)",
    PROBLEM_STATUS_CHANGED: "A problem moved between discovered, validated, being solved, solved",
    INITIATIVE_MOVED: "A roadmap initiative changed horizon or status",
    BRIEF_PUBLISHED: "A brief was published (chat endpoints post it as a message)",
}

ALL_EVENTS = [*EVENTS, TEST]

# One capture or API push adding more items than this is announced as one evidence.imported
# event with counts, not an event per item.
MAX_ITEM_EVENTS = 100


def link(viewname: str, *args: object) -> str:
    """An absolute link to a page (SITE_URL + the reversed path), for payloads."""
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse(viewname, args=args)


class UnknownEvent(ValueError):
    """A caller emitted an event name that is not in EVENTS: a programming error."""


def emit(workspace_id: int, event: str, payload: dict[str, Any]) -> None:
    """Announce `event` in workspace `workspace_id` to every active endpoint subscribed to it.

    Writes pending deliveries in the current transaction (none when nobody subscribes) and
    queues them for the worker on commit. Raises UnknownEvent for a name outside EVENTS and
    TypeError for a payload that is not JSON-able, so mistakes show up in the caller's tests.
    """
    if event not in EVENTS:
        raise UnknownEvent(f"Unknown event {event!r}; known events: {', '.join(EVENTS)}.")
    from problemspace.integrations.outbox import record

    record(workspace_id, event, payload)


def emit_many(workspace_id: int, event: str, payloads: list[dict[str, Any]]) -> None:
    """`emit` for several events of one kind at once: one query for the endpoints."""
    if event not in EVENTS:
        raise UnknownEvent(f"Unknown event {event!r}; known events: {', '.join(EVENTS)}.")
    if not payloads:
        return
    from problemspace.integrations.outbox import record_many

    record_many(workspace_id, event, payloads)
