"""Keyword search over evidence text: the inbox's text filter and `problemspace search`.

Both databases answer from a full-text index, never by reading every row: SQLite from the FTS5
table `evidence_search` (kept in sync by triggers, see migration 0002), PostgreSQL from a GIN
index on `to_tsvector('english', text)`. The query language is the same on both, a small subset
of what web search engines accept (see docs/search.md):

    slow export         both words (in any form: "exports", "exporting")
    "month end"         the words next to each other, in this order
    sso OR saml         either word
    -okta               not this word (-"a phrase" leaves out a phrase)
    integr*             words starting with this

People's text is never handed to the database's own query syntax. It is cut into words and
phrases here, and each reaches the database as a quoted string (FTS5) or as the argument of
phraseto_tsquery (PostgreSQL), so `AND`, `NEAR(`, `"`, `*` or `:` are plain characters that
cannot break a query.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F, QuerySet
from django.db.models.sql.compiler import SQLCompiler

from problemspace.evidence.models import Evidence
from problemspace.workspaces.models import Workspace

# The FTS5 table over Evidence.text on SQLite (created by migration 0002).
SQLITE_TABLE = "evidence_search"
# The text search configuration of the PostgreSQL index; queries must name the same one, or
# PostgreSQL cannot use the index.
POSTGRES_CONFIG = "english"
MAX_QUERY_LENGTH = 200
# How the inbox chooses between looking matches up and walking its index (see `matching`).
SQLITE_DENSE_MATCHES = 20_000
SQLITE_VERY_DENSE_MATCHES = 120_000
POSTGRES_FEW_MATCHES = 1_000
# Keyword search ranks all matches up to this many on PostgreSQL (see `keyword_search`).
POSTGRES_RANKED = 200
# Memory for merging new entries into PostgreSQL's index during imports and restores.
BULK_MEMORY = "64MB"

_QUOTED_OR_WORD = re.compile(r'-?"[^"]*(?:"|$)|[^\s"]+')
# Letters and digits in any script: what both databases' tokenizers keep as words.
_WORD_CHARACTER = re.compile(r"[^\W_]")
_PREFIX_WORD = re.compile(r"[^\W_]+")
_HYPHEN_IN_WORD = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
# NUL cannot travel to PostgreSQL, and no control character is part of a word.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SearchError(ValueError):
    """The query has nothing to look for; the message says why, for the person who typed it."""


@dataclass(frozen=True)
class Term:
    """One word or quoted phrase of a query, as typed (without its quotes, `-` or `*`)."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: every group must match (a group matches when any of its terms does),
    and no excluded term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    def fts5(self) -> str:
        """The query in SQLite FTS5 syntax, every term a quoted string."""

        def term(t: Term) -> str:
            quoted = '"' + t.text.replace('"', '""') + '"'
            return f"{quoted} *" if t.prefix else quoted

        expression = " AND ".join("(" + " OR ".join(map(term, g)) + ")" for g in self.groups)
        for t in self.excluded:
            expression = f"({expression}) NOT {term(t)}"
        return expression

    def tsquery(self) -> tuple[str, list[str]]:
        """A PostgreSQL tsquery expression in SQL, and its parameters.

        Terms are combined with tsquery operators in SQL rather than written into one tsquery
        string, so no text of the person's can be read as tsquery syntax.
        """
        params: list[str] = []

        def term(t: Term) -> str:
            if t.prefix:
                # The text is letters and digits only (see parse_query): nothing to escape.
                params.append(f"'{t.text}':*")
                return f"to_tsquery('{POSTGRES_CONFIG}', %s)"
            # PostgreSQL keeps "month-end" whole as well as in parts, so the whole would not
            # find "month end"; as parts it finds both, as on SQLite.
            params.append(_HYPHEN_IN_WORD.sub(" ", t.text))
            return f"phraseto_tsquery('{POSTGRES_CONFIG}', %s)"

        groups = ["(" + " || ".join(map(term, g)) + ")" for g in self.groups]
        groups += [f"!!{term(t)}" for t in self.excluded]
        return "(" + " && ".join(groups) + ")", params


