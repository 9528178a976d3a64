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
# Who wrote a row (author, reviewer, requester) is the customer: a contact, never a team member
# and never a job title; a row's "title" is its subject, put before its text.
FIELDS: dict[str, tuple[str, ...]] = {
    "text": (
        "body",
        "comment",
        "content",
        "message",
        "feedback",
        "description",
        "review",
        "review_text",
        "details",
        "note",
        "note_body",
        "response",
    ),
    "title": ("subject", "summary", "review_title", "headline"),
    "occurred_at": (
        "date",
        "created",
        "created_at",
        "timestamp",
        "submitted_at",
        "time",
        "created_date",
        "date_created",
        "submit_date",
        "when",
        "datetime",
        "date_time",
    ),
    "channel": ("type", "medium", "via"),
    "provenance": (),
    "relayed_by": ("reported_by", "relayed by"),
    "captured_by": ("captured by",),
    "source": (),
    "external_id": ("id", "ticket_id", "review_id", "response_id"),
    "source_url": ("url", "link", "review_link"),
    "score": tuple(SCORE_COLUMNS),
    "score_scale": ("rating_scale",),
    "tags": ("labels", "tag", "labels_name", "labels.name"),
    "account": (
        "account_name",
        "company",
        "company_name",
        "organization",
        "organisation",
        "customer",
    ),
    "account_segment": ("segment",),
    "account_plan": ("plan",),
    "account_revenue": ("revenue", "arr", "mrr", "company_mrr", "annual_revenue"),
    "account_region": ("region",),
    "account_lifecycle": ("lifecycle",),
    "contact_email": (
        "email",
        "requester_email",
        "customer_email",
        "author_email",
        "user_email",
        "contact_email",
    ),
    "contact_name": (
        "name",
        "requester",
        "requester_name",
        "customer_name",
        "author",
        "author_name",
        "reviewer",
        "reviewer_name",
        "user_name",
        "author.login",
    ),
    "contact_role": ("role", "job_title", "job_role"),
}

# Revenue columns whose name says it is monthly: stored as annual revenue, times twelve.
MONTHLY_REVENUE = re.compile(r"(^|_)(mrr|monthly)(_|$)")


_SEPARATORS = re.compile(r"[\s\-./()?:]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def normalise(column: str) -> str:
    """'Ticket ID', 'ticket-id', 'TICKET_ID' and 'ticketId' all read as 'ticket_id'."""
    return _SEPARATORS.sub("_", _CAMEL.sub("_", column.strip())).strip("_").lower()


# Fields a person may fill from several columns, put together ("--map text=Pros --map
# text=Cons"); every other field reads one column.
MULTI_COLUMN = ("text", "contact_name")


def parse_mapping(pairs: Iterable[str]) -> dict[str, str | list[str]]:
    """`["text=Body", "occurred_at=Created"]` -> `{"text": "Body", "occurred_at": "Created"}`;
    `text` or `contact_name` named twice reads both columns, in order."""
    mapping: dict[str, str | list[str]] = {}
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
        earlier = mapping.get(name)
        if earlier is not None and earlier != column:
            if name not in MULTI_COLUMN:
                raise ImportFileError(
                    f"--map {pair!r}: {name} is already read from {earlier!r}; one column "
                    f"fills it (only {' and '.join(MULTI_COLUMN)} can put several together)."
                )
            mapping[name] = [*(earlier if isinstance(earlier, list) else [earlier]), column]
            continue
        mapping[name] = column
    return mapping


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
    """A value from a record by key or dotted path (`requester.email`); a path through a list
    of objects gives the list of their values (`labels.name`: every label's name)."""
    if path in record:
        return record[path]
    value: Any = record
    for part in path.split("."):
        if isinstance(value, list):
            value = [item.get(part) for item in value if isinstance(item, Mapping)]
        elif isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return None
    return value
