"""The history of edits, and undo: each edit taken back leaves the workspace as it was.

Runs on SQLite and on PostgreSQL (CI runs the whole suite on both).
"""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.utils import timezone

from problemspace.evidence.models import Evidence
from problemspace.evidence.tests.factories import make_evidence
from problemspace.problems import edits, history
from problemspace.problems.models import EditKind, Problem, ProblemEdit, ProblemEvidence
from problemspace.problems.services import synthesize_workspace
from problemspace.problems.tests.helpers import load_bias_scenario
from problemspace.synthesis.embedding import HashingEmbedder
from problemspace.testing import BaseTestCase
from problemspace.workspaces.models import Member

LIGHT = HashingEmbedder()


def state(workspace_id: int) -> dict[str, Any]:
    """Everything an edit may change: every problem's row, where each item is placed and by
    whom, and what links to problems from the roadmap, the assumptions and the portal."""
    from problemspace.hypotheses.models import HypothesisProblem
    from problemspace.portal.models import Post
    from problemspace.roadmap.models import InitiativeProblem

    problems = {
        row["id"]: {k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()}
        for row in Problem.objects.filter(workspace_id=workspace_id).values()
    }
    placed = sorted(
        ProblemEvidence.objects.filter(problem__workspace_id=workspace_id).values_list(
            "evidence_id", "problem_id", "placed_by", "duplicate_of_id", "vector_key"
        )
    )
    return {
        "problems": problems,
        "placed": placed,
        "initiatives": sorted(
            InitiativeProblem.objects.values_list("id", "initiative_id", "problem_id")
        ),
        "assumptions": sorted(
            HypothesisProblem.objects.values_list("id", "hypothesis_id", "problem_id")
        ),
        "posts": sorted(Post.objects.values_list("id", "problem_id")),
    }


class SynthesizedTestCase(BaseTestCase):
    def setUp(self):
        load_bias_scenario(self.workspace)
        synthesize_workspace(self.workspace, embedder=LIGHT)
        self.bob_member = Member.objects.get(user=self.bob, workspace=self.workspace)
        ranked = list(
            Problem.objects.filter(workspace=self.workspace, candidate=False, praise=False)
        )
        self.assertGreaterEqual(len(ranked), 3)
        self.first, self.second, self.third = ranked[:3]

    def link_everything(self):
        from problemspace.hypotheses.tests.factories import make_hypothesis
        from problemspace.portal.models import Post
        from problemspace.roadmap.tests.factories import make_initiative

        make_initiative(self.bob_member, "Only the second", problem_ids=[self.second.pk])
        # Linked to both: the merge keeps one link and deletes the other, which undo restores.
        make_initiative(self.bob_member, "Both", problem_ids=[self.first.pk, self.second.pk])
        make_hypothesis(self.bob_member, problem_ids=[self.second.pk])
        Post.objects.create(workspace=self.workspace, title="Post", problem=self.second)

    def undo_latest(self):
        edit = history.latest_undoable(self.workspace)
        assert edit is not None
        edits.undo(edit, by=self.bob_member, embedder=LIGHT)
        return edit


