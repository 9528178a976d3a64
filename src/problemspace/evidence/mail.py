"""Customer emails as evidence: a message as it travels (RFC 5322, MIME) into paste's items.

Plain Python, no Django. The standard library's email package reads the message; `paste` reads
what the customer wrote, as it does for a pasted email. A message is one of:

- written by the customer to a workspace address (first-hand, from its sender);
- forwarded by a team member, inline ("---------- Forwarded message ---------") or as an
  attached message: the customer of the forwarded part is the contact, the forwarder is who
  relayed it.

- written by a team member about a customer: relayed by them, with no known contact.

Whether a sender is a team member is the caller's to say (`members`): only it knows them.
"""

from __future__ import annotations

import email.policy
import mailbox
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from problemspace.evidence import paste

# The largest message accepted, attachments included (a 25 MB attachment is refused).
MAX_MESSAGE_BYTES = 25 * 1024 * 1024


class MailError(ValueError):
    """A message that cannot be read as an email; the message says why."""


@dataclass(frozen=True)
class Mail:
    """What one message holds, ready to become evidence."""

    message_id: str
    items: list[paste.Item]
    customer: paste.Person
    sent_at: datetime | None
    subject: str
    relayed_by: paste.Person  # who forwarded it to us; empty when the customer wrote to us


def read_message(raw: bytes, members: Collection[str] = ()) -> Mail:
    """Read one message's bytes. `members`: the team's addresses (lowercase), whose own
    messages are forwards to be read from their forwarded part."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MailError(
            f"the message is {len(raw) / 1024 / 1024:.1f} MB; the largest accepted is "
            f"{MAX_MESSAGE_BYTES // (1024 * 1024)} MB"
        )
    try:
        message = BytesParser(policy=email.policy.default).parsebytes(raw)
    except (ValueError, TypeError, LookupError) as exc:
        raise MailError(f"the message cannot be read ({exc})") from None
    if not isinstance(message, EmailMessage) or not message.get("from"):
        raise MailError("the message has no From header: it is not an email")
    return _from_message(message, members)


def _from_message(message: EmailMessage, members: Collection[str]) -> Mail:
    sender = _person(message)
    attached = _attached_message(message)
    outer_text = _text(message)
    if attached is not None:
        inner = _from_message(attached, ())
        return Mail(
            message_id=_message_id(message),
            items=inner.items,
            customer=inner.customer,
            sent_at=inner.sent_at or _date(message),
            subject=inner.subject,
            relayed_by=sender,
        )
    # Headers as paste reads them, then the body: paste finds an inline forward, quoted
    # history, greetings and signatures exactly as in a pasted email.
    headers = "\n".join(
        f"{name}: {value}"
        for name, value in (
            ("From", str(message.get("from", ""))),
            ("Date", str(message.get("date", ""))),
            ("Subject", str(message.get("subject", ""))),
        )
        if value
    )
    pasted = paste.parse_email(f"{headers}\n\n{outer_text}")
    customer = pasted.sender if pasted.sender else sender
    forwarded = bool(pasted.forwarded_by)
    if sender.email in members and not forwarded:
        # A team member's own note about a customer ("Granite Peak told me..."): relayed, and
        # the customer is not known from the message.
        customer, forwarded = paste.Person(), True
    return Mail(
        message_id=_message_id(message),
        items=pasted.items,
        customer=customer,
        sent_at=pasted.sent_at or _date(message),
        subject=pasted.subject,
        relayed_by=sender if forwarded else paste.Person(),
    )


def _attached_message(message: EmailMessage) -> EmailMessage | None:
    """A forward as an attachment: the first message/rfc822 part."""
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else payload
            if isinstance(inner, EmailMessage):
                return inner
    return None


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        raise MailError("the message has no text in it (no text/plain or text/html part)")
    try:
        content = body.get_content()
    except (LookupError, ValueError) as exc:
        raise MailError(f"its text cannot be decoded ({exc})") from None
    if not isinstance(content, str):
        raise MailError("its text part holds no text")
    if body.get_content_type() == "text/html":
        content = _html_text(content)
    return content


def _html_text(html: str) -> str:
    """The text of an HTML body, a line per block, as lxml reads it."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(html)
    except (ValueError, TypeError):
        return ""
    for element in root.iter("br", "p", "div", "li", "tr", "h1", "h2", "h3", "blockquote"):
        element.tail = "\n" + (element.tail or "")
    for quoted in root.iter("blockquote"):
        quoted.drop_tree()  # quoted history, as a client shows it
    return str(root.text_content())


def _person(message: Message) -> paste.Person:
    name, address = parseaddr(str(message.get("from", "")))
    return paste.Person(name=name.strip(), email=address.strip().lower())


def _date(message: Message) -> datetime | None:
    value = message.get("date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None


def _message_id(message: Message) -> str:
    return str(message.get("message-id", "")).strip().strip("<>")[:200]


def read_file(path: Path, members: Collection[str] = ()) -> Iterator[tuple[int, Mail | MailError]]:
    """Each message of an .eml file (one) or an mbox file (many), numbered from 1; a message
    that cannot be read comes as its error, so the caller can name it."""
    if path.suffix.lower() == ".mbox" or _starts_like_mbox(path):
        box = mailbox.mbox(str(path), create=False)
        try:
            for number, key in enumerate(box.iterkeys(), start=1):
                yield number, _safely(read_message, box.get_bytes(key), members)
        finally:
            box.close()
        return
    yield 1, _safely(read_message, path.read_bytes(), members)


def _safely(
    read: Callable[[bytes, Collection[str]], Mail], raw: bytes, members: Collection[str]
) -> Mail | MailError:
    try:
        return read(raw, members)
    except MailError as exc:
        return exc


def _starts_like_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def is_mail_file(path: Path) -> bool:
    """An .eml or .mbox file, by its name, or a file that starts as an mbox does."""
    return path.suffix.lower() in (".eml", ".mbox") or (path.is_file() and _starts_like_mbox(path))
