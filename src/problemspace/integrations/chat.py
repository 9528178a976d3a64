"""Chat messages in the Slack incoming-webhook format (blocks, plus a full `text` fallback).

Slack renders the blocks; Mattermost, Rocket.Chat, Discord's /slack endpoint and others that
accept Slack's format read `text` (and Slack uses it for notifications), so `text` carries the
whole message too. Everything a person wrote is escaped for Slack's mrkdwn (&, <, >), and link
labels lose the characters that would end the link early.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from problemspace.integrations import events

# Slack's limits: a header's text, a section's text, and blocks per message.
MAX_HEADER = 150
MAX_SECTION = 3000
MAX_BLOCKS = 50
ELLIPSIS = "…"


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Section:
    heading: str
    text: str = ""
    links: Sequence[Link] = ()


@dataclass(frozen=True)
class Brief:
    """What a brief gives the formatter: a title and link, a subtitle (audience, period), and
    sections of text each with links back to the evidence."""

    title: str
    url: str = ""
    subtitle: str = ""
    sections: Sequence[Section] = field(default_factory=tuple)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Brief:
        """From the brief.published payload (see events.py)."""
        subtitle = data.get("subtitle") or " · ".join(
            str(data[key]) for key in ("audience", "period") if data.get(key)
        )
        return cls(
            title=str(data.get("title") or "Brief"),
            url=str(data.get("url") or ""),
            subtitle=str(subtitle),
            sections=tuple(
                Section(
                    heading=str(s.get("heading") or ""),
                    text=str(s.get("text") or ""),
                    links=tuple(
                        Link(str(link.get("text") or link.get("url") or ""), str(link["url"]))
                        for link in s.get("links") or ()
                        if link.get("url")
                    ),
                )
                for s in data.get("sections") or ()
            ),
        )


def publish_brief(workspace_id: int, brief: Brief, **extra: Any) -> None:
    """Announce a published brief: chat endpoints subscribed to brief.published post it as a
    message (brief_message), generic ones get its structure as JSON. `extra` (audience, period,
    id...) goes into the payload beside the brief's fields."""
    events.emit(workspace_id, events.BRIEF_PUBLISHED, {**asdict(brief), **extra})


def escape(text: str) -> str:
    """Text a person wrote, safe inside Slack mrkdwn: no mentions, no injected links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """A mrkdwn link; a label with | or > would end the link early, so those become spaces."""
    safe_label = escape(label.replace("|", " ").replace(">", " ")).strip() or escape(url)
    return f"<{escape(url)}|{safe_label}>"


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def brief_message(brief: Brief | Mapping[str, Any]) -> dict[str, Any]:
    """The chat payload for a brief: a header, the subtitle, and a section per brief section."""
    if not isinstance(brief, Brief):
        brief = Brief.from_dict(brief)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": clip(brief.title, MAX_HEADER)}}
    ]
    lines = [f"*{link(brief.url, brief.title) if brief.url else escape(brief.title)}*"]
    context = [escape(brief.subtitle)] if brief.subtitle else []
    if brief.url:
        context.append(link(brief.url, "Open the brief"))
    if context:
        blocks.append({"type": "context", "elements": [_mrkdwn(" · ".join(context))]})
    if brief.subtitle:
        lines.append(escape(brief.subtitle))
    for section in brief.sections:
        text = _section_text(section)
        lines.append(text)
        if len(blocks) < MAX_BLOCKS - 2:
            blocks.append({"type": "divider"})
            blocks.append({"type": "section", "text": _mrkdwn(clip(text, MAX_SECTION))})
    return {"text": "\n\n".join(lines), "blocks": blocks}


def _section_text(section: Section) -> str:
    parts = []
    if section.heading:
        parts.append(f"*{escape(section.heading)}*")
    if section.text:
        parts.append(escape(section.text))
    parts.extend(f"• {link(item.url, item.text)}" for item in section.links)
    return "\n".join(parts)


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def event_message(message: Mapping[str, Any]) -> dict[str, Any]:
    """The chat payload for an event envelope (see outbox.envelope): a line saying what
    happened with a link, and the workspace; briefs get the full brief layout."""
    event = str(message.get("event", ""))
    data: Mapping[str, Any] = message.get("data") or {}
    if event == "brief.published":
        return brief_message(data)
    workspace = (message.get("workspace") or {}).get("name", "")
    line = _event_line(event, data)
    blocks = [
        {"type": "section", "text": _mrkdwn(clip(line, MAX_SECTION))},
        {"type": "context", "elements": [_mrkdwn(escape(f"{workspace} · {event}"))]},
    ]
    return {"text": line, "blocks": blocks}


def _titled(item: Mapping[str, Any], fallback: str) -> str:
    title = str(item.get("title") or item.get("text") or fallback)
    url = str(item.get("url") or "")
    return link(url, clip(title, 200)) if url else escape(clip(title, 200))


def _event_line(event: str, data: Mapping[str, Any]) -> str:
    if event == "evidence.added":
        evidence = data.get("evidence") or {}
        who = evidence.get("account") or evidence.get("contact") or "a customer"
        return f"New evidence from {escape(str(who))}: {_titled(evidence, 'evidence')}"
    if event == "evidence.imported":
        where = escape(str(data.get("filename") or data.get("source") or "a file"))
        return (
            f"Evidence imported from {where}: {data.get('created', 0)} new, "
            f"{data.get('unchanged', 0)} already there."
        )
    if event == "problem.status_changed":
        problem = _titled(data.get("problem") or {}, "A problem")
        before, after = escape(str(data.get("from", ""))), escape(str(data.get("to", "")))
        return f"{problem} is now *{after}* (was {before})."
    if event == "initiative.moved":
        initiative = _titled(data.get("initiative") or {}, "An initiative")
        was: Mapping[str, Any] = data.get("from") or {}
        now: Mapping[str, Any] = data.get("to") or {}
        change = ", ".join(
            f"{key} {escape(str(was.get(key, '')))} → {escape(str(now[key]))}"
            for key in ("horizon", "status")
            if key in now and now.get(key) != was.get(key)
        )
        reason = f" Why: {escape(str(data['reason']))}" if data.get("reason") else ""
        return f"{initiative} moved: {change or 'updated'}.{reason}"
    if event == "webhook.test":
        return "Test event from problemspace: this endpoint is connected."
    return escape(event)