def parse_query(text: str) -> SearchQuery:
    """Read what a person typed into a SearchQuery; SearchError when there is nothing to find.

    Words and phrases are all required; `OR` between two of them makes either do; `-` before
    one excludes it; `*` after a word matches words starting with it. Anything else (quotes
    left open, brackets, operators of other search syntaxes) is read as plain text.
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchError(f"Search for at most {MAX_QUERY_LENGTH} characters at a time.")
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for unit in _QUOTED_OR_WORD.findall(_CONTROL.sub(" ", text)):
        if unit.lower() == "or":
            pending_or = bool(groups)
            continue
        negated = unit.startswith("-")
        term = _term(unit[1:] if negated else unit)
        if term is None:
            continue
        if negated:
            excluded.append(term)
            pending_or = False
        elif pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    if not groups:
        if excluded:
            raise SearchError(
                "Add a word to look for: a search cannot only leave words out (-word)."
            )
        raise SearchError(f"{text.strip()!r} has no words to search for.")
    return SearchQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def _term(unit: str) -> Term | None:
    """A unit as a term; None when it holds no letter or digit, so no database sees it."""
    if unit.startswith('"'):
        phrase = unit[1:-1] if len(unit) > 1 and unit.endswith('"') else unit[1:]
        return Term(phrase.strip()) if _WORD_CHARACTER.search(phrase) else None
    if unit.endswith("*") and _PREFIX_WORD.fullmatch(unit.rstrip("*")):
        return Term(unit.rstrip("*"), prefix=True)
    return Term(unit) if _WORD_CHARACTER.search(unit) else None


class Plan(enum.Enum):
    """How SQLite answers "does this row match?" (see `matching` for when each is taken)."""

    LOOK_UP = "look up"  # read the matches' ids from the index, then fetch each row
    WALK = "walk"  # read the matches' ids once, then test each row walked against them
    PROBE = "probe"  # ask the index about each row walked


class Matches(Expression):
    """`text` matches the query: a WHERE condition that the text index answers."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, query: SearchQuery, *, plan: Plan = Plan.LOOK_UP) -> None:
        super().__init__()
        self.query = query
        self.plan = plan
        # FTS5 looks rows up by id; PostgreSQL's index is on an expression of the text.
        self.pk: Any = F("pk")
        self.text: Any = F("text")

    def get_source_expressions(self) -> list[Any]:
        return [self.pk, self.text]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.pk, self.text = exprs

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        raise NotImplementedError(f"Text search is not available on {connection.vendor}.")

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        pk, params = compiler.compile(self.pk)
        if self.plan is Plan.PROBE:
            sql = (
                f"EXISTS (SELECT 1 FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"  # noqa: S608
                f" AND rowid = {pk})"
            )
            return sql, [self.query.fts5(), *params]
        # The unary + keeps SQLite from looking each match up by id (see `matching`).
        column = f"+{pk}" if self.plan is Plan.WALK else pk
        sql = f"{column} IN (SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s)"  # noqa: S608
        return sql, [*params, self.query.fts5()]

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        text, params = compiler.compile(self.text)
        tsquery, tsquery_params = self.query.tsquery()
        return f"{_tsvector(text)} @@ {tsquery}", [*params, *tsquery_params]


def _tsvector(column: str) -> str:
    # Exactly the expression of the index (migration 0002), so that PostgreSQL can use it.
    return f"to_tsvector('{POSTGRES_CONFIG}'::regconfig, {column})"


