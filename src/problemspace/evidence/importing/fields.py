"""The fields an import fills, and which column of the file each one comes from.

A column is found by the field's name or one of its aliases, whatever the case, so the
exports of common tools import as they are; `--map field=Column` names any other column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from problemspace.evidence.importing.errors import ImportFileError
from problemspace.evidence.models import ScoreScale

# Columns of scores whose name says the scale (normalised names): the exports of app stores,
# review sites and survey tools. Any other column of scores needs --score-scale.
SCORE_COLUMNS: dict[str, str] = {
    "rating": ScoreScale.STARS,
    "stars": ScoreScale.STARS,
    "star_rating": ScoreScale.STARS,
    "review_rating": ScoreScale.STARS,
    "nps": ScoreScale.NPS,
    "nps_score": ScoreScale.NPS,
    "likelihood_to_recommend": ScoreScale.NPS,
    "csat": ScoreScale.CSAT,
    "csat_score": ScoreScale.CSAT,
    "satisfaction": ScoreScale.CSAT,
}

# field -> aliases (lowercase). The field names are also the columns of the CSV export.
FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("body", "comment", "content", "message", "feedback", "description", "review"),
    "occurred_at": ("date", "created", "created_at", "timestamp", "submitted_at", "time"),
    "channel": ("type", "medium"),
    "provenance": (),
    "relayed_by": ("reported_by", "relayed by"),
    "captured_by": ("captured by", "agent", "author"),
    "source": (),
    "external_id": ("id", "ticket_id", "review_id", "response_id"),
    "source_url": ("url", "link"),
    "score": tuple(SCORE_COLUMNS),
    "score_scale": ("rating_scale",),
    "tags": ("labels", "tag"),
    "account": ("account_name", "company", "organization", "organisation", "customer"),
    "account_segment": ("segment",),
    "account_plan": ("plan",),
    "account_revenue": ("revenue", "arr", "mrr"),
    "account_region": ("region",),
    "account_lifecycle": ("lifecycle",),
    "contact_email": ("email", "requester_email", "customer_email"),
    "contact_name": ("name", "requester", "requester_name", "customer_name"),
    "contact_role": ("role", "title", "job_title"),
}


_SEPARATORS = re.compile(r"[\s\-.]+")


def normalise(column: str) -> str:
    """'Ticket ID', 'ticket-id' and 'TICKET_ID' all read as 'ticket_id'."""
    return _SEPARATORS.sub("_", column.strip().lower())


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """`["text=Body", "occurred_at=Created"]` -> `{"text": "Body", "occurred_at": "Created"}`."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        name, column = name.strip().lower(), column.strip()
        if name == "date":
            name = "occurred_at"
        if not sep or not name or not column:
            raise ImportFileError(
                f"--map {pair!r} is not FIELD=COLUMN (for example --map text=Body)."
            )
        if name not in FIELDS:
            raise ImportFileError(
                f"--map {pair!r}: there is no field {name!r}. Fields: {', '.join(FIELDS)}."
            )
        mapping[name] = column
    return mapping


def resolve_columns(
    columns: list[str], mapping: Mapping[str, str], file_name: str
) -> dict[str, str]:
    """For a file with a header: field -> the column it reads from."""
    by_lower = {column.lower(): column for column in columns}
    by_normal = {normalise(column): column for column in reversed(columns)}
    resolved: dict[str, str] = {}
    for name, column in mapping.items():
        if column.lower() not in by_lower:
            raise ImportFileError(
                f"--map {name}={column}: {file_name} has no column {column!r}. "
                f"Its columns are: {', '.join(columns)}."
            )
        resolved[name] = by_lower[column.lower()]
    taken = set(resolved.values())
    for name, aliases in FIELDS.items():
        if name in resolved:
            continue
        for candidate in (name, *aliases):
            found = by_normal.get(normalise(candidate))
            if found is not None and found not in taken:
                resolved[name] = found
                taken.add(found)
                break
    if "text" not in resolved:
        raise ImportFileError(
            f"{file_name} has no column with the evidence text. Its columns are: "
            f"{', '.join(columns)}. Name the one holding what the customer said with "
            "--map text=COLUMN."
        )
    return resolved


def scale_of_column(column: str | None) -> str:
    """The scale a column of scores is on by its name ("Star rating": stars), or ""."""
    return SCORE_COLUMNS.get(normalise(column), "") if column else ""


def default_score_scale(
    fields: Mapping[str, str], option: str, file_name: str, what: str = "column"
) -> str:
    """The scale of the scores of a file whose field -> column mapping is `fields`.

    A row's own score_scale comes first; for rows without one, --score-scale, then what the
    score column's name says. A file of bare scores with neither is refused as a whole: no
    row could be read right, and guessing would store fours of every scale as the same thing.
    """
    column = fields.get("score")
    if column is None:
        return ""
    scale = option or scale_of_column(column)
    if not scale and "score_scale" not in fields:
        raise ImportFileError(
            f"{file_name} has a {what} of scores ({column!r}) but nothing says their scale: a 4"
            " may be four stars, a CSAT of 4 or a middling NPS. Pass --score-scale stars, nps"
            " or csat (on the import page: the scale of scores), or add a score_scale "
            f"{what}."
        )
    return scale


def lookup(record: Mapping[str, Any], path: str) -> Any:
    """A value from a JSON record by key or dotted path (`requester.email`)."""
    if path in record:
        return record[path]
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def resolve_json_fields(record: Mapping[str, Any], mapping: Mapping[str, str]) -> dict[str, str]:
    """For JSON Lines: field -> key, from the explicit mapping and the first record's keys."""
    resolved = dict(mapping)
    by_normal = {normalise(str(key)): str(key) for key in reversed(list(record))}
    for name, aliases in FIELDS.items():
        if name in resolved:
            continue
        for candidate in (name, *aliases):
            key = by_normal.get(normalise(candidate))
            if key is not None:
                resolved[name] = key
                break
    return resolved
