"""Export format 6: the history of edits to problems travels with the workspace, for reading;
a file of format 5 or older restores with an empty history."""

from __future__ import annotations

from problemspace.problems import edits
from problemspace.problems.models import ProblemEdit
from problemspace.problems.tests.factories import make_problem
from problemspace.testing import BaseTestCase
from problemspace.transfer.tests.builders import as_of_version, export_document, restore_document
from problemspace.workspaces.models import Member, Workspace


class ProblemEditsExportTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.bob_member = Member.objects.get(user=self.bob, workspace=self.workspace)
        problem = make_problem(self.workspace, "Exports time out")
        edits.rename(problem, "Month-end exports fail", by=self.bob_member)
        edits.rename(problem, "Exports fail at month-end", by=self.bob_member)
        edits.undo(ProblemEdit.objects.all()[0], by=self.bob_member)
        self.empty = Workspace.objects.create(name="Restored", slug="restored")

    def test_the_export_carries_the_history(self) -> None:
        document = export_document(self.workspace)
        members = {item["id"]: item["email"] for item in document["members"]}
        history = [
            (item["kind"], item["summary"], members[item["made_by"]], item["undone_at"] is None)
            for item in document["problem_edits"]
        ]
        self.assertEqual(
            history,
            [
                (
                    "rename",
                    "Renamed “Exports time out” to “Month-end exports fail”",
                    "bob@example.org",
                    True,
                ),
                (
                    "rename",
                    "Renamed “Month-end exports fail” to “Exports fail at month-end”",
                    "bob@example.org",
                    False,
                ),
            ],
        )
        self.assertNotIn("before", document["problem_edits"][0])

    def test_a_restore_keeps_the_history_for_reading(self) -> None:
        restore_document(self.empty, export_document(self.workspace))
        restored = list(ProblemEdit.objects.filter(workspace=self.empty).order_by("made_at"))
        self.assertEqual(
            [e.summary for e in restored],
            [
                "Renamed “Exports time out” to “Month-end exports fail”",
                "Renamed “Month-end exports fail” to “Exports fail at month-end”",
            ],
        )
        undone_by = restored[1].undone_by
        assert undone_by is not None
        self.assertEqual(undone_by.user.email, "bob@example.org")
        # What undo needs names this installation's rows; a restore starts afresh.
        self.assertTrue(all(edit.before == {} for edit in restored))

    def test_a_version_5_file_restores_with_no_history(self) -> None:
        restore_document(self.empty, as_of_version(export_document(self.workspace), 5))
        self.assertFalse(ProblemEdit.objects.filter(workspace=self.empty).exists())
