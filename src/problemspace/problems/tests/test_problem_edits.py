from __future__ import annotations

from unittest import mock

from django.test import Client

from problemspace.evidence.models import Evidence
from problemspace.evidence.tests.factories import make_evidence
from problemspace.problems.models import PlacedBy, Problem, ProblemEvidence, Status
from problemspace.problems.services import synthesize_workspace
from problemspace.problems.tests.factories import make_problem
from problemspace.problems.tests.helpers import embedder, load_bias_scenario
from problemspace.synthesis.embedding import HashingEmbedder
from problemspace.synthesis.tests.scenario import TODAY
from problemspace.testing import BaseTestCase


class EditTestCase(BaseTestCase):
    def setUp(self):
        self.said = [make_evidence(self.workspace, f"Exports time out ({i})") for i in range(4)]
        self.problem = make_problem(
            self.workspace, "Exports time out", evidence=self.said, score=0.7
        )
        self.other = make_problem(
            self.workspace,
            "Single sign-on breaks",
            evidence=[make_evidence(self.workspace, "SSO broke")],
            score=0.3,
        )
        self.base = f"/w/acme/problems/{self.problem.pk}/"
        self.client.force_login(self.bob)
        # Edits refresh titles and scores with the embedder; the light one keeps this quick.
        patcher = mock.patch(
            "problemspace.problems.edits.embedder_for", return_value=HashingEmbedder()
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def post(self, action, data=None, **kwargs):
        return self.client.post(f"{self.base}{action}/", data or {}, **kwargs)

    def messages(self, response):
        return [str(m) for m in response.wsgi_request._messages]

    def reload(self):
        self.problem.refresh_from_db()
        return self.problem


class RenameTestCase(EditTestCase):
    def test_it_renames_and_states_the_problem(self):
        response = self.post(
            "text", {"title": "  Month-end   exports fail ", "statement": "Finance cannot close."}
        )
        self.assertRedirects(response, self.base, fetch_redirect_response=False)
        problem = self.reload()
        self.assertEqual(problem.title, "Month-end exports fail")
        self.assertTrue(problem.title_edited)
        self.assertEqual(problem.statement, "Finance cannot close.")
        self.assertIn("Saved. A later synthesis keeps this title.", self.messages(response))

    def test_an_empty_title_is_answered_next_to_the_field_keeping_what_was_typed(self):
        response = self.post("text", {"title": "   ", "statement": "What I typed"})
        self.assertEqual(response.status_code, 422)
        self.assertContains(
            response, 'id="title-error">A problem needs a title.</p>', status_code=422, html=False
        )
        self.assertContains(response, ">What I typed</textarea>", status_code=422, html=False)
        self.assertContains(
            response, '<details class="curate-more" open>', status_code=422, html=False
        )
        problem = self.reload()
        self.assertEqual((problem.title, problem.statement), ("Exports time out", ""))

    def test_a_title_too_long_is_refused(self):
        response = self.post("text", {"title": "x" * 201})
        self.assertContains(response, "A title can be at most 200 characters.", status_code=422)
        self.assertEqual(self.reload().title, "Exports time out")


class StatusPinDismissTestCase(EditTestCase):
    def test_it_sets_the_status(self):
        response = self.post("status", {"status": "being_solved"})
        self.assertRedirects(response, self.base, fetch_redirect_response=False)
        self.assertEqual(self.reload().status, Status.BEING_SOLVED)
        self.assertIn("Status set to being solved.", self.messages(response))

    def test_an_unknown_status_is_refused(self):
        response = self.post("status", {"status": "done-ish"})
        self.assertContains(response, "Choose one of the statuses in the list.", status_code=422)
        self.assertEqual(self.reload().status, Status.DISCOVERED)

    def test_it_pins_and_unpins(self):
        self.post("pin", {"on": "1"})
        self.assertTrue(self.reload().pinned)
        self.post("pin", {"on": "0"})
        self.assertFalse(self.reload().pinned)
        self.assertEqual(self.post("pin", {"on": "maybe"}).status_code, 400)

    def test_it_dismisses_and_restores(self):
        response = self.post("dismiss", {"on": "1"})
        self.assertTrue(self.reload().dismissed)
        self.assertIn("Dismissed", self.messages(response)[0])
        listed = self.client.get("/w/acme/problems/")
        self.assertNotIn(self.problem, [row["problem"] for row in listed.context["rows"]])
        self.post("dismiss", {"on": "0"})
        self.assertFalse(self.reload().dismissed)

    def test_a_candidate_can_be_kept_as_a_problem(self):
        self.problem.candidate = True
        self.problem.save()
        self.assertContains(self.client.get(self.base), "Keep as a problem")
        self.post("accept")
        self.assertFalse(self.reload().candidate)


class MergeTestCase(EditTestCase):
    def test_it_says_what_a_merge_will_do_before_doing_it(self):
        asked = self.post("merge", {"into": str(self.other.pk)})
        self.assertContains(asked, "Merge “Exports time out” into “Single sign-on breaks”?")
        self.assertContains(asked, "Its 4 evidence items")
        self.assertContains(asked, 'name="confirm" value="1"')
        self.assertTrue(Problem.objects.filter(pk=self.problem.pk).exists())  # nothing done yet
        self.assertEqual(self.other.links.count(), 1)

    def test_it_merges_this_problem_into_another(self):
        response = self.post("merge", {"into": str(self.other.pk), "confirm": "1"})
        target = f"/w/acme/problems/{self.other.pk}/"
        self.assertRedirects(response, target, fetch_redirect_response=False)
        self.assertFalse(Problem.objects.filter(pk=self.problem.pk).exists())
        self.assertEqual(self.other.links.count(), 5)
        self.assertEqual(set(self.other.links.values_list("placed_by", flat=True)), {PlacedBy.PM})
        self.assertIn(
            "Merged “Exports time out” into this problem. "
            '<a href="/w/acme/problems/history/#latest">Undo</a>',
            self.messages(response),
        )

    def test_what_linked_to_the_merged_problem_links_to_the_one_it_joins(self):
        from problemspace.hypotheses.tests.factories import make_hypothesis
        from problemspace.portal.models import Post
        from problemspace.roadmap.tests.factories import make_initiative
        from problemspace.workspaces.models import Member

        bob = Member.objects.get(user=self.bob, workspace=self.workspace)
        only_this = make_initiative(bob, "Faster exports", problem_ids=[self.problem.pk])
        both = make_initiative(bob, "Export and SSO", problem_ids=[self.problem.pk, self.other.pk])
        assumption = make_hypothesis(bob, problem_ids=[self.problem.pk])
        post = Post.objects.create(workspace=self.workspace, title="Exports", problem=self.problem)
        asked = self.post("merge", {"into": str(self.other.pk)})
        self.assertContains(asked, "The 4 initiatives, assumptions or portal posts linked to it")
        self.post("merge", {"into": str(self.other.pk), "confirm": "1"})
        self.assertEqual(list(only_this.problems.all()), [self.other])
        self.assertEqual(list(both.problems.all()), [self.other])  # one link, not two
        self.assertEqual(list(assumption.problems.all()), [self.other])
        post.refresh_from_db()
        self.assertEqual(post.problem, self.other)

    def test_it_cannot_merge_into_itself(self):
        response = self.post("merge", {"into": str(self.problem.pk)})
        self.assertContains(
            response, "Choose one of this workspace&#x27;s other problems.", status_code=422
        )
        self.assertEqual(self.problem.links.count(), 4)

    def test_it_cannot_merge_into_another_workspaces_problem(self):
        theirs = make_problem(self.other_workspace, "Theirs")
        response = self.post("merge", {"into": str(theirs.pk)})
        self.assertEqual(response.status_code, 422)
        self.assertTrue(Problem.objects.filter(pk=self.problem.pk).exists())

    def test_nothing_chosen_is_answered_next_to_the_field(self):
        response = self.post("merge", {"into": ""})
        self.assertContains(
            response, 'id="merge-error">Choose a problem.</p>', status_code=422, html=False
        )


class SplitAndMoveTestCase(EditTestCase):
    def test_it_splits_ticked_evidence_into_a_new_problem(self):
        ids = [self.said[0].pk, self.said[1].pk]
        response = self.post(
            "evidence", {"action": "split", "evidence": ids, "title": "Exports of PDFs"}
        )
        self.assertRedirects(response, self.base, fetch_redirect_response=False)
        new = Problem.objects.get(title="Exports of PDFs")
        self.assertEqual(set(new.links.values_list("evidence_id", flat=True)), set(ids))
        self.assertEqual(self.problem.links.count(), 2)
        self.assertIn(
            f'<a href="/w/acme/problems/{new.pk}/">Exports of PDFs</a>', self.messages(response)[0]
        )

    def test_a_split_with_nothing_ticked_is_refused_keeping_the_title(self):
        response = self.post("evidence", {"action": "split", "title": "My new title"})
        self.assertContains(response, "Tick the evidence to split off first.", status_code=422)
        self.assertContains(response, 'value="My new title"', status_code=422, html=False)
        self.assertEqual(Problem.objects.count(), 2)

    def test_splitting_off_everything_is_refused(self):
        response = self.post("evidence", {"action": "split", "evidence": [e.pk for e in self.said]})
        self.assertContains(response, "leaves nothing behind", status_code=422)
        # What was ticked stays ticked.
        self.assertContains(
            response,
            f'id="pick-{self.said[0].pk}" form="evidence-form" checked',
            status_code=422,
            html=False,
        )

    def test_evidence_of_another_problem_cannot_be_split_off(self):
        foreign = self.other.links.get().evidence_id
        response = self.post("evidence", {"action": "split", "evidence": [foreign]})
        self.assertContains(
            response, "Choose evidence of this problem to split off.", status_code=422
        )

    def test_it_moves_ticked_evidence_to_another_problem(self):
        response = self.post(
            "evidence",
            {"action": "move", "evidence": [self.said[3].pk], "target": str(self.other.pk)},
        )
        self.assertEqual(response.status_code, 302)
        link = ProblemEvidence.objects.get(evidence=self.said[3])
        self.assertEqual((link.problem, link.placed_by), (self.other, PlacedBy.PM))
        self.assertIn("1 evidence item moved to", self.messages(response)[0])

    def test_a_move_needs_a_target(self):
        response = self.post("evidence", {"action": "move", "evidence": [self.said[3].pk]})
        self.assertContains(
            response, "Choose the problem to move the ticked evidence to.", status_code=422
        )
        self.assertEqual(ProblemEvidence.objects.get(evidence=self.said[3]).problem, self.problem)

    def test_ids_beyond_the_database_range_are_refused(self):
        response = self.post(
            "evidence", {"action": "move", "evidence": [str(2**70)], "target": str(self.other.pk)}
        )
        self.assertContains(response, "could not be read", status_code=422)

    def test_garbled_evidence_ids_are_refused(self):
        response = self.post(
            "evidence", {"action": "move", "evidence": ["1; drop"], "target": str(self.other.pk)}
        )
        self.assertContains(response, "could not be read", status_code=422)


class EditAccessTestCase(EditTestCase):
    ROUTES = [
        ("text", {"title": "Hacked"}),
        ("status", {"status": "solved"}),
        ("pin", {"on": "1"}),
        ("dismiss", {"on": "1"}),
        ("accept", {}),
        ("merge", {"into": "0"}),
        ("evidence", {"action": "split"}),
    ]

    def test_viewers_and_contributors_get_403(self):
        for user in (self.vic, self.carol):
            self.client.force_login(user)
            for action, data in self.ROUTES:
                with self.subTest(user=user.username, action=action):
                    self.assertEqual(self.post(action, data).status_code, 403)
        problem = self.reload()
        self.assertEqual(
            (problem.title, problem.status, problem.pinned),
            ("Exports time out", "discovered", False),
        )

    def test_outsiders_get_404_and_other_workspaces_ids_too(self):
        self.client.force_login(self.charlie)
        for action, data in self.ROUTES:
            self.assertEqual(self.post(action, data).status_code, 404)
        theirs = make_problem(self.other_workspace, "Theirs")
        self.client.force_login(self.alice)
        for action, data in self.ROUTES:
            response = self.client.post(f"/w/acme/problems/{theirs.pk}/{action}/", data)
            self.assertEqual(response.status_code, 404)

    def test_it_only_allows_post(self):
        for action, _ in self.ROUTES:
            self.assertEqual(self.client.get(f"{self.base}{action}/").status_code, 405)

    def test_every_form_needs_its_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.bob)
        response = client.post(f"{self.base}text/", {"title": "No token"})
        self.assertEqual(response.status_code, 403)
        page = client.get(self.base)
        self.assertEqual(
            page.content.count(b'name="csrfmiddlewaretoken"'), page.content.count(b'method="post"')
        )


