"""How one file's columns become evidence fields: decided once, shown before anything is written.

The layout is built from the file's columns, a sample of its first records, what the user said
(`--map`, `--ignore`, options) and the source recognised from the columns. Everything it
decides is in the preview (`import --dry-run`, the upload page): which column goes to which
field, the columns left out, the source, the date order and the channel of rows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from problemspace.evidence.importing.errors import ImportFileError
from problemspace.evidence.importing.fields import (
    FIELDS,
    MONTHLY_REVENUE,
    lookup,
    normalise,
    scale_of_column,
)
from problemspace.evidence.importing.rows import CHANNEL_SYNONYMS, parse_money
from problemspace.evidence.importing.sources import JOINED, Source, by_key, matches, recognise
from problemspace.evidence.models import Channel, Provenance, ScoreScale

# Records read ahead to decide the date order, find a survey's free-text answers and show
# sample values: enough to meet a day above 12 in most exports, cheap to read twice.
SAMPLE_RECORDS = 500
SHOWN_SAMPLES = 3

_SLASHED = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_DOTTED = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{2,4}\b")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_RECOMMEND = re.compile(r"recommend|nps", re.IGNORECASE)
_SURVEY_META = re.compile(
    r"^(#|response_id|token|network_id|start_date|submit_date|end_date|ip_address|"
    r"respondent_id|collector_id|email_address|first_name|last_name|custom_data|tags|"
    r"score|nps|rating|date|name|email|user_agent|language|platform)"
)
SKIPPED_NO_WORDS = "no words at all (an empty text, a rating without a review)"


@dataclass
class Layout:
    columns: list[str]  # every column of the file (for JSON, every key path of its records)
    fields: dict[str, list[str]]  # field -> the columns it reads (text: put together)
    source: Source | None = None
    how: dict[str, str] = field(default_factory=dict)  # field -> "mapped", "source", "name"
    tag_columns: dict[str, str] = field(default_factory=dict)  # column -> tag prefix
    skip: dict[str, tuple[frozenset[str], str]] = field(default_factory=dict)
    channel: str = Channel.OTHER  # for rows whose channel column is empty or absent
    channel_values: dict[str, str] = field(default_factory=dict)  # tool's value -> ours
    provenance: str = Provenance.FIRST_HAND
    score_scale: str = ""
    revenue_factor: int = 1
    dayfirst: bool = False
    date_order: str = ""  # how the date order was decided, for the preview
    timezone: tzinfo | None = None  # named by the date column's header: "Created (UTC)"
    labelled: bool = False  # joined text parts keep their column's question
    tags_by_space: bool = False
    anonymous: re.Pattern[str] | None = None
    ignored_by_user: list[str] = field(default_factory=list)
    samples: dict[str, list[str]] = field(default_factory=dict)  # column -> first values

    @property
    def used(self) -> set[str]:
        used = {c for columns in self.fields.values() for c in columns}
        return used | set(self.tag_columns) | set(self.skip)

    @property
    def ignored(self) -> list[str]:
        used = self.used
        return [c for c in self.columns if c not in used]

    def column_of(self, name: str) -> str | None:
        """The column a field reads, as a person names it ("Review Title + Review Text")."""
        columns = self.fields.get(name)
        return " + ".join(columns) if columns else None

    def destination(self, column: str) -> str:
        """Where a column's values go, in words, for the preview."""
        for name, columns in self.fields.items():
            if column in columns:
                if name == "account_revenue" and self.revenue_factor != 1:
                    return "account_revenue (monthly, times 12)"
                if name == "score" and self.score_scale:
                    return f"score ({self.score_scale})"
                return name
        if column in self.tag_columns:
            return f'tags ("{self.tag_columns[column]}: …")'
        if column in self.skip:
            return f"rows {self.skip[column][1]} skipped"
        return "ignored"

    def read(
        self, record: Mapping[str, Any], skipped: Counter[str], channels: Counter[str]
    ) -> dict[str, Any] | None:
        """field -> raw value for the validator, or None for a row that is not evidence."""
        for column, (values, why) in self.skip.items():
            if str(lookup(record, column) or "").strip().lower() in values:
                skipped[f"{why}"] += 1
                return None
        raw: dict[str, Any] = {}
        for name, columns in self.fields.items():
            if len(columns) > 1:
                # What the customer wrote is kept as written; only empty parts are left out.
                parts = [(c, _verbatim(lookup(record, c))) for c in columns]
                raw[name] = JOINED.get(name, " ").join(
                    _labelled(c, p) if self.labelled and name == "text" else p
                    for c, p in parts
                    if p.strip()
                )
            else:
                raw[name] = lookup(record, columns[0])
        if self.anonymous is not None and self.anonymous.search(_plain(raw.get("contact_name"))):
            raw["contact_name"] = ""
        _person_in_name(raw)
        if not _plain(raw.get("text")) and not _plain(raw.get("title")):
            skipped[SKIPPED_NO_WORDS] += 1
            return None
        if self.tags_by_space and isinstance(raw.get("tags"), str):
            raw["tags"] = raw["tags"].split()
        if self.tag_columns:
            tags = raw.get("tags")
            extra = [
                f"{prefix}: {value}"
                for column, prefix in self.tag_columns.items()
                if (value := _plain(lookup(record, column)))
            ]
            if extra:
                raw["tags"] = [*(_as_list(tags)), *extra]
        raw["channel"] = self._channel(raw.get("channel"), channels)
        if self.revenue_factor != 1 and _plain(raw.get("account_revenue")):
            raw["account_revenue"] = _times(raw["account_revenue"], self.revenue_factor)
        return raw

    def _channel(self, value: Any, channels: Counter[str]) -> str:
        text = _plain(value).lower()
        if not text:
            return self.channel
        ours = (
            self.channel_values.get(text)
            or CHANNEL_SYNONYMS.get(text)
            or CHANNEL_SYNONYMS.get(text.replace("_", " "))
        )
        if ours is None:
            # A support desk's "Messenger" or "Web Widget" is still a ticket; a value nobody
            # knows is kept as the file's default, and counted in the report.
            channels[f"{_plain(value)[:40]} → {self.channel}"] += 1
            return self.channel
        return str(ours)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(p for p in (_plain(v) for v in value) if p)
    return str(value).strip()


