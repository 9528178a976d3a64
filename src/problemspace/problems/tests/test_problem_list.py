from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from problemspace.evidence.tests.factories import make_account, make_evidence
from problemspace.jobs.models import Job, Kind
from problemspace.problems.models import RunStatus, Status, SynthesisRun
from problemspace.problems.tests.factories import make_problem
from problemspace.testing import BaseTestCase

URL = "/w/acme/problems/"


def record_run(workspace, ranking, minutes=0):
    return SynthesisRun.objects.create(
        workspace=workspace,
        mode="full",
        status=RunStatus.DONE,
        ranking=ranking,
        counts={"problems": len(ranking)},
        finished_at=timezone.now() + timedelta(minutes=minutes),
    )


class ProblemListTestCase(BaseTestCase):
    def setUp(self):
        self.account = make_account(self.workspace, "Globex", segment="Enterprise")
        said = [
            make_evidence(
                self.workspace, f"Exports time out on big ledgers ({i})", account=self.account
            )
            for i in range(3)
        ]
        self.exports = make_problem(
            self.workspace,
            "Exports time out on big ledgers",
            evidence=said,
            score=0.8,
            explanation="12 accounts, 3 segments, $410k ARR, 70% first-hand, rising",
            figures={"contacts": 14, "accounts": 12, "revenue": 410_000},
        )
        self.sso = make_problem(
            self.workspace,
            "Single sign-on breaks after renewal",
            evidence=[make_evidence(self.workspace, "SSO broke again")],
            score=0.4,
            status=Status.VALIDATED,
        )

    def test_it_shows_the_ranking_with_each_explanation(self):
        self.client.force_login(self.vic)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Exports time out on big ledgers")
        self.assertContains(response, "12 accounts, 3 segments, $410k ARR, 70% first-hand, rising")
        self.assertContains(response, "<strong>14</strong> people", html=False)
        self.assertContains(response, "<strong>3</strong> evidence items", html=False)
        self.assertContains(response, "Validated")
        # The lead quote of each problem, in the customer's words.
        self.assertContains(response, "Exports time out on big ledgers (0)")
        rows = [row["problem"] for row in response.context["rows"]]
        self.assertEqual(rows, [self.exports, self.sso])
        self.assertEqual([row["rank"] for row in response.context["rows"]], [1, 2])
        self.assertContains(response, 'aria-current="page">Problems</a>', html=False)

    def test_a_pinned_problem_leads_and_is_marked(self):
        self.sso.pinned = True
        self.sso.save()
        self.client.force_login(self.vic)
        response = self.client.get(URL)
        self.assertEqual(
            [row["problem"] for row in response.context["rows"]], [self.sso, self.exports]
        )
        self.assertContains(response, '<span class="chip chip-pinned">Pinned</span>', html=True)

    def test_it_shows_how_each_problem_moved_since_the_previous_synthesis(self):
        new = make_problem(self.workspace, "Brand new worry", score=0.1)
        record_run(self.workspace, [self.sso.pk, self.exports.pk], minutes=-10)
        record_run(self.workspace, [self.exports.pk, self.sso.pk, new.pk])
        self.client.force_login(self.vic)
        response = self.client.get(URL)
        moves = {row["problem"].pk: row["move"] for row in response.context["rows"]}
        self.assertEqual((moves[self.exports.pk].kind, moves[self.exports.pk].places), ("up", 1))
        self.assertEqual((moves[self.sso.pk].kind, moves[self.sso.pk].places), ("down", 1))
        self.assertEqual(moves[new.pk].kind, "new")
        self.assertContains(response, "up 1 since the previous synthesis")
        self.assertContains(response, "down 1 since the previous synthesis")

    def test_it_filters_by_status(self):
        self.client.force_login(self.vic)
        response = self.client.get(URL, {"status": "validated"})
        self.assertEqual([row["problem"] for row in response.context["rows"]], [self.sso])

    def test_an_unknown_status_is_answered_next_to_the_field(self):
        self.client.force_login(self.vic)
        response = self.client.get(URL, {"status": "<b>done</b>"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is no such status; choose one from the list.")
        self.assertNotContains(response, "<b>done</b>")
        self.assertEqual(len(response.context["rows"]), 2)

    def test_dismissed_problems_and_candidates_show_only_when_asked(self):
        gone = make_problem(self.workspace, "Dismissed worry", score=0.99, dismissed=True)
        maybe = make_problem(self.workspace, "Candidate worry", score=0.95, candidate=True)
        self.client.force_login(self.vic)
        shown = lambda r: [row["problem"] for row in r.context["rows"]]  # noqa: E731
        self.assertEqual(shown(self.client.get(URL)), [self.exports, self.sso])
        self.assertEqual(
            shown(self.client.get(URL, {"dismissed": "1"})), [self.exports, self.sso, gone]
        )
        response = self.client.get(URL, {"candidates": "1"})
        self.assertEqual(shown(response), [self.exports, self.sso, maybe])
        self.assertContains(response, "New-problem candidate")
        # Neither has a place in the ranking.
        self.assertIsNone(response.context["rows"][2]["rank"])

    def test_praise_is_kept_out_of_the_ranking_and_shown_when_asked(self):
        kudos = make_problem(self.workspace, "Support was fantastic", score=0.99, praise=True)
        self.client.force_login(self.vic)
        response = self.client.get(URL)
        self.assertNotIn(kudos, [row["problem"] for row in response.context["rows"]])
        response = self.client.get(URL, {"praise": "1"})
        rows = response.context["rows"]
        self.assertEqual([row["problem"] for row in rows], [self.exports, self.sso, kudos])
        self.assertIsNone(rows[2]["rank"])
        self.assertContains(response, '<span class="chip chip-praise">Praise</span>', html=True)

    def test_its_number_of_queries_does_not_grow_with_the_problems(self):
        self.client.force_login(self.vic)
        record_run(self.workspace, [self.exports.pk, self.sso.pk], minutes=-10)
        record_run(self.workspace, [self.sso.pk, self.exports.pk])
        with CaptureQueriesContext(connection) as few:
            self.client.get(URL)
        for i in range(10):
            make_problem(
                self.workspace,
                f"Another problem {i}",
                evidence=[make_evidence(self.workspace, f"Quote {i}", account=self.account)],
                score=0.01 * i,
            )
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get(URL)
        self.assertEqual(len(response.context["rows"]), 12)
        self.assertLessEqual(len(few.captured_queries), 12)

    def test_evidence_text_is_escaped(self):
        make_problem(
            self.workspace,
            "<script>alert('title')</script>",
            evidence=[make_evidence(self.workspace, "<script>alert('quote')</script>")],
            score=0.9,
        )
        self.client.force_login(self.vic)
        response = self.client.get(URL)
        self.assertNotContains(response, "<script>alert")
        self.assertContains(response, "&lt;script&gt;alert(&#x27;quote&#x27;)&lt;/script&gt;")

    def test_it_checks_ownership(self):
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(URL).status_code, 404)

    def test_it_requires_sign_in(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])