class EditsSurviveSynthesisTestCase(BaseTestCase):
    """Edits made in the pages are kept by a later full synthesis (real model where installed)."""

    def synthesize(self, **options):
        with mock.patch("problemspace.synthesis.pipeline.datetime") as clock:
            clock.now.return_value = TODAY
            return synthesize_workspace(self.workspace, embedder=embedder(), **options)

    def test_page_edits_survive_a_full_synthesis(self):
        loud_ids, broad_ids = load_bias_scenario(self.workspace)
        self.synthesize()
        loud = ProblemEvidence.objects.get(evidence_id=min(loud_ids)).problem
        broad = ProblemEvidence.objects.get(evidence_id=min(broad_ids)).problem
        self.client.force_login(self.bob)
        url = f"/w/acme/problems/{broad.pk}/"
        self.client.post(
            f"{url}text/", {"title": "Big ledger exports time out", "statement": "Month-end."}
        )
        self.client.post(f"{url}status/", {"status": "validated"})
        self.client.post(f"/w/acme/problems/{loud.pk}/pin/", {"on": "1"})
        moved = max(broad_ids)
        split_off = sorted(broad_ids)[:2]
        self.client.post(
            f"{url}evidence/", {"action": "move", "evidence": [moved], "target": str(loud.pk)}
        )
        response = self.client.post(
            f"{url}evidence/",
            {"action": "split", "evidence": split_off, "title": "Exports of the first two"},
        )
        self.assertEqual(response.status_code, 302)
        new = Problem.objects.get(title="Exports of the first two")

        self.synthesize(full=True)

        broad.refresh_from_db()
        loud.refresh_from_db()
        self.assertEqual(
            (broad.title, broad.statement, broad.status),
            ("Big ledger exports time out", "Month-end.", Status.VALIDATED),
        )
        self.assertTrue(loud.pinned)
        self.assertEqual(ProblemEvidence.objects.get(evidence_id=moved).problem, loud)
        self.assertEqual(set(new.links.values_list("evidence_id", flat=True)), set(split_off))
        page = self.client.get("/w/acme/problems/")
        self.assertEqual(page.context["rows"][0]["problem"], loud)
        self.assertContains(page, "Big ledger exports time out")
        self.assertEqual(
            Evidence.objects.filter(workspace=self.workspace).count(), len(loud_ids | broad_ids)
        )


