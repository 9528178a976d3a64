"""The text index stays in step with the evidence, however the evidence is written."""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Any
from unittest import skipUnless
from unittest.mock import patch

from django.db import connection

from problemspace.evidence import search
from problemspace.evidence.models import Evidence
from problemspace.evidence.search import keyword_search, matching
from problemspace.evidence.tests.factories import make_account, make_evidence
from problemspace.evidence.tests.importing_helpers import run_import, write
from problemspace.testing import BaseTestCase
from problemspace.transfer.tests.builders import export_text, restore_text
from problemspace.workspaces.models import Workspace

migration = importlib.import_module("problemspace.evidence.migrations.0002_evidence_search")


class _SchemaEditor:
    """What the migration's functions use of a schema editor. Django's own refuses to run on
    SQLite inside the transaction a test case holds."""

    def __init__(self) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


class SearchIndexTestCase(BaseTestCase):
    def found(self, query: str, workspace: Workspace | None = None) -> list[int]:
        hits = keyword_search(workspace or self.workspace, query, 50)
        return sorted(hit.evidence_id for hit in hits)

    def assert_index_is_consistent(self) -> None:
        """On SQLite, FTS5 compares its index with the evidence table row by row."""
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO evidence_search (evidence_search, rank) VALUES ('integrity-check', 1)"
                )

    def test_new_evidence_is_found(self) -> None:
        evidence = make_evidence(self.workspace, "Exports are slow.")
        self.assertEqual(self.found("exports"), [evidence.pk])
        self.assert_index_is_consistent()

    def test_changed_text_is_found_by_its_new_words_only(self) -> None:
        evidence = make_evidence(self.workspace, "Exports are slow.")
        evidence.text = "Billing is confusing."
        evidence.save()
        self.assertEqual(self.found("exports"), [])
        self.assertEqual(self.found("billing"), [evidence.pk])
        self.assert_index_is_consistent()

    def test_other_changes_keep_it_found(self) -> None:
        globex = make_account(self.workspace, "Globex")
        evidence = make_evidence(self.workspace, "Exports are slow.", account=globex)
        Evidence.objects.filter(pk=evidence.pk).update(channel="survey")
        globex.delete()  # sets the evidence's account to NULL
        self.assertEqual(self.found("exports"), [evidence.pk])
        self.assert_index_is_consistent()

    def test_deleted_evidence_is_gone(self) -> None:
        evidence = make_evidence(self.workspace, "Exports are slow.")
        kept = make_evidence(self.workspace, "Exports fail.")
        evidence.delete()
        self.assertEqual(self.found("exports"), [kept.pk])
        Workspace.objects.filter(pk=self.workspace.pk).delete()
        self.assert_index_is_consistent()

    def test_imported_evidence_is_found(self) -> None:
        lines = ["Ticket ID,Created,Body"] + [
            f"{n},2025-03-0{1 + n % 9},Ticket {n}: the {'NetSuite' if n % 2 else 'Xero'} sync"
            for n in range(1200)
        ]
        report = run_import(
            self.workspace, write(Path(tempfile.mkdtemp()), "desk.csv", "\n".join(lines))
        )
        self.assertTrue(report.ok, report.errors)
        queryset = Evidence.objects.filter(workspace=self.workspace)
        self.assertEqual(matching(queryset, "netsuite").count(), 600)
        self.assertEqual(matching(queryset, "xero sync").count(), 600)
        self.assert_index_is_consistent()

    def test_restored_evidence_is_found(self) -> None:
        make_evidence(self.workspace, "Exports are slow.")
        make_evidence(self.workspace, "Billing is confusing.")
        restored = Workspace.objects.create(name="Restored", slug="restored")
        restore_text(restored, export_text(self.workspace))
        [evidence] = Evidence.objects.filter(workspace=restored, text__startswith="Exports")
        self.assertEqual(self.found("exports", restored), [evidence.pk])
        self.assert_index_is_consistent()

    def test_the_migration_indexes_what_is_already_there(self) -> None:
        editor = _SchemaEditor()
        migration.drop(None, editor)
        before = make_evidence(self.workspace, "Exports are slow.")
        if connection.vendor == "postgresql":
            # Run the foreign key checks now: PostgreSQL indexes no table with some pending.
            editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        migration.create(None, editor)
        after = make_evidence(self.workspace, "Exports fail.")
        self.assertEqual(self.found("exports"), [before.pk, after.pk])
        self.assert_index_is_consistent()


@skipUnless(connection.vendor == "sqlite", "SQLite's index")
class SqliteIndexTestCase(BaseTestCase):
    def test_the_triggers_are_in_place(self) -> None:
        # Django rebuilds a SQLite table for most field changes, and drops its triggers with
        # it: a migration that does so must create them again (see migration 0002).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name = 'evidence_evidence' ORDER BY name"
            )
            names = [row[0] for row in cursor.fetchall()]
        self.assertEqual(
            names, ["evidence_search_delete", "evidence_search_insert", "evidence_search_update"]
        )


@skipUnless(connection.vendor == "postgresql", "PostgreSQL's index")
class PostgresIndexTestCase(BaseTestCase):
    def test_the_inbox_filter_uses_the_index(self) -> None:
        make_evidence(self.workspace, "Exports are slow.")
        # As when many match: the condition itself, not the ids found by asking it first.
        with patch.object(search, "POSTGRES_FEW_MATCHES", 0):
            queryset = matching(Evidence.objects.all(), "exports")
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            # A handful of rows is cheaper to read whole: rule that out to see that the text
            # index is usable, that is, that the query names the very expression it indexes.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("evidence_text_search", plan)
