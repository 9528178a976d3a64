"""Turning pasted text into evidence items: an email, or a chunk of notes.

Plain Python, no Django, so it can be tested and reused alone. Two shapes of paste:

- An email (or a forward of one) becomes one item, or one per request when it lists several
  ("1. ... 2. ..." or bullets; the sentence leading into the list is kept as their heading):
  its headers, when present, say who wrote it and when; what the customer wrote is kept, and
  what they did not write or did not mean as feedback is removed: quoted replies (`> ...`
  lines, everything from "On ... wrote:" or an "Original Message" block down), the greeting
  ("Hi team,"), the sign-off and what follows it ("Thanks,\nDana\nCFO, Globex"), signatures
  (from a `-- ` line down) and "Sent from my phone" footers. A forwarded email is read from the
  forwarded part; whoever forwarded it is returned as `forwarded_by`, since the message reached
  us through them.
- Notes become one item per paragraph or per bullet (`-`, `*`, `•`) or numbered point
  (`1.`, `2)`); a short line ending in a colon (or a `# heading`) just before a list is a
  heading, kept with the items under it for context but not an item of its own.

Nothing here decides what is stored: the items are shown to the person, who can edit or untick
each before saving.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import getaddresses, parsedate_to_datetime

from dateutil import parser as dateutil_parser

EMAIL = "email"
NOTES = "notes"
AUTO = "auto"
KINDS = (AUTO, EMAIL, NOTES)

_HEADER_NAMES = ("from", "to", "cc", "bcc", "date", "sent", "subject", "reply-to")
_HEADER = re.compile(
    r"^\s*\**(" + "|".join(re.escape(n) for n in _HEADER_NAMES) + r")\**\s*:\s?(.*)$", re.I
)
# Headers that only an email has; "To:" or "Date:" alone could open a line of notes.
_TELLING_HEADERS = {"from", "subject", "sent"}
_FORWARD_MARKER = re.compile(
    r"^\s*(?:-{2,}\s*forwarded message\s*-{2,}|begin forwarded message:?)\s*$", re.I
)
_ORIGINAL_MARKER = re.compile(r"^\s*-{2,}\s*original message\s*-{2,}\s*$", re.I)
# The attribution line of a quoted reply, in the languages mail clients write most often.
_WROTE = re.compile(
    r"^\s*(?:on\b.*\bwrote|le\b.*\ba écrit|am\b.*\bschrieb|el\b.*\bescribió"
    r"|op\b.*\bschreef|il\b.*\bha scritto)\s*:\s*$",
    re.I,
)
_WROTE_START = re.compile(r"^\s*(?:on|le|am|el|op|il)\s", re.I)
_OUTLOOK_RULE = re.compile(r"^\s*_{10,}\s*$")
_SIGNATURE = re.compile(r"^--\s?$")
_MOBILE_FOOTER = re.compile(
    r"^\s*(?:sent from my \w+|sent from (?:outlook|mail) for \w+|get outlook for \w+)\b.*$", re.I
)
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|hiya|good (?:morning|afternoon|evening)|greetings)\b[^.?!\n]{0,40}"
    r"[,!:]?\s*$",
    re.I,
)
_SIGN_OFF = re.compile(
    r"^\s*(?:thanks|thank you|many thanks|thanks again|thanks in advance|cheers|best|best regards|"
    r"kind regards|warm regards|regards|all the best|sincerely|yours|talk soon|speak soon)"
    r"(?: so much)?[,.!]?\s*$",
    re.I,
)
# A sign-off this close to the end is the end of what was meant as feedback.
_SIGN_OFF_WITHIN = 8
_SUBJECT_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|wg|tr|sv)\s*(?:\[\d+\])?\s*:\s*)+", re.I)
_REPLY_PREFIX = re.compile(r"^\s*(?:re|aw|sv)\s*(?:\[\d+\])?\s*:", re.I)
_FORWARD_PREFIX = re.compile(r"^\s*(?:fwd?|wg|tr)\s*:", re.I)

_MARKER = re.compile(r"^(\s*)(?:[-*•‣◦▪\u2013+]|\d{1,3}[.)]|\(\d{1,3}\))\s+(.*)$")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")
_TWELVE_HOUR = re.compile(r"\d\s*[ap]\.?m\b", re.I)
_WORD = re.compile(r"[^\W_]")
# Control characters other than tab and newline: never part of what someone said.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A heading is a short line; a longer line ending in a colon is a sentence that leads on.
_HEADING_LENGTH = 80


@dataclass(frozen=True)
class Item:
    """One piece of evidence found in the paste; `heading` is context, not part of the text."""

    text: str
    heading: str = ""


@dataclass(frozen=True)
class Person:
    name: str = ""
    email: str = ""

    def __bool__(self) -> bool:
        return bool(self.name or self.email)

    @property
    def label(self) -> str:
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.name or self.email


@dataclass(frozen=True)
class Pasted:
    """What a paste holds. For an email: who sent it, when, its subject, who forwarded it."""

    kind: str
    items: list[Item] = field(default_factory=list)
    sender: Person = field(default_factory=Person)
    sent_at: datetime | None = None
    subject: str = ""
    forwarded_by: Person = field(default_factory=Person)


def parse(text: str, kind: str = AUTO) -> Pasted:
    """Read a paste as `kind` (email, notes, or auto: an email when it looks like one)."""
    if kind not in KINDS:
        raise ValueError(f"kind is one of {', '.join(KINDS)}, not {kind!r}.")
    clean = _normalise(text)
    if kind == EMAIL or (kind == AUTO and looks_like_email(clean)):
        return parse_email(clean)
    return Pasted(kind=NOTES, items=split_notes(clean))


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return _CONTROL.sub("", text)


def looks_like_email(text: str) -> bool:
    """Headers such as From: or Subject: at the top, a forwarded or quoted message in it."""
    lines = _normalise(text).split("\n")
    headers, _ = _read_headers(lines)
    if _TELLING_HEADERS & set(headers):
        return True
    if any(_FORWARD_MARKER.match(line) or _ORIGINAL_MARKER.match(line) for line in lines):
        return True
    if _reply_boundary(lines) is not None:
        return True
    return sum(1 for line in lines if line.lstrip().startswith(">")) >= 2


# --- emails -----------------------------------------------------------------------------------


def parse_email(text: str) -> Pasted:
    """One item: what the sender wrote, without quoted replies, signature or phone footer."""
    lines = _normalise(text).split("\n")
    headers, body = _read_headers(lines)
    forwarded_by = Person()
    subject_raw = headers.get("subject", "")
    start = _forward_start(body, subject_raw)
    if start is not None:
        rest = body[start:]
        if _FORWARD_MARKER.match(rest[0]) or _ORIGINAL_MARKER.match(rest[0]):
            rest = rest[1:]
        inner_headers, inner_body = _read_headers(_skip_rules(rest))
        # What the forwarder wrote above the forwarded message is theirs, not the customer's.
        forwarded_by = _person(headers.get("from", ""))
        if inner_headers:
            headers, body = inner_headers, inner_body
            subject_raw = headers.get("subject", "")
        else:
            body = rest
    body = _without_courtesies(_strip_reply(body))
    text_out = _tidy(body)
    subject = _SUBJECT_PREFIX.sub("", subject_raw).strip()
    # A customer's own subject line is their words too ("Export keeps timing out"); a reply's
    # subject ("Re: Your invoice") was written by whoever started the thread, often us.
    own_subject = subject if subject and not _REPLY_PREFIX.match(subject_raw) else ""
    items = _requests(text_out, own_subject)
    if items is None:
        if own_subject and own_subject not in text_out:
            text_out = f"{own_subject}\n\n{text_out}" if text_out else own_subject
        items = [Item(text_out)] if _has_words([text_out]) else []
    return Pasted(
        kind=EMAIL,
        items=items,
        sender=_person(headers.get("from", "")),
        sent_at=_date(headers.get("date") or headers.get("sent") or ""),
        subject=subject,
        forwarded_by=forwarded_by,
    )


def _without_courtesies(lines: list[str]) -> list[str]:
    """The lines without the greeting at the top and the sign-off (and what follows it: a name,
    a title, a company) near the end."""
    first = next((n for n, line in enumerate(lines) if line.strip()), len(lines))
    if first < len(lines) and _GREETING.match(lines[first]):
        lines = lines[first + 1 :]
    written = [n for n, line in enumerate(lines) if line.strip()]
    for n in written[-_SIGN_OFF_WITHIN:]:
        if _SIGN_OFF.match(lines[n]):
            return lines[:n]
    return lines


def _requests(text: str, subject: str) -> list[Item] | None:
    """An email that lists several requests, one item for each (what leads into the list is
    their heading, with the subject); None when it lists fewer than two."""
    lines = text.split("\n")
    if sum(1 for line in lines if _MARKER.match(line)) < 2:
        return None
    notes = split_notes(text)
    points = [item for item in notes if item.heading or _is_point(item.text, lines)]
    if len(points) < 2:
        return None
    lead = [item.text for item in notes if item not in points]
    heading = " — ".join(filter(None, [subject, *lead]))[: _HEADING_LENGTH * 3]
    return [Item(item.text, item.heading or heading) for item in points]


def _is_point(text: str, lines: list[str]) -> bool:
    first = text.split("\n", 1)[0]
    return any((m := _MARKER.match(line)) and m.group(2).strip() == first for line in lines)


def _read_headers(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Header lines at the top (after blank lines), and the lines after them.

    A header's value may continue on indented lines. Only the first of each header counts.
    """
    headers: dict[str, str] = {}
    n = 0
    while n < len(lines) and not lines[n].strip():
        n += 1
    start = n
    last = ""
    while n < len(lines):
        line = lines[n]
        match = _HEADER.match(line)
        if match:
            last = match.group(1).lower()
            headers.setdefault(last, match.group(2).strip())
        elif last and line[:1] in (" ", "\t") and line.strip() and n > start:
            headers[last] = f"{headers[last]} {line.strip()}"
        else:
            break
        n += 1
    if not headers:
        return {}, lines
    if n < len(lines) and not lines[n].strip():
        n += 1
    return headers, lines[n:]