def prepare_bulk_insert() -> None:
    """Make the text index cheaper to fill for the rest of this transaction.

    On PostgreSQL new entries of a GIN index wait in a pending list that is merged into the
    index whenever it outgrows gin_pending_list_limit (4 MB), in batches of work_mem (4 MB).
    Sixteen times both nearly halves what the index adds to a large import. What is left
    pending at the end is merged by autovacuum, which a large import sets off. SQLite's
    index needs nothing: its triggers are cheap when rows come many to a statement (see
    importing/bulk.py).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL gin_pending_list_limit = '{BULK_MEMORY}'")
            cursor.execute(f"SET LOCAL work_mem = '{BULK_MEMORY}'")


def matching(queryset: QuerySet[Evidence], text: str) -> QuerySet[Evidence]:
    """`queryset` narrowed to the evidence whose text matches the query `text`.

    The inbox wants the newest matches first, a page at a time, and there are two ways to
    that. When few rows match, look each match up and sort them; when many do, walk the
    newest-first index and keep the rows that match, which finds a page long before a sort
    of them all would finish. Taking the walk when few match is what hurts: it reads every
    row. Neither planner can be trusted to choose, so this counts first:

    - SQLite cannot tell how many rows match, and always looks them up and sorts them (a
      second for 800,000 matches). FTS5 counts the matches of all workspaces, up to
      SQLITE_VERY_DENSE_MATCHES, in a few milliseconds, and the count picks one of three
      plans. Under SQLITE_DENSE_MATCHES, look them up and sort them. Up to
      SQLITE_VERY_DENSE_MATCHES, walk, reading the matches' ids once so that each row walked
      is one cheap test (about 0.1 µs an id read). Beyond, reading the ids costs more than
      it saves: walk, and ask the index about each row walked (about 25 µs a row, and in so
      dense a text few rows are walked to fill a page). On a million rows each plan takes
      under 20 ms where it is chosen (docs/benchmarks.md).
    - PostgreSQL guesses from its statistics, and guesses that a word it has no statistics
      for is in 0.5% of the rows: when the true share is far lower (a rare word, or none) it
      walks all of them, seconds on a million. So the first POSTGRES_FEW_MATCHES + 1 matches
      of `queryset` are fetched first, a question it answers from the index when few match,
      and from the first rows it reads when many do; when that is all there is, the inbox
      looks up those ids and sorts them.

    SearchError when the query has nothing to look for.
    """
    query = parse_query(text)
    if connection.vendor == "sqlite":
        matches = _sqlite_matches(query, SQLITE_VERY_DENSE_MATCHES)
        if matches >= SQLITE_VERY_DENSE_MATCHES:
            plan = Plan.PROBE
        elif matches >= SQLITE_DENSE_MATCHES:
            plan = Plan.WALK
        else:
            plan = Plan.LOOK_UP
        return queryset.filter(Matches(query, plan=plan))
    condition = Matches(query)
    first = queryset.filter(condition).order_by().values_list("pk", flat=True)
    few = list(first[: POSTGRES_FEW_MATCHES + 1])
    if len(few) <= POSTGRES_FEW_MATCHES:
        return queryset.filter(pk__in=few)
    return queryset.filter(condition)


def _sqlite_matches(query: SearchQuery, limit: int) -> int:
    """How many rows of any workspace match, counting no further than `limit`."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT rowid FROM {SQLITE_TABLE}"  # noqa: S608
            f" WHERE {SQLITE_TABLE} MATCH %s LIMIT %s)",
            [query.fts5(), limit],
        )
        return int(cursor.fetchone()[0])


@dataclass(frozen=True)
class Hit:
    """One search result; a higher score is a better match, comparable within one search."""

    evidence_id: int
    score: float


def keyword_search(workspace: Workspace, query: str, limit: int = 20) -> list[Hit]:
    """The `limit` pieces of evidence of `workspace` that match `query` best, best first.

    Relevance is BM25 on SQLite and cover density (ts_rank_cd) on PostgreSQL; ties go to the
    newest. Ranking reads every match, though, and a word in a third of a million items has
    300,000: seconds. When the words are in that much evidence (on SQLite as many matches as
    make the inbox walk its index, see `matching`; on PostgreSQL, where each match costs far
    more, over POSTGRES_RANKED), words alone can hardly tell the matches apart, so the newest
    come first, each with score 0: on PostgreSQL found the way the inbox finds them, on
    SQLite the latest recorded, which FTS5 reads straight from its index, newest first,
    stopping at `limit` (a millisecond where the inbox's order takes tens).
    SearchError when the query has nothing to look for.
    """
    parsed = parse_query(query)
    if connection.vendor == "sqlite":
        if _sqlite_matches(parsed, SQLITE_DENSE_MATCHES) < SQLITE_DENSE_MATCHES:
            return _ranked_sqlite(workspace, parsed, limit)
        return _latest_sqlite(workspace, parsed, limit)
    if connection.vendor != "postgresql":
        raise NotImplementedError(f"Text search is not available on {connection.vendor}.")
    matches = Evidence.objects.filter(workspace=workspace).filter(Matches(parsed))
    # Each match ranked or looked for parses its text again (40 µs), so fewer are looked
    # for than the inbox does: the first POSTGRES_RANKED + 1 of them, from the index when
    # few match and from the first rows read when many do.
    few = list(matches.order_by().values_list("pk", flat=True)[: POSTGRES_RANKED + 1])
    if len(few) <= POSTGRES_RANKED:
        return _ranked_postgres(parsed, few, limit)
    # As the inbox walks when many match (see `matching`).
    ids = matches.order_by("-occurred_at", "-id").values_list("pk", flat=True)[:limit]
    return [Hit(evidence_id=pk, score=0.0) for pk in ids]