class EmptyProblemListTestCase(BaseTestCase):
    def test_before_any_evidence_it_says_to_bring_evidence_in(self):
        self.client.force_login(self.bob)
        response = self.client.get(URL)
        self.assertContains(response, "No problems yet.")
        self.assertContains(response, "problemspace import FILE")
        self.assertNotContains(response, "Synthesize now")

    def test_before_the_first_synthesis_an_editor_is_offered_one(self):
        make_evidence(self.workspace, "Exports are slow")
        self.client.force_login(self.bob)
        response = self.client.get(URL)
        self.assertContains(response, "No problems yet.")
        self.assertContains(response, "Synthesize now")
        self.assertContains(response, 'action="/w/acme/problems/synthesize/"', html=False)

    def test_a_viewer_is_told_whom_to_ask(self):
        make_evidence(self.workspace, "Exports are slow")
        self.client.force_login(self.vic)
        response = self.client.get(URL)
        self.assertContains(response, "Ask an editor of Acme Product to run a synthesis.")
        self.assertNotContains(response, "Synthesize now")

    def test_a_synthesis_that_found_nothing_says_so(self):
        make_evidence(self.workspace, "Exports are slow")
        record_run(self.workspace, [])
        self.client.force_login(self.vic)
        response = self.client.get(URL)
        self.assertContains(response, "No problem emerged.")


class SynthesizeNowTestCase(BaseTestCase):
    URL = "/w/acme/problems/synthesize/"

    def test_an_editor_starts_a_synthesis_and_follows_it(self):
        self.client.force_login(self.bob)
        response = self.client.post(self.URL)
        job = Job.objects.get()
        self.assertEqual(
            (job.kind, job.workspace, job.params["full"]), (Kind.SYNTHESIS, self.workspace, False)
        )
        self.assertRedirects(response, f"/w/acme/jobs/{job.pk}/", fetch_redirect_response=False)

    def test_a_full_synthesis_can_be_asked_for(self):
        self.client.force_login(self.bob)
        self.client.post(self.URL, {"full": "1"})
        self.assertTrue(Job.objects.get().params["full"])

    def test_a_synthesis_under_way_is_followed_rather_than_started_again(self):
        self.client.force_login(self.bob)
        first = self.client.post(self.URL)
        second = self.client.post(self.URL)
        self.assertEqual(Job.objects.count(), 1)
        self.assertEqual(first["Location"], second["Location"])

    def test_it_requires_the_editor_role(self):
        for user in (self.vic, self.carol):
            self.client.force_login(user)
            self.assertEqual(self.client.post(self.URL).status_code, 403)
        self.assertFalse(Job.objects.exists())

    def test_it_checks_ownership(self):
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(self.URL).status_code, 404)

    def test_it_only_allows_post(self):
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.URL).status_code, 405)
        self.assertFalse(Job.objects.exists())