def _forward_start(lines: list[str], subject: str) -> int | None:
    """Where a forwarded message starts: a "Forwarded message" line, or, under an "FW:"
    subject, the first "Original Message" line or embedded headers (as Outlook forwards)."""
    for n, line in enumerate(lines):
        if _FORWARD_MARKER.match(line):
            return n
    if not _FORWARD_PREFIX.match(subject):
        return None
    for n, line in enumerate(lines):
        if (
            _ORIGINAL_MARKER.match(line)
            or _OUTLOOK_RULE.match(line)
            or _starts_header_block(lines, n)
        ):
            return n
    return None


def _starts_header_block(lines: list[str], n: int) -> bool:
    """A From: line followed closely by Sent:, Date: or Subject: — an embedded message."""
    match = _HEADER.match(lines[n])
    if not match or match.group(1).lower() != "from":
        return False
    for line in lines[n + 1 : n + 5]:
        following = _HEADER.match(line)
        if following and following.group(1).lower() in {"sent", "date", "subject", "to"}:
            return True
    return False


def _skip_rules(lines: list[str]) -> list[str]:
    n = 0
    while n < len(lines) and (not lines[n].strip() or _OUTLOOK_RULE.match(lines[n])):
        n += 1
    return lines[n:]


def _reply_boundary(lines: list[str]) -> int | None:
    """The first line of quoted history: "On ... wrote:", an Original Message, Outlook headers."""
    for n, line in enumerate(lines):
        if _WROTE.match(line) or _FORWARD_MARKER.match(line) or _ORIGINAL_MARKER.match(line):
            return n
        # Mail clients wrap a long attribution over two or three lines.
        if _WROTE_START.match(line) and not line.rstrip().endswith("."):
            joined = line
            for extra in lines[n + 1 : n + 3]:
                if not extra.strip():
                    break
                joined = f"{joined} {extra.strip()}"
                if _WROTE.match(joined):
                    return n
        if _OUTLOOK_RULE.match(line) and any(
            _starts_header_block(lines, k) for k in range(n + 1, min(n + 3, len(lines)))
        ):
            return n
        if n > 0 and _starts_header_block(lines, n):
            return n
    return None