class HistoryTestCase(SynthesizedTestCase):
    def test_undoing_a_merge_restores_exactly_the_previous_state(self):
        self.link_everything()
        before = state(self.workspace.pk)
        edits.merge(self.first, [self.second], embedder=LIGHT, by=self.bob_member)
        self.assertNotEqual(state(self.workspace.pk), before)
        edit = self.undo_latest()
        self.assertEqual(state(self.workspace.pk), before)
        edit.refresh_from_db()
        self.assertIsNotNone(edit.undone_at)
        self.assertEqual(edit.undone_by, self.bob_member)
        self.assertEqual(edit.before, {})

    def test_undoing_a_split_restores_exactly_the_previous_state(self):
        self.link_everything()
        before = state(self.workspace.pk)
        ids = list(self.second.links.values_list("evidence_id", flat=True))[:2]
        new = edits.split(self.second, ids, "Split off", embedder=LIGHT, by=self.bob_member)
        self.undo_latest()
        self.assertEqual(state(self.workspace.pk), before)
        self.assertFalse(Problem.objects.filter(pk=new.pk).exists())

    def test_undoing_a_move_puts_each_item_back_where_it_was(self):
        unplaced = make_evidence(self.workspace, "Nobody placed me")
        before = state(self.workspace.pk)
        ids = [*list(self.second.links.values_list("evidence_id", flat=True))[:2], unplaced.pk]
        ids += list(self.third.links.values_list("evidence_id", flat=True))[:1]
        edits.move(ids, self.first, embedder=LIGHT, by=self.bob_member)
        self.undo_latest()
        self.assertEqual(state(self.workspace.pk), before)
        self.assertFalse(ProblemEvidence.objects.filter(evidence=unplaced).exists())

    def test_undoing_a_rename_gives_the_title_back_to_synthesis(self):
        before = state(self.workspace.pk)
        edits.rename(self.first, "A title of my own", by=self.bob_member)
        edit = self.undo_latest()
        self.assertEqual(edit.kind, EditKind.RENAME)
        self.assertEqual(state(self.workspace.pk), before)

    def test_edits_are_undone_latest_first(self):
        before = state(self.workspace.pk)
        edits.merge(self.first, [self.second], embedder=LIGHT, by=self.bob_member)
        edits.rename(self.first, "Merged", by=self.bob_member)
        merge, rename = ProblemEdit.objects.order_by("made_at", "id")
        with self.assertRaisesMessage(history.UndoError, "Later edits come first"):
            edits.undo(merge, embedder=LIGHT)
        edits.undo(rename, embedder=LIGHT)
        edits.undo(merge, embedder=LIGHT)
        self.assertEqual(state(self.workspace.pk), before)
        with self.assertRaisesMessage(history.UndoError, "undone already"):
            edits.undo(merge, embedder=LIGHT)

    def test_the_history_says_who_did_what(self):
        edits.merge(self.first, [self.second], embedder=LIGHT, by=self.bob_member)
        (edit,) = history.history(self.workspace)
        self.assertEqual(edit.kind, EditKind.MERGE)
        self.assertEqual(edit.made_by, self.bob_member)
        self.assertIn(f"into “{self.first.title}”", edit.summary)
        self.assertIn(f"“{self.second.title}”", edit.summary)

    def test_a_full_synthesis_since_the_edit_ends_its_undo(self):
        edits.merge(self.first, [self.second], embedder=LIGHT, by=self.bob_member)
        synthesize_workspace(self.workspace, embedder=LIGHT, full=True)
        self.assertIsNone(history.latest_undoable(self.workspace))
        with self.assertRaisesMessage(history.UndoError, "full synthesis"):
            edits.undo(ProblemEdit.objects.get(), embedder=LIGHT)

    def test_after_an_incremental_synthesis_new_evidence_stays_where_it_was_placed(self):
        folded = set(self.second.links.values_list("evidence_id", flat=True))
        edits.merge(self.first, [self.second], embedder=LIGHT, by=self.bob_member)
        text = Evidence.objects.get(pk=next(iter(folded))).text
        new = make_evidence(self.workspace, text)
        synthesize_workspace(self.workspace, embedder=LIGHT)
        placed_in = ProblemEvidence.objects.get(evidence=new).problem_id
        self.undo_latest()
        self.assertEqual(
            set(
                ProblemEvidence.objects.filter(problem=self.second).values_list(
                    "evidence_id", flat=True
                )
            ),
            folded,
        )
        self.assertEqual(ProblemEvidence.objects.get(evidence=new).problem_id, placed_in)

    def test_only_the_latest_edits_keep_what_undo_needs(self):
        for n in range(history.UNDOABLE + 2):
            edits.rename(self.first, f"Title {n}", by=self.bob_member)
        kept = ProblemEdit.objects.exclude(before={})
        self.assertEqual(kept.count(), history.UNDOABLE)
        self.assertEqual(ProblemEdit.objects.count(), history.UNDOABLE + 2)
        for _ in range(history.UNDOABLE):
            self.undo_latest()
        self.assertIsNone(history.latest_undoable(self.workspace))
        oldest = ProblemEdit.objects.filter(undone_at=None).first()
        assert oldest is not None
        with self.assertRaisesMessage(history.UndoError, f"Only the latest {history.UNDOABLE}"):
            edits.undo(oldest, embedder=LIGHT)

    def test_the_history_is_per_workspace(self):
        edits.rename(self.first, "Mine", by=self.bob_member)
        self.assertIsNone(history.latest_undoable(self.other_workspace))
        self.assertEqual(history.history(self.other_workspace), [])

    def test_timestamps_come_back_too(self):
        touched = timezone.now()
        Problem.objects.filter(pk=self.first.pk).update(updated_at=touched)
        edits.merge(self.first, [self.second], embedder=LIGHT, by=self.bob_member)
        self.undo_latest()
        self.assertEqual(Problem.objects.get(pk=self.first.pk).updated_at, touched)


