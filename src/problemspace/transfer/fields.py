"""The kinds of value an export holds: how each is written, and how it is read back and checked.

A field knows its key in the file and its attribute on the model; `dump` turns a database
value into JSON, `load` checks a JSON value and turns it into what the model stores, raising
RestoreError with the item's JSON path when it cannot. The sections (schema.py) are tables of
these.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from problemspace.transfer.errors import RestoreError

# section -> how one item of it is called in messages ("refers to contact 99").
SINGULAR = {
    "members": "member",
    "accounts": "account",
    "contacts": "contact",
    "tags": "tag",
    "evidence": "evidence item",
    "import_columns": "saved set of import columns",
    "exposure_preferences": "exposure preference",
    "problems": "problem",
    "problem_evidence": "problem's evidence link",
    "problem_edits": "edit to problems",
    "guides": "guide",
    "interviews": "interview",
    "highlights": "highlight",
    "hypotheses": "hypothesis",
    "experiments": "experiment",
    "learning_cards": "learning card",
    "hypothesis_changes": "status change",
    "availabilities": "schedule",
    "windows": "window",
    "bookings": "booking",
    "campaigns": "campaign",
    "campaign_quotas": "quota",
    "screener_questions": "screener question",
    "candidates": "candidate",
    "goals": "goal",
    "key_results": "key result",
    "initiatives": "initiative",
    "roadmap_moves": "roadmap move",
    "portal_settings": "portal settings",
    "portal_posts": "portal post",
    "portal_votes": "vote",
    "portal_comments": "comment",
    "portal_opt_outs": "opt-out",
    "portal_notices": "notice",
    "webhook_endpoints": "webhook endpoint",
    "brief_schedules": "brief schedule",
    "briefs": "brief",
}

# section -> file-local id -> the value it stands for: a database primary key on restore,
# the other way round on export.
IdMaps = Mapping[str, Mapping[int, int]]


def _fail(where: str, key: str, problem: str) -> RestoreError:
    # `where` is the item's JSON path, "" for a key at the top level of the file.
    return RestoreError(f"{where}.{key} {problem}." if where else f"{key} {problem}.")


@dataclass(frozen=True, slots=True)
class Field:
    """One key of an item: `key` in the file, `attr` on the model (or a `values()` lookup).

    `since` is the format version that added the key to its section: a file of an older
    version lacks it, and its items restore with the model's default for it.
    """

    key: str
    attr: str
    since: int = dataclasses.field(default=1, kw_only=True)

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
            raise _fail(where, self.key, f"is {describe(value)}; it must be {expected}")
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
                where, self.key, f"is {describe(value)}; it must be one of {_names(self.choices)}"
            )
        return value


@dataclass(frozen=True, slots=True)
class Flag(Field):
    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if not isinstance(value, bool):
            raise _fail(where, self.key, f"is {describe(value)}; it must be true or false")
        return value


@dataclass(frozen=True, slots=True)
class MaybeFlag(Field):
    """True, false, or null for "not said" (a saved import's date order: read from the dates)."""

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if value is not None and not isinstance(value, bool):
            raise _fail(where, self.key, f"is {describe(value)}; it must be true, false or null")
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
                f"is {describe(value)}; it must be an ISO 8601 date and time with a UTC offset,"
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
        raise _fail(where, self.key, f"is {describe(value)}; it must be a date like 2025-03-01")


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
                where, self.key, f'is {describe(value)}; it must be a decimal like "1234.50"'
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
    """The file-local id of an item of an earlier section, or null when `nullable`."""

    section: str = ""
    nullable: bool = True

    def dump(self, value: Any, ids: IdMaps) -> Any:
        return None if value is None else ids[self.section][value]

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if value is None and self.nullable:
            return None
        if not is_id(value):
            alternative = ", or null" if self.nullable else ""
            raise _fail(
                where,
                self.key,
                f"is {describe(value)}; it must be the id of a {SINGULAR[self.section]}"
                + alternative,
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
    """A list of file-local ids of an earlier section, written in increasing order.

    The list is a many-to-many relation stored in `through`, a table of (`owner`, `target`)
    pairs: export reads it for a chunk of items at a time and restore writes it after them.
    """

    section: str = ""
    through: type[models.Model] | None = None
    owner: str = ""
    target: str = ""

    def dump(self, value: Any, ids: IdMaps) -> Any:
        local = ids[self.section]
        return sorted(local[pk] for pk in value)

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        noun = SINGULAR[self.section]
        if not isinstance(value, list):
            raise _fail(where, self.key, f"is {describe(value)}; it must be a list of {noun} ids")
        known = ids[self.section]
        pks: list[int] = []
        for position, item in enumerate(value):
            if not is_id(item):
                raise _fail(where, f"{self.key}[{position}]", f"is {describe(item)}, not an id")
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


@dataclass(frozen=True, slots=True)
class Number(Field):
    """A whole number within the bounds the database (or a check constraint) allows."""

    minimum: int = 0
    maximum: int = 2**31 - 1
    nullable: bool = False

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if value is None and self.nullable:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            expected = "a whole number" + (" or null" if self.nullable else "")
            raise _fail(where, self.key, f"is {describe(value)}; it must be {expected}")
        if not self.minimum <= value <= self.maximum:
            raise _fail(
                where,
                self.key,
                f"is {value}; it must be from {self.minimum:,} to {self.maximum:,}",
            )
        return value


@dataclass(frozen=True, slots=True)
class Float(Field):
    """A floating-point number (a key result's target, an initiative's effort)."""

    nullable: bool = False

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if value is None and self.nullable:
            return None
        # ijson reads numbers as exact Decimals; the shortest repr a float was written with
        # converts back to the very same float.
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            number = float(value)
            if math.isfinite(number):
                return number
        expected = "a number" + (" or null" if self.nullable else "")
        raise _fail(where, self.key, f"is {describe(value)}; it must be {expected}")


@dataclass(frozen=True, slots=True)
class SelfRef(Ref):
    """The file-local id of an item of the same section, which may come later in it (a portal
    post merged into a newer one). Export numbers the section before writing it; restore
    checks the id here and sets the reference once the whole section is in
    (sections.SectionWriter)."""

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if value is None and self.nullable:
            return None
        if not is_id(value):
            raise _fail(
                where,
                self.key,
                f"is {describe(value)}; it must be the id of a {SINGULAR[self.section]}, or null",
            )
        return value


@dataclass(frozen=True, slots=True)
class Json(Field):
    """A JSON object stored as it is (a brief's snapshot), which nothing else refers into."""

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if not isinstance(value, dict):
            raise _fail(where, self.key, f"is {describe(value)}; it must be an object")
        return _plain_json(value, where, self.key)


def _plain_json(value: Any, where: str, key: str) -> Any:
    """`value` with ijson's Decimals back as the ints and floats they were written from."""
    if isinstance(value, dict):
        out = {}
        for name, item in value.items():
            if "\x00" in name:
                raise _fail(where, key, "contains a NUL character, which cannot be stored")
            out[name] = _plain_json(item, where, key)
        return out
    if isinstance(value, list):
        return [_plain_json(item, where, key) for item in value]
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return int(value) if exponent == 0 else float(value)
    if isinstance(value, str) and "\x00" in value:
        raise _fail(where, key, "contains a NUL character, which cannot be stored")
    return value


# A notice's key names its news, some by the primary key of what it is about; the file names
# those by file-local id, so a restored workspace does not send the same news again.
_NOTICE_KEYS = (
    ("status:merged:", "portal_posts"),
    ("solved:", "problems"),
    ("shipped:initiative:", "initiatives"),
    ("shipped:", "problems"),
)
# What a key names when that was deleted since: kept as written, so it stays unique.
GONE = "gone-"


@dataclass(frozen=True, slots=True)
class NoticeKey(Field):
    max_length: int = 80

    def dump(self, value: Any, ids: IdMaps) -> Any:
        for prefix, section in _NOTICE_KEYS:
            rest = value.removeprefix(prefix)
            if rest != value and rest.isdigit():
                local = ids[section].get(int(rest))
                return prefix + (str(local) if local is not None else GONE + rest)
        return value

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        Text(self.key, self.attr, self.max_length).load(value, where, ids)
        for prefix, section in _NOTICE_KEYS:
            rest = value.removeprefix(prefix)
            if rest == value or not rest.isdigit():
                continue
            pk = ids[section].get(int(rest))
            if pk is None:
                raise _fail(
                    where,
                    self.key,
                    f"refers to {SINGULAR[section]} {rest}, which the file does not define",
                )
            return prefix + str(pk)
        return value


@dataclass(frozen=True, slots=True)
class Clock(Field):
    """A wall-clock time of day, without a date or time zone: "09:30:00"."""

    def dump(self, value: Any, ids: IdMaps) -> Any:
        return value.isoformat()

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        moment = None
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                moment = time.fromisoformat(value)
        if moment is None or moment.tzinfo is not None:
            raise _fail(
                where, self.key, f"is {describe(value)}; it must be a time of day like 09:30:00"
            )
        return moment


@dataclass(frozen=True, slots=True)
class Uuid(Field):
    def dump(self, value: Any, ids: IdMaps) -> Any:
        return str(value)

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return uuid.UUID(value)
        raise _fail(
            where,
            self.key,
            f"is {describe(value)}; it must be a UUID like 0f8fad5b-d9cb-469f-a165-70867728950e",
        )


@dataclass(frozen=True, slots=True)
class Strings(Field):
    """A list of strings kept as JSON by the model (a screener question's choices)."""

    def dump(self, value: Any, ids: IdMaps) -> Any:
        return [str(item) for item in value]

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if not isinstance(value, list):
            raise _fail(where, self.key, f"is {describe(value)}; it must be a list of strings")
        for position, item in enumerate(value):
            if not isinstance(item, str):
                raise _fail(where, f"{self.key}[{position}]", f"is {describe(item)}, not a string")
            if "\x00" in item:
                raise _fail(where, f"{self.key}[{position}]", "contains a NUL character")
        return list(value)


@dataclass(frozen=True, slots=True)
class Zone(Field):
    """A time zone of the zoneinfo database, by name ("Europe/Berlin")."""

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        from problemspace.booking.slots import zone

        if not isinstance(value, str) or zone(value) is None:
            raise _fail(
                where,
                self.key,
                f"is {describe(value)}; it must be a time zone name like Europe/Berlin or UTC",
            )
        return value


@dataclass(frozen=True, slots=True)
class Answers(Field):
    """A candidate's screener answers, each naming its question by file-local id.

    The database keys answers by the question's primary key ("q17"), which means nothing in
    another database; the file names the question by its id in `screener_questions` instead, or
    null when the question has since been deleted, and keeps the question's wording as it was
    asked. Answers come in the order of their questions, those without one last.
    """

    section: str = "screener_questions"

    def dump(self, value: Any, ids: IdMaps) -> Any:
        local = ids[self.section]
        entries = []
        for key, entry in (value or {}).items():
            pk = key[1:] if isinstance(key, str) and key[:1] == "q" else ""
            question = local.get(int(pk)) if pk.isdigit() else None
            if not isinstance(entry, dict):
                entry = {"answer": entry}
            asked, answer = entry.get("question", ""), entry.get("answer", "")
            # Shorter keys first, then alphabetically: "deleted-2" before "deleted-10", the
            # order PostgreSQL keeps them in and the order restore numbers them in.
            order = (question is None, question or 0, len(str(key)), str(key))
            entries.append((order, question, asked, answer))
        entries.sort(key=lambda entry: entry[0])
        return [
            {"question": question, "asked": asked, "answer": answer}
            for _, question, asked, answer in entries
        ]

    def load(self, value: Any, where: str, ids: IdMaps) -> Any:
        if not isinstance(value, list):
            raise _fail(where, self.key, f"is {describe(value)}; it must be a list of answers")
        known = ids[self.section]
        answers: dict[str, Any] = {}
        deleted = 0
        for position, entry in enumerate(value):
            path = f"{self.key}[{position}]"
            if not isinstance(entry, dict) or set(entry) != {"question", "asked", "answer"}:
                raise _fail(where, path, 'must be an object with "question", "asked" and "answer"')
            question, asked, answer = entry["question"], entry["asked"], entry["answer"]
            if question is None:
                # A question deleted since: the key only has to be unique, and must not look
                # like a question's.
                deleted += 1
                key = f"deleted-{deleted}"
            elif is_id(question) and question in known:
                key = f"q{known[question]}"
            else:
                raise _fail(
                    where,
                    f"{path}.question",
                    f"refers to screener question {describe(question)}, which the file does not"
                    " define (or defines after this item)",
                )
            if key in answers:
                raise _fail(where, f"{path}.question", "is answered twice")
            if not _is_answer(asked) or not isinstance(asked, str):
                raise _fail(where, f"{path}.asked", f"is {describe(asked)}; it must be a string")
            if not _is_answer(answer):
                raise _fail(
                    where,
                    f"{path}.answer",
                    f"is {describe(answer)}; it must be a string or a list of strings",
                )
            answers[key] = {"question": asked, "answer": answer}
        return answers


def _is_answer(value: Any) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, str) and "\x00" not in item for item in value)
    return isinstance(value, str) and "\x00" not in value


def is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def describe(value: Any) -> str:
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


def text_of(model: type[models.Model], name: str, key: str | None = None, attr: str = "") -> Text:
    """A Text whose limits come from the model, so a migration that changes them is followed."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.CharField | models.TextField)
    return Text(key or name, attr or name, max_length=field.max_length, nullable=field.null)


def money_of(model: type[models.Model], name: str) -> Money:
    field = model._meta.get_field(name)
    assert isinstance(field, models.DecimalField)
    assert field.max_digits is not None and field.decimal_places is not None
    return Money(name, name, field.max_digits, field.decimal_places, nullable=field.null)


def choices_of(choices: type[models.TextChoices]) -> tuple[str, ...]:
    return tuple(str(choice.value) for choice in choices)


def number_of(
    model: type[models.Model], name: str, *, minimum: int = 0, maximum: int = 0
) -> Number:
    """A Number bounded like its column: PositiveSmallIntegerField to 32,767, and so on."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.IntegerField)
    top = 32_767 if isinstance(field, models.SmallIntegerField) else 2**31 - 1
    return Number(name, name, minimum=minimum, maximum=maximum or top, nullable=field.null)