def _strip_reply(lines: list[str]) -> list[str]:
    boundary = _reply_boundary(lines)
    if boundary is not None:
        lines = lines[:boundary]
    kept: list[str] = []
    for line in lines:
        if _SIGNATURE.match(line) or _MOBILE_FOOTER.match(line):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return kept


def _person(value: str) -> Person:
    if not value:
        return Person()
    # Outlook writes "Dana Scully [mailto:dana@globex.example]".
    value = re.sub(r"\[mailto:([^\]]+)\]", r"<\1>", value)
    if "@" not in value:
        return Person(name=value.strip().strip('"'))
    addresses = [(name, address) for name, address in getaddresses([value]) if name or address]
    if not addresses:
        return Person(name=value.strip())
    name, address = addresses[0]
    if "@" not in address:
        return Person(name=" ".join(filter(None, [name, address])).strip())
    return Person(name=name.strip().strip('"'), email=address.strip().lower())


def _date(value: str) -> datetime | None:
    """An RFC 2822 date, or how mail clients write one in a forward ("Tue, Mar 4, 2025 at
    10:12 AM"). None when it is not a date; naive when it names no time zone."""
    value = value.strip()
    if not value:
        return None
    # The RFC parser reads "5:00 PM" as five in the morning; clocks with AM/PM go to dateutil.
    if not _TWELVE_HOUR.search(value):
        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            pass
    try:
        return dateutil_parser.parse(re.sub(r"\bat\b", " ", value), fuzzy=True)
    except (ValueError, OverflowError):
        return None