class HistoryPageTestCase(SynthesizedTestCase):
    def setUp(self):
        super().setUp()
        patcher = mock.patch(
            "problemspace.problems.edits.embedder_for", return_value=HashingEmbedder()
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_a_merge_made_on_its_page_is_undone_from_the_history(self):
        self.client.force_login(self.bob)
        before = state(self.workspace.pk)
        merged = self.client.post(
            f"/w/acme/problems/{self.second.pk}/merge/",
            {"into": str(self.first.pk), "confirm": "1"},
            follow=True,
        )
        self.assertContains(merged, 'href="/w/acme/problems/history/#latest">Undo</a>')
        page = self.client.get("/w/acme/problems/history/")
        edit = ProblemEdit.objects.get()
        self.assertContains(page, edit.summary)
        self.assertContains(page, f'action="/w/acme/problems/history/{edit.pk}/undo/"')
        undone = self.client.post(f"/w/acme/problems/history/{edit.pk}/undo/", follow=True)
        self.assertContains(undone, "Undone: Merged")
        self.assertContains(undone, "undone by")
        self.assertNotContains(undone, "/undo/")
        self.assertEqual(state(self.workspace.pk), before)

    def test_viewers_read_the_history_but_cannot_undo(self):
        edits.rename(self.first, "Mine", by=self.bob_member)
        edit = ProblemEdit.objects.get()
        self.client.force_login(self.vic)
        page = self.client.get("/w/acme/problems/history/")
        self.assertContains(page, "Renamed")
        self.assertNotContains(page, "/undo/")
        self.assertEqual(
            self.client.post(f"/w/acme/problems/history/{edit.pk}/undo/").status_code, 403
        )
        self.assertIsNone(ProblemEdit.objects.get().undone_at)

    def test_another_workspace_cannot_see_or_undo_the_history(self):
        edits.rename(self.first, "Mine", by=self.bob_member)
        edit = ProblemEdit.objects.get()
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get("/w/acme/problems/history/").status_code, 404)
        self.assertEqual(
            self.client.post(f"/w/other/problems/history/{edit.pk}/undo/").status_code, 404
        )

    def test_the_api_lists_and_undoes_edits(self):
        edits.merge(self.first, [self.second], embedder=LIGHT, by=self.bob_member)
        edits.rename(self.first, "Mine", by=self.bob_member)
        headers = self.api_key(self.bob)
        listed = self.client.get("/api/w/acme/problem-edits", headers=headers).json()
        self.assertEqual([e["kind"] for e in listed], ["rename", "merge"])
        self.assertEqual([e["undoable"] for e in listed], [True, False])
        self.assertEqual(listed[0]["made_by"], "bob@example.org")
        refused = self.client.post(
            f"/api/w/acme/problem-edits/{listed[1]['id']}/undo", headers=headers
        )
        self.assertEqual(refused.status_code, 409)
        self.assertIn("Later edits come first", refused.json()["detail"])
        done = self.client.post(
            f"/api/w/acme/problem-edits/{listed[0]['id']}/undo", headers=headers
        )
        self.assertEqual(done.status_code, 200, done.content)
        self.assertIsNotNone(done.json()["undone_at"])
        self.assertEqual(done.json()["undone_by"], "bob@example.org")
        missing = self.client.post("/api/w/acme/problem-edits/999999/undo", headers=headers)
        self.assertEqual(missing.status_code, 404)
