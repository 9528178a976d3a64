"""Validating one record into clean values, or the reasons it cannot be imported."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from problemspace.customers.models import Lifecycle
from problemspace.evidence.importing.dates import DateError, DateReader
from problemspace.evidence.importing.options import ImportOptions
from problemspace.evidence.importing.report import RowError
from problemspace.evidence.models import MAX_TEXT_LENGTH, Channel, Provenance
from problemspace.evidence.scores import ScoreError, read_score

CHANNEL_SYNONYMS = {
    **{c.value: c.value for c in Channel},
    **{c.label.lower(): c.value for c in Channel},
    "ticket": Channel.SUPPORT,
    "support ticket": Channel.SUPPORT,
    "helpdesk": Channel.SUPPORT,
    "chat": Channel.SUPPORT,
    "call": Channel.SALES_CALL,
    "sales": Channel.SALES_CALL,
    "sales call": Channel.SALES_CALL,
    "sales-call": Channel.SALES_CALL,
    "demo": Channel.SALES_CALL,
    "nps": Channel.SURVEY,
    "app store": Channel.REVIEW,
    "app-store": Channel.REVIEW,
    "g2": Channel.REVIEW,
    "forum": Channel.COMMUNITY,
    "slack": Channel.COMMUNITY,
    "twitter": Channel.SOCIAL,
    "x": Channel.SOCIAL,
    "linkedin": Channel.SOCIAL,
    "feedback portal": Channel.PORTAL,
    "user interview": Channel.INTERVIEW,
}
PROVENANCE_SYNONYMS = {
    "first_hand": Provenance.FIRST_HAND,
    "first-hand": Provenance.FIRST_HAND,
    "first hand": Provenance.FIRST_HAND,
    "firsthand": Provenance.FIRST_HAND,
    "direct": Provenance.FIRST_HAND,
    "relayed": Provenance.RELAYED,
    "second-hand": Provenance.RELAYED,
    "second hand": Provenance.RELAYED,
    "secondhand": Provenance.RELAYED,
    "indirect": Provenance.RELAYED,
}
LIFECYCLES = {c.value for c in Lifecycle}
_TAG_SPLIT = re.compile(r"[;,]")
_MONEY = re.compile(r"^[^\d\-]*(-?[\d,. ]+?)\s*([kKmM]?)\s*[^\d]*$")
_validate_email = EmailValidator()
_validate_url = URLValidator(schemes=["http", "https"])
# A day of slack for time zones; anything later is a typo or a wrong date format.
_FUTURE_SLACK = timedelta(days=1)


class Row(NamedTuple):
    """A valid row. A tuple so that it crosses from the reader process cheaply."""

    line: int
    text: str
    occurred_at: datetime
    channel: str
    provenance: str
    relayed_by: str
    captured_by: str  # lowercased member email, "" for none
    source: str
    external_id: str  # from the file, or a fingerprint of the content
    source_url: str
    tags: list[str]
    account: str
    account_fields: dict[str, Any]
    contact_email: str
    contact_name: str
    contact_role: str
    score: float | None = None
    score_scale: str = ""  # "" exactly when there is no score


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return str(value)


class RowValidator:
    """Turns a record (field -> raw value) into a Row, collecting every problem it has.

    All problems of a row are reported together, so a user fixes a file in one pass.
    """

    def __init__(self, options: ImportOptions, default_source: str, now: datetime) -> None:
        self.options = options
        self.default_source = default_source
        self.dates = DateReader(dayfirst=bool(options.dayfirst), default_tz=options.timezone)
        self.latest_allowed = now + _FUTURE_SLACK
        self.default_channel = CHANNEL_SYNONYMS[options.channel or Channel.OTHER]
        self.default_provenance = PROVENANCE_SYNONYMS[options.provenance or Provenance.FIRST_HAND]
        self._emails: dict[str, bool] = {}

    def validate(self, line: int, raw: dict[str, Any]) -> tuple[Row | None, list[RowError]]:
        errors: list[RowError] = []

        def fail(field: str, reason: str) -> None:
            errors.append(RowError(line, field, reason))

        text = with_title(_text(raw.get("title")), _text(raw.get("text")))
        if not text.strip():
            fail("text", "is empty; every evidence item needs what the customer said")
        elif len(text) > MAX_TEXT_LENGTH:
            fail("text", f"is {len(text):,} characters long; the limit is {MAX_TEXT_LENGTH:,}")
        if "\x00" in text:
            fail("text", "contains a NUL character (binary data?)")

        occurred_at = self._date(_text(raw.get("occurred_at")), fail)
        channel = self._choice(
            raw.get("channel"), CHANNEL_SYNONYMS, self.default_channel, "channel", fail
        )
        relayed_by = _text(raw.get("relayed_by")).strip()
        default_provenance = Provenance.RELAYED if relayed_by else self.default_provenance
        provenance = self._choice(
            raw.get("provenance"), PROVENANCE_SYNONYMS, default_provenance, "provenance", fail
        )
        if provenance == Provenance.RELAYED and not relayed_by:
            relayed_by = self.options.relayed_by
        if provenance == Provenance.FIRST_HAND and relayed_by:
            fail("relayed_by", f"is {relayed_by!r} but the provenance is first-hand")
        if len(relayed_by) > 200:
            fail("relayed_by", "is longer than 200 characters")

        source = _text(raw.get("source")).strip() or self.default_source
        if len(source) > 64:
            fail("source", "is longer than 64 characters")
        external_id = _text(raw.get("external_id")).strip()
        if len(external_id) > 255:
            fail("external_id", "is longer than 255 characters")
        source_url = _text(raw.get("source_url")).strip()
        if source_url:
            try:
                _validate_url(source_url)
            except ValidationError:
                fail("source_url", f"{source_url[:80]!r} is not an http(s) web address")

        tags = self._tags(raw.get("tags"), fail)
        account, account_fields = self._account(raw, fail)
        contact_email = _text(raw.get("contact_email")).strip().lower()
        if contact_email and not self._is_email(contact_email):
            fail("contact_email", f"{contact_email[:80]!r} is not an email address")
        contact_name = _text(raw.get("contact_name")).strip()[:200]
        contact_role = _text(raw.get("contact_role")).strip()[:120]
        captured_by = _text(raw.get("captured_by")).strip().lower()
        try:
            score, score_scale = read_score(raw.get("score"), raw.get("score_scale"))
        except ScoreError as exc:
            fail(exc.field, exc.reason)
            score, score_scale = None, ""

        if errors or occurred_at is None:
            return None, errors
        return (
            Row(
                line=line,
                text=text,
                occurred_at=occurred_at,
                channel=channel,
                provenance=provenance,
                relayed_by=relayed_by,
                captured_by=captured_by,
                source=source,
                external_id=external_id,
                source_url=source_url,
                tags=tags,
                account=account,
                account_fields=account_fields,
                contact_email=contact_email,
                contact_name=contact_name,
                contact_role=contact_role,
                score=score,
                score_scale=score_scale,
            ),
            [],
        )

    def _is_email(self, address: str) -> bool:
        # A file names the same few thousand people again and again; validate each once.
        known = self._emails.get(address)
        if known is None:
            try:
                _validate_email(address)
                known = True
            except ValidationError:
                known = False
            if len(self._emails) < 1_000_000:
                self._emails[address] = known
        return known

    def _date(self, value: str, fail: Any) -> datetime | None:
        try:
            occurred_at = self.dates.read(value)
        except DateError as exc:
            fail("occurred_at", str(exc) if value.strip() else "is empty; every item needs a date")
            return None
        except (ValueError, OverflowError):
            fail("occurred_at", f"{value[:40]!r} is not a date")
            return None
        if occurred_at > self.latest_allowed:
            fail("occurred_at", f"{value!r} is in the future")
            return None
        return occurred_at

    @staticmethod
    def _choice(value: Any, synonyms: dict[str, Any], default: str, field: str, fail: Any) -> str:
        text = _text(value).strip().lower()
        if not text:
            return default
        choice = synonyms.get(text) or synonyms.get(text.replace("_", " "))
        if choice is None:
            known = sorted({str(v) for v in synonyms.values()})
            fail(field, f"{text[:40]!r} is not one of: {', '.join(known)}")
            return default
        return str(choice)

    @staticmethod
    def _tags(value: Any, fail: Any) -> list[str]:
        items = value if isinstance(value, list) else _TAG_SPLIT.split(_text(value))
        tags: list[str] = []
        for item in items:
            tag = _text(item).strip().lower()
            if not tag or tag in tags:
                continue
            if len(tag) > 60:
                fail("tags", f"the tag {tag[:30]!r}... is longer than 60 characters")
                continue
            tags.append(tag)
        return tags

    @staticmethod
    def _account(raw: dict[str, Any], fail: Any) -> tuple[str, dict[str, Any]]:
        name = _text(raw.get("account")).strip()
        if len(name) > 200:
            fail("account", "is longer than 200 characters")
        fields: dict[str, Any] = {}
        if not name:
            return "", fields
        for field, limit in (("segment", 80), ("plan", 80), ("region", 80)):
            value = _text(raw.get(f"account_{field}")).strip()
            if len(value) > limit:
                fail(f"account_{field}", f"is longer than {limit} characters")
            elif value:
                fields[field] = value
        revenue = _text(raw.get("account_revenue")).strip()
        if revenue:
            amount = parse_money(revenue)
            if amount is None:
                fail("account_revenue", f"{revenue[:40]!r} is not an amount of money")
            else:
                fields["revenue"] = amount
        lifecycle = _text(raw.get("account_lifecycle")).strip().lower()
        if lifecycle:
            if lifecycle not in LIFECYCLES:
                known = ", ".join(sorted(LIFECYCLES))
                fail("account_lifecycle", f"{lifecycle!r} is not one of: {known}")
            else:
                fields["lifecycle"] = lifecycle
        return name, fields


def with_title(title: str, body: str) -> str:
    """A subject or review title before the text it heads, once ("Crashes on start" and "It
    crashes on start since 2.1" read as both; a body that repeats its title keeps it once)."""
    title, stripped = title.strip(), body.strip()
    if not title or stripped.lower().startswith(title.lower().rstrip(".!?…")):
        return body
    if not stripped:
        return title
    return f"{title}\n\n{body}"


def parse_money(text: str) -> Decimal | None:
    """'$410,000', '410000.50', '€ 12.5k', '1.2M' -> a Decimal; None when it is not money."""
    match = _MONEY.match(text.strip())
    if not match:
        return None
    digits, scale = match.group(1).replace(",", "").replace(" ", ""), match.group(2).lower()
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        return None
    amount *= {"k": 1000, "m": 1_000_000}.get(scale, 1)
    if amount.is_nan() or abs(amount) >= Decimal("1e12"):
        return None
    return amount.quantize(Decimal("0.01"))


def fingerprint(row: Row) -> str:
    """A stable id for a row that has none, from what it says, when, and who said it.

    Only what the file itself says goes in, never a default from the command line, so the same
    file imported with other options is still recognised.
    """
    content = "\x1f".join(
        [row.text, row.occurred_at.isoformat(), row.account.lower(), row.contact_email]
    )
    return "sha1:" + hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()