# --- notes ------------------------------------------------------------------------------------


def split_notes(text: str) -> list[Item]:
    """One item per paragraph or list point, in the order written."""
    items: list[Item] = []
    heading = ""
    current: list[str] = []
    current_heading = ""

    def finish() -> None:
        nonlocal current
        body = "\n".join(current).strip()
        current = []
        if _has_words([body]):
            items.append(Item(body, current_heading))

    lines = _normalise(text).split("\n")
    for n, line in enumerate(lines):
        if not line.strip():
            finish()
            continue
        marked = _MARKER.match(line)
        titled = _MARKDOWN_HEADING.match(line)
        if titled or (not marked and not current and _is_heading(line, lines[n + 1 :])):
            finish()
            heading = (titled.group(1) if titled else line).strip().rstrip(":").strip()
            continue
        if marked:
            finish()
            current_heading = heading
            current.append(marked.group(2).rstrip())
        else:
            if not current:
                current_heading = heading
            current.append(line.strip())
    finish()
    return items


def _is_heading(line: str, following: list[str]) -> bool:
    """A short line ending in a colon, followed (maybe after a blank line) by list points."""
    stripped = line.strip()
    if not stripped.endswith(":") or len(stripped) > _HEADING_LENGTH:
        return False
    for next_line in following:
        if next_line.strip():
            return bool(_MARKER.match(next_line))
    return False


def _tidy(lines: list[str]) -> str:
    """Join lines, with no leading or trailing blank lines and at most one blank line in a row."""
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    return "\n".join(out).strip()


def _has_words(lines: list[str]) -> bool:
    return any(_WORD.search(line) for line in lines)