class BackgroundRefreshTestCase(EditTestCase):
    """Past INLINE_REFRESH items, the refresh after an edit is a background job."""

    def setUp(self):
        super().setUp()
        patcher = mock.patch("problemspace.problems.edits.INLINE_REFRESH", 3)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_a_merge_queues_one_refresh_and_the_pages_say_so(self):
        from problemspace.jobs.models import Job, Kind, State
        from problemspace.jobs.tasks import run_job

        with self.captureOnCommitCallbacks(execute=False):
            self.post("merge", {"into": self.other.pk, "confirm": "1"})
            self.client.post(f"/w/acme/problems/{self.other.pk}/text/", {"title": "SSO"})
        refreshes = Job.objects.filter(workspace=self.workspace, kind=Kind.REFRESH)
        self.assertEqual(refreshes.count(), 1)  # edits in a row wait for one refresh
        job = refreshes.get()
        self.assertEqual(job.state, State.QUEUED)
        # The merge itself is done; only titles, quotes and scores wait.
        self.assertEqual(ProblemEvidence.objects.filter(problem=self.other).count(), 5)
        page = self.client.get(f"/w/acme/problems/{self.other.pk}/")
        self.assertContains(page, "being brought up to date with the latest edits")

        self.assertTrue(run_job(job.pk))
        job.refresh_from_db()
        self.assertEqual(job.state, State.DONE, job.message)
        page = self.client.get(f"/w/acme/problems/{self.other.pk}/")
        self.assertNotContains(page, "being brought up to date")
        # The refresh kept each item's vector key for search by meaning.
        keys = ProblemEvidence.objects.filter(problem=self.other).values_list(
            "vector_key", flat=True
        )
        self.assertNotIn("", set(keys))
