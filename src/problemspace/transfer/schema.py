"""The workspace export format: its sections, their fields, and how each value is written and read.

Export and restore both walk these tables, so a field cannot be written without being read back.
docs/export-format.md describes the same thing for people; keep the two in step, and bump
VERSION whenever a file written now would mean something else to an older reader.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from problemspace.customers.models import Account, Contact, Lifecycle
from problemspace.evidence.models import Channel, Evidence, Provenance, Tag
from problemspace.transfer.errors import RestoreError
from problemspace.workspaces.models import Role, Workspace

FORMAT = "problemspace-workspace"
VERSION = 1

# The sections in the order they appear in the file. A section only refers to sections before
# it, which is what lets restore read the file once, front to back, in bounded memory.
SECTIONS = ("members", "accounts", "contacts", "tags", "evidence")
HEADER_KEYS = ("format", "version", "exported_at", "workspace")
TOP_LEVEL_KEYS = (*HEADER_KEYS, *SECTIONS)

# section -> how one item of it is called in messages ("refers to contact 99").
SINGULAR = {
    "members": "member",
    "accounts": "account",
    "contacts": "contact",
    "tags": "tag",
    "evidence": "evidence item",
}

# section -> file-local id -> the value it stands for: a database primary key on restore,
# the other way round on export.
IdMaps = Mapping[str, Mapping[int, int]]


def _fail(where: str, key: str, problem: str) -> RestoreError:
    # `where` is the item's JSON path, "" for a key at the top level of the file.
    return RestoreError(f"{where}.{key} {problem}." if where else f"{key} {problem}.")


@dataclass(frozen=True, slots=True)
class Field:
    """One key of an item: `key` in the file, `attr` on the model (or a `values()` lookup)."""

    key: str
    attr: str

    def dump(self, value: Any, ids: IdMaps) -> Any:
        return value

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Text(Field):
    max_length: int | None = None
    nullable: bool = False

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if value is None and self.nullable:
            return None
        if not isinstance(value, str):
            expected = "a string or null" if self.nullable else 'a string ("" for none)'
            raise _fail(where, self.key, f"is {_describe(value)}; it must be {expected}")
        if self.max_length is not None and len(value) > self.max_length:
            raise _fail(
                where,
                self.key,
                f"is {len(value):,} characters long; the limit is {self.max_length:,}",
            )
        # PostgreSQL cannot store NUL at all; refusing it everywhere keeps files portable.
        if "\x00" in value:
            raise _fail(where, self.key, "contains a NUL character, which cannot be stored")
        return value


@dataclass(frozen=True, slots=True)
class Choice(Field):
    choices: tuple[str, ...] = ()

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if value not in self.choices:
            raise _fail(
                where, self.key, f"is {_describe(value)}; it must be one of {_names(self.choices)}"
            )
        return value


@dataclass(frozen=True, slots=True)
class Flag(Field):
    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if not isinstance(value, bool):
            raise _fail(where, self.key, f"is {_describe(value)}; it must be true or false")
        return value


@dataclass(frozen=True, slots=True)
class Moment(Field):
    """A date and time, always written in UTC so that equal moments are equal strings."""

    nullable: bool = False

    def dump(self, value: Any, ids: IdMaps) -> Any:
        return None if value is None else value.astimezone(UTC).isoformat()

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if value is None and self.nullable:
            return None
        moment = None
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                moment = datetime.fromisoformat(value)
        if moment is None or moment.tzinfo is None:
            raise _fail(
                where,
                self.key,
                f"is {_describe(value)}; it must be an ISO 8601 date and time with a UTC offset,"
                " like 2025-03-01T14:30:00+00:00",
            )
        return moment


@dataclass(frozen=True, slots=True)
class Day(Field):
    nullable: bool = False

    def dump(self, value: Any, ids: IdMaps) -> Any:
        return None if value is None else value.isoformat()

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if value is None and self.nullable:
            return None
        if isinstance(value, str) and len(value) == 10:
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise _fail(where, self.key, f"is {_describe(value)}; it must be a date like 2025-03-01")


@dataclass(frozen=True, slots=True)
class Money(Field):
    """A decimal written as a string, so that no JSON reader turns it into a float."""

    max_digits: int = 14
    decimal_places: int = 2
    nullable: bool = False

    def dump(self, value: Any, ids: IdMaps) -> Any:
        if value is None:
            return None
        return format(Decimal(value).quantize(Decimal(1).scaleb(-self.decimal_places)), "f")

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if value is None and self.nullable:
            return None
        amount = None
        # Numbers are accepted too: ijson reads them as exact Decimals, never floats.
        if isinstance(value, str | int | Decimal) and not isinstance(value, bool):
            with contextlib.suppress(InvalidOperation):
                amount = Decimal(value)
        if amount is None or not amount.is_finite():
            raise _fail(
                where, self.key, f'is {_describe(value)}; it must be a decimal like "1234.50"'
            )
        # Size first: quantizing a huge number would overflow the decimal context.
        if abs(amount) >= 10 ** (self.max_digits - self.decimal_places):
            raise _fail(where, self.key, f"is {value!r}, too large to store")
        step = Decimal(1).scaleb(-self.decimal_places)
        if amount != amount.quantize(step):
            raise _fail(
                where,
                self.key,
                f"is {value!r}, with more than {self.decimal_places} decimal places",
            )
        return amount.quantize(step)


@dataclass(frozen=True, slots=True)
class Ref(Field):
    """The file-local id of an item of an earlier section, or null."""

    section: str = ""

    def dump(self, value: Any, ids: IdMaps) -> Any:
        return None if value is None else ids[self.section][value]

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if value is None:
            return None
        if not is_id(value):
            raise _fail(
                where,
                self.key,
                f"is {_describe(value)}; it must be the id of a {SINGULAR[self.section]}, or null",
            )
        try:
            return ids[self.section][value]
        except KeyError:
            raise _fail(
                where,
                self.key,
                f"refers to {SINGULAR[self.section]} {value}, which the file does not define"
                f" (or defines after this item)",
            ) from None


@dataclass(frozen=True, slots=True)
class Refs(Field):
    """A list of file-local ids of an earlier section, written in increasing order."""

    section: str = ""

    def dump(self, value: Any, ids: IdMaps) -> Any:
        local = ids[self.section]
        return sorted(local[pk] for pk in value)

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        noun = SINGULAR[self.section]
        if not isinstance(value, list):
            raise _fail(where, self.key, f"is {_describe(value)}; it must be a list of {noun} ids")
        known = ids[self.section]
        pks: list[int] = []
        for position, item in enumerate(value):
            if not is_id(item):
                raise _fail(where, f"{self.key}[{position}]", f"is {_describe(item)}, not an id")
            pk = known.get(item)
            if pk is None:
                raise _fail(
                    where,
                    f"{self.key}[{position}]",
                    f"refers to {noun} {item}, which the file does not define",
                )
            if pk in pks:
                raise _fail(where, self.key, f"lists {noun} {item} twice")
            pks.append(pk)
        return pks


def is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _describe(value: Any) -> str:
    """How a bad value is shown in a message: short, and with its JSON type when that helps."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _names(choices: Iterable[str]) -> str:
    return ", ".join(f'"{choice}"' for choice in choices)