def _labelled(column: str, text: str) -> str:
    """A review site's answer under its question ("What do you dislike? Sync errors."), so
    likes and dislikes put together stay told apart."""
    question = column.strip()
    return f"{question} {text}" if question.endswith(("?", ":")) else f"{question}: {text}"


_NAME_AND_ADDRESS = re.compile(
    r"^\s*(?P<name>[^<(;]*?)\s*[<(]\s*(?P<email>[^<>()\s;]+@[^<>()\s;]+)\s*[>)]"
)


def _person_in_name(raw: dict[str, Any]) -> None:
    """A name cell that holds the address too ("Grace Whitmore (grace@elm.com)", as a CRM
    writes an associated contact; several separated by ";": the first) gives both."""
    name = _plain(raw.get("contact_name"))
    if "@" not in name or _plain(raw.get("contact_email")):
        return
    match = _NAME_AND_ADDRESS.match(name)
    if match:
        raw["contact_name"], raw["contact_email"] = match["name"], match["email"]
    elif _EMAIL.fullmatch(name.split(";")[0].strip()):
        raw["contact_name"], raw["contact_email"] = "", name.split(";")[0].strip()


def _verbatim(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(_verbatim(v) for v in value)
    return "" if value is None else str(value)


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    return re.split(r"[;,]", str(value))


def _times(value: Any, factor: int) -> str:
    amount = parse_money(_plain(value))
    return _plain(value) if amount is None else str(amount * Decimal(factor))


def key_paths(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every key of JSON records, and the paths into their nested objects and lists of
    objects (`author.login`, `labels.name`), in the order first met."""
    paths: dict[str, None] = {}
    for record in records:
        for key, value in record.items():
            paths.setdefault(str(key), None)
            inner = value[0] if isinstance(value, list) and value else value
            if isinstance(inner, Mapping):
                for sub in inner:
                    paths.setdefault(f"{key}.{sub}", None)
    return list(paths)


def build(
    columns: Sequence[str],
    sample: Sequence[Mapping[str, Any]],
    *,
    mapping: Mapping[str, str | Sequence[str]],
    ignore: Iterable[str],
    channel: str,
    provenance: str,
    score_scale: str,
    dayfirst: bool | None,
    file_name: str,
    source_key: str | None = None,
    open_ended: Collection[str] = (),
) -> Layout:
    """The layout of a file with these columns, the first records `sample`, and the user's
    choices (an explicit --map or --ignore always wins over what is recognised)."""
    by_lower = {c.lower(): c for c in columns}
    ignored = []
    for column in ignore:
        if column.lower() not in by_lower:
            raise ImportFileError(
                f"--ignore {column}: {file_name} has no column {column!r}. "
                f"Its columns are: {', '.join(columns)}."
            )
        ignored.append(by_lower[column.lower()])
    # A JSON object or a list of objects is read through its paths (labels.name), never
    # stored whole as a text.
    readable = [c for c in columns if c not in ignored and not _holds_objects(sample, c)]
    normal: dict[str, str] = {}
    for column in readable:
        normal.setdefault(normalise(column), column)
    for column in readable:
        # "Created at (America/New_York)" is also "created_at" (after every exact name); the
        # zone is read below.
        normal.setdefault(normalise(_TRAILING_NOTE.sub("", column)), column)
    source = by_key(source_key) if source_key else recognise(normal)
    layout = Layout(columns=list(columns), fields={}, source=source, ignored_by_user=ignored)

    for name, wanted in mapping.items():
        chosen = [wanted] if isinstance(wanted, str) else list(wanted)
        for column in chosen:
            if column.lower() not in by_lower:
                raise ImportFileError(
                    f"--map {name}={column}: {file_name} has no column {column!r}. "
                    f"Its columns are: {', '.join(columns)}."
                )
        layout.fields[name] = [by_lower[column.lower()] for column in chosen]
        layout.how[name] = "mapped"
    taken = {c for cs in layout.fields.values() for c in cs}

    def free(candidate: str, reuse: bool = False) -> str | None:
        found = matches(candidate, [n for n, c in normal.items() if reuse or c not in taken])
        return normal[found] if found else None

    if source is not None:
        for name, candidates in source.fields.items():
            if name in layout.fields:
                continue
            # A link back may be the column that is also the id (an issue's URL).
            reuse = name == "source_url"
            found = [c for c in (free(x, reuse) for x in candidates) if c]
            if name not in source.joined:
                found = found[:1]
            if found:
                layout.fields[name] = list(dict.fromkeys(found))
                layout.how[name] = "source"
                taken.update(found)
        layout.tag_columns = {
            normal[n]: prefix
            for n, prefix in source.tag_columns.items()
            if n in normal and normal[n] not in taken
        }
        taken.update(layout.tag_columns)
        layout.skip = {normal[n]: rule for n, rule in source.skip.items() if n in normal}
        layout.channel_values = dict(source.channel_values)
        layout.labelled = source.labelled
        layout.tags_by_space = source.tags_by_space
        layout.anonymous = re.compile(source.anonymous) if source.anonymous else None
        if source.survey:
            _survey_fields(layout, normal, taken, sample, open_ended)
    for name, aliases in FIELDS.items():
        if name in layout.fields:
            continue
        if source is not None and name in ("captured_by", "source"):
            continue  # a known tool's export names no team member, and its source is the tool
        for candidate in (name, *aliases):
            named = free(normalise(candidate))
            if named is not None:
                layout.fields[name] = [named]
                layout.how[name] = "name"
                taken.add(named)
                break
    if "text" not in layout.fields and "title" not in layout.fields:
        raise ImportFileError(
            f"{file_name} has no column with the evidence text. Its columns are: "
            f"{', '.join(columns)}. Name the one holding what the customer said with "
            "--map text=COLUMN."
        )

    layout.channel = CHANNEL_SYNONYMS.get(channel, "") or (
        source.channel if source else Channel.OTHER
    )
    layout.provenance = provenance or (source.provenance if source else Provenance.FIRST_HAND)
    score_columns = layout.fields.get("score")
    layout.score_scale = (
        score_scale
        or layout.score_scale  # a survey's recommend question
        or (source.score_scale if source and layout.how.get("score") != "mapped" else "")
        or (scale_of_column(score_columns[0]) if score_columns else "")
    )
    revenue = layout.fields.get("account_revenue")
    if revenue and MONTHLY_REVENUE.search(normalise(revenue[0])):
        layout.revenue_factor = 12
    layout.dayfirst, layout.date_order = _date_order(layout, sample, dayfirst)
    dates = layout.fields.get("occurred_at")
    layout.timezone = _zone_named(dates[0]) if dates else None
    if layout.timezone is not None:
        zone = f"in {layout.timezone} (the column's name says so)"
        layout.date_order = f"{layout.date_order}; {zone}" if layout.date_order else zone
    layout.samples = {column: values for column in columns if (values := _samples(sample, column))}
    return layout


def _holds_objects(sample: Sequence[Mapping[str, Any]], column: str) -> bool:
    for record in sample:
        value = record.get(column)
        inner = value[0] if isinstance(value, list) and value else value
        if isinstance(inner, Mapping):
            return True
    return False


def _survey_fields(
    layout: Layout,
    normal: Mapping[str, str],
    taken: set[str],
    sample: Sequence[Mapping[str, Any]],
    open_ended: Collection[str],
) -> None:
    """A survey's text is its free-text answers; a 0-10 question about recommending is NPS.

    Where the export marks its free-text questions (SurveyMonkey's "Open-Ended Response"),
    those are the text. Otherwise a question (its header is words, not a hidden field's
    `company` or `utm_source`) whose answers differ from person to person and run to a dozen
    characters is free text; a multiple-choice question repeats a handful of short options.
    """
    answers: list[str] = []
    for name, column in normal.items():
        if column in taken or _SURVEY_META.match(name):
            continue
        if open_ended and column not in open_ended and not _RECOMMEND.search(column):
            continue
        values = [_plain(lookup(r, column)) for r in sample]
        values = [v for v in values if v]
        if not values:
            continue
        if "contact_email" not in layout.fields and sum(
            bool(_EMAIL.fullmatch(v)) for v in values
        ) >= 0.8 * len(values):
            layout.fields["contact_email"] = [column]
            layout.how["contact_email"] = "source"
            taken.add(column)
            continue
        numbers = [v for v in values if re.fullmatch(r"-?\d+(\.\d+)?", v)]
        if len(numbers) == len(values):
            if (
                "score" not in layout.fields
                and _RECOMMEND.search(column)
                and all(0 <= float(v) <= 10 for v in numbers)
            ):
                layout.fields["score"] = [column]
                layout.how["score"] = "source"
                layout.score_scale = layout.score_scale or ScoreScale.NPS
                taken.add(column)
            continue
        if column in open_ended:
            answers.append(column)
            continue
        distinct = len(set(values))
        mean_length = sum(len(v) for v in values) / len(values)
        asked = " " in column.strip() or column.strip().endswith("?")
        if asked and mean_length >= 12 and distinct >= max(2, len(values) // 2):
            answers.append(column)
    if answers and "text" not in layout.fields:
        layout.fields["text"] = answers
        layout.how["text"] = "source"
        taken.update(answers)
    if "score" in layout.fields and layout.how.get("score") == "source":
        layout.score_scale = layout.score_scale or ScoreScale.NPS


_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
_ZONE_IN_NAME = re.compile(r"\(\s*([A-Za-z_]+(?:/[A-Za-z_+\-]+)*)\s*\)\s*$")


def _zone_named(column: str) -> tzinfo | None:
    """The time zone a date column's header names: "Created at (America/New_York)", "(UTC)"."""
    match = _ZONE_IN_NAME.search(column)
    if not match:
        return None
    try:
        return ZoneInfo(match.group(1))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _date_order(
    layout: Layout, sample: Sequence[Mapping[str, Any]], dayfirst: bool | None
) -> tuple[bool, str]:
    if dayfirst is not None:
        return dayfirst, "day first (as told)" if dayfirst else "month first (as told)"
    columns = layout.fields.get("occurred_at")
    if not columns:
        return False, ""
    day_first = month_first = dotted = slashed = 0
    example = ""
    for record in sample:
        value = _plain(lookup(record, columns[0]))
        match = _SLASHED.match(value)
        if not match:
            continue
        slashed += 1
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            day_first += 1
            example = example or value
        elif second > 12 >= first:
            month_first += 1
            example = example or value
        dotted += bool(_DOTTED.match(value))
    if day_first and not month_first:
        return True, f"day first (the file has dates like {example!r})"
    if month_first and not day_first:
        return False, f"month first (the file has dates like {example!r})"
    if dotted:
        return True, "day first (dates written with dots, 04.03.2025)"
    if day_first and month_first:
        return False, "month first, though some dates read day first (those rows are listed)"
    if not slashed:
        return False, ""
    return False, "month first (nothing in the first rows decides; pass --dayfirst if not)"


def _samples(sample: Sequence[Mapping[str, Any]], column: str) -> list[str]:
    values: list[str] = []
    for record in sample:
        value = _plain(lookup(record, column))
        if value and value not in values:
            values.append(value if len(value) <= 60 else value[:59] + "…")
            if len(values) == SHOWN_SAMPLES:
                break
    return values
