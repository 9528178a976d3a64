"""Full-text indexes over evidence text, one per database (see problemspace.evidence.search).

SQLite: an FTS5 table with external content (it stores the index, not a copy of the text),
kept in sync by triggers and filled here from the rows already there. PostgreSQL: a GIN index
on the text's tsvector. Each database skips the other's part.

The SQL is written out here, not imported, so that this migration keeps doing what it did
when the search code changes. A later migration that makes Django rebuild the evidence table
on SQLite (most field changes do) drops its triggers: it must run SQLITE_TRIGGERS again, and
test_search_index checks that they are there.
"""

from django.db import migrations

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE evidence_search USING fts5("
    "text, content='evidence_evidence', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER evidence_search_insert AFTER INSERT ON evidence_evidence BEGIN"
    " INSERT INTO evidence_search (rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER evidence_search_delete AFTER DELETE ON evidence_evidence BEGIN"
    " INSERT INTO evidence_search (evidence_search, rowid, text)"
    " VALUES ('delete', old.id, old.text); END",
    # Only when the text changes: moving evidence to another account must not re-index it.
    "CREATE TRIGGER evidence_search_update AFTER UPDATE OF text ON evidence_evidence BEGIN"
    " INSERT INTO evidence_search (evidence_search, rowid, text)"
    " VALUES ('delete', old.id, old.text);"
    " INSERT INTO evidence_search (rowid, text) VALUES (new.id, new.text); END",
]
SQLITE_FILL = "INSERT INTO evidence_search (evidence_search) VALUES ('rebuild')"
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS evidence_search_insert",
    "DROP TRIGGER IF EXISTS evidence_search_delete",
    "DROP TRIGGER IF EXISTS evidence_search_update",
    "DROP TABLE IF EXISTS evidence_search",
]

POSTGRES_INDEX = (
    "CREATE INDEX evidence_text_search ON evidence_evidence"
    " USING gin (to_tsvector('english'::regconfig, text))"
)
POSTGRES_DROP = ["DROP INDEX IF EXISTS evidence_text_search"]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, [SQLITE_TABLE, *SQLITE_TRIGGERS, SQLITE_FILL])
    elif vendor == "postgresql":
        _run(schema_editor, [POSTGRES_INDEX])


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