def _text(model: type[models.Model], name: str, key: str | None = None, attr: str = "") -> Text:
    """A Text whose limits come from the model, so a migration that changes them is followed."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.CharField | models.TextField)
    return Text(key or name, attr or name, max_length=field.max_length, nullable=field.null)


def _money(model: type[models.Model], name: str) -> Money:
    field = model._meta.get_field(name)
    assert isinstance(field, models.DecimalField)
    assert field.max_digits is not None and field.decimal_places is not None
    return Money(name, name, field.max_digits, field.decimal_places, nullable=field.null)


def _choices(choices: type[models.TextChoices]) -> tuple[str, ...]:
    return tuple(str(choice.value) for choice in choices)


User = get_user_model()

WORKSPACE_FIELDS: Sequence[Field] = (
    _text(Workspace, "name"),
    _text(Workspace, "slug"),
    Moment("created_at", "created_at"),
)

# Members name their user by email and username, never by primary key or password hash: the
# file must restore into another installation, and a password must never leave this one.
MEMBER_FIELDS: Sequence[Field] = (
    _text(User, "email", attr="user__email"),
    _text(User, "username", attr="user__username"),
    _text(User, "first_name", attr="user__first_name"),
    _text(User, "last_name", attr="user__last_name"),
    Moment("date_joined", "user__date_joined"),
    Choice("role", "role", _choices(Role)),
    Moment("created_at", "created_at"),
)

ACCOUNT_FIELDS: Sequence[Field] = (
    _text(Account, "name"),
    _text(Account, "segment"),
    _text(Account, "plan"),
    _money(Account, "revenue"),
    _text(Account, "region"),
    Choice("lifecycle", "lifecycle", _choices(Lifecycle)),
    Moment("created_at", "created_at"),
)

CONTACT_FIELDS: Sequence[Field] = (
    Ref("account", "account_id", "accounts"),
    _text(Contact, "name"),
    _text(Contact, "email"),
    _text(Contact, "role"),
    Flag("research_consent", "research_consent"),
    Day("last_contacted", "last_contacted", nullable=True),
    Moment("created_at", "created_at"),
)

TAG_FIELDS: Sequence[Field] = (_text(Tag, "name"),)

EVIDENCE_FIELDS: Sequence[Field] = (
    _text(Evidence, "text"),
    Moment("occurred_at", "occurred_at"),
    Choice("channel", "channel", _choices(Channel)),
    Ref("account", "account_id", "accounts"),
    Ref("contact", "contact_id", "contacts"),
    Ref("captured_by", "captured_by_id", "members"),
    Choice("provenance", "provenance", _choices(Provenance)),
    _text(Evidence, "relayed_by"),
    _text(Evidence, "source"),
    _text(Evidence, "external_id"),
    _text(Evidence, "source_url"),
    Refs("tags", "tags", "tags"),
    Moment("created_at", "created_at"),
)

FIELDS: Mapping[str, Sequence[Field]] = {
    "members": MEMBER_FIELDS,
    "accounts": ACCOUNT_FIELDS,
    "contacts": CONTACT_FIELDS,
    "tags": TAG_FIELDS,
    "evidence": EVIDENCE_FIELDS,
}


def dump_item(
    fields: Sequence[Field], local_id: int | None, row: Mapping[str, Any], ids: IdMaps
) -> dict[str, Any]:
    """One item as written to the file: its id first, then its fields in table order."""
    item: dict[str, Any] = {} if local_id is None else {"id": local_id}
    for field in fields:
        item[field.key] = field.dump(row[field.attr], ids)
    return item


def load_item(
    fields: Sequence[Field], item: Any, where: str, ids: IdMaps, *, with_id: bool = True
) -> dict[str, Any]:
    """An item of the file checked and converted to model values keyed by `attr`."""
    if not isinstance(item, dict):
        raise RestoreError(f"{where} is {_describe(item)}; it must be an object.")
    values: dict[str, Any] = {}
    for field in fields:
        try:
            raw = item[field.key]
        except KeyError:
            raise RestoreError(
                f'{where} has no "{field.key}"; every {_noun(where)} needs one'
                " (the export format lists them all)."
            ) from None
        values[field.attr] = field.load(raw, where, ids)
    if len(item) != len(fields) + with_id:
        known = {field.key for field in fields} | ({"id"} if with_id else set())
        unknown = [key for key in item if key not in known]
        raise RestoreError(
            f'{where} has "{unknown[0]}", which format version {VERSION} does not define;'
            " was the file written by a newer problemspace, or edited by hand?"
        )
    return values


def _noun(where: str) -> str:
    section = where.partition("[")[0]
    return SINGULAR.get(section, section)