def _ranked_sqlite(workspace: Workspace, parsed: SearchQuery, limit: int) -> list[Hit]:
    evidence = connection.ops.quote_name(Evidence._meta.db_table)
    with connection.cursor() as cursor:
        # bm25() is lower for better matches; negated so that higher is better everywhere.
        cursor.execute(
            f"SELECT e.id, -bm25({SQLITE_TABLE}) AS score"  # noqa: S608
            f" FROM {SQLITE_TABLE} JOIN {evidence} e ON e.id = {SQLITE_TABLE}.rowid"
            f" WHERE {SQLITE_TABLE} MATCH %s AND e.workspace_id = %s"
            " ORDER BY score DESC, e.occurred_at DESC, e.id DESC LIMIT %s",
            [parsed.fts5(), workspace.pk, limit],
        )
        return [Hit(evidence_id=pk, score=float(score)) for pk, score in cursor.fetchall()]


def _latest_sqlite(workspace: Workspace, parsed: SearchQuery, limit: int) -> list[Hit]:
    evidence = connection.ops.quote_name(Evidence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.id FROM {SQLITE_TABLE} JOIN {evidence} e ON e.id = {SQLITE_TABLE}.rowid"  # noqa: S608
            f" WHERE {SQLITE_TABLE} MATCH %s AND e.workspace_id = %s"
            f" ORDER BY {SQLITE_TABLE}.rowid DESC LIMIT %s",
            [parsed.fts5(), workspace.pk, limit],
        )
        return [Hit(evidence_id=pk, score=0.0) for (pk,) in cursor.fetchall()]


def _ranked_postgres(parsed: SearchQuery, ids: list[int], limit: int) -> list[Hit]:
    """`ids` (all matches, already of one workspace) ranked by cover density."""
    evidence = connection.ops.quote_name(Evidence._meta.db_table)
    tsquery, params = parsed.tsquery()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.id, ts_rank_cd({_tsvector('e.text')}, {tsquery}) AS score"  # noqa: S608
            f" FROM {evidence} e WHERE e.id = ANY(%s)"
            " ORDER BY score DESC, e.occurred_at DESC, e.id DESC LIMIT %s",
            [*params, ids, limit],
        )
        return [Hit(evidence_id=pk, score=float(score)) for pk, score in cursor.fetchall()]


def highlight_pattern(query: str) -> re.Pattern[str] | None:
    """A regular expression finding the query's words in text, roughly as the index does.

    The index matches word stems ("exports" finds "exporting"), so each word is looked for as
    the start of a word, less up to three letters of ending. For display only: snippets and
    highlighting, never to decide what matches. None when the query has nothing to find.
    """
    try:
        parsed = parse_query(query)
    except SearchError:
        return None
    stems = set()
    for term in (t for group in parsed.groups for t in group):
        for word in _PREFIX_WORD.findall(term.text):
            keep = len(word) if term.prefix or len(word) <= 4 else max(4, len(word) - 3)
            stems.add(re.escape(word[:keep]))
    if not stems:
        return None
    alternatives = "|".join(sorted(stems, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)


def snippet(text: str, query: str, width: int = 160) -> str:
    """About `width` characters of `text` around the first place the query's words appear,
    on one line, with "…" where it was cut; the start of the text when they do not appear."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    pattern = highlight_pattern(query)
    found = pattern.search(flat) if pattern else None
    start = 0
    if found and found.end() > width * 2 // 3:
        # Start about a third of the width before the match, at a word if one starts there.
        start = max(0, found.start() - width // 3)
        space = flat.find(" ", start, found.start())
        start = space + 1 if space >= 0 else start
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", start + width // 2, end)
        end = space if space > 0 else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    return f"{prefix}{flat[start:end].strip()}{suffix}"


def fuse(rankings: list[list[int]], k: int = 60) -> list[int]:
    """Reciprocal rank fusion: one ranking of ids from several (keyword, semantic, ...).

    Each id scores the sum of 1 / (k + rank) over the rankings it is in (rank 1 is the best),
    so what several rankings place high comes first, whatever their scores' scales. k = 60 is
    the constant of Cormack, Clarke and Büttcher (2009); a smaller k favours top ranks more.
    An id repeated within one ranking counts at its best rank; ties keep the order in which
    the ids were first seen, so the result is deterministic.
    """
    if k < 0:
        raise ValueError(f"k must be 0 or more, not {k}.")
    scores: dict[int, float] = {}
    for ranking in rankings:
        seen: set[int] = set()
        for rank, pk in enumerate(ranking, start=1):
            if pk in seen:
                continue
            seen.add(pk)
            scores[pk] = scores.get(pk, 0.0) + 1.0 / (k + rank)
    order = {pk: n for n, pk in enumerate(scores)}
    return sorted(scores, key=lambda pk: (-scores[pk], order[pk]))
