from __future__ import annotations

from problemspace.evidence.tests.factories import make_evidence
from problemspace.hypotheses.models import ExperimentStatus, Hypothesis, LearningCard, Status
from problemspace.hypotheses.tests.factories import make_experiment, make_hypothesis
from problemspace.problems.models import Problem
from problemspace.testing import BaseTestCase

SCRIPT = "<script>alert('x')</script>"


class PagesTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.bob_member = self.member(self.bob)
        self.problem = Problem.objects.create(workspace=self.workspace, title="Approvals stall")
        self.hypothesis = make_hypothesis(
            self.bob_member,
            f"Approvers travel {SCRIPT}",
            importance=5,
            evidence_strength=1,
            problem_ids=[self.problem.pk],
        )

    def url(self, name: str = "", pk: int | None = None) -> str:
        base = "/w/acme/"
        return {
            "map": f"{base}assumptions/",
            "board": f"{base}assumptions/board/",
            "new": f"{base}hypotheses/new/",
            "detail": f"{base}hypotheses/{pk}/",
            "edit": f"{base}hypotheses/{pk}/edit/",
            "move": f"{base}hypotheses/{pk}/status/",
            "plan": f"{base}hypotheses/{pk}/experiments/new/",
            "start": f"{base}experiments/{pk}/start/",
            "result": f"{base}experiments/{pk}/result/",
            "edit_experiment": f"{base}experiments/{pk}/edit/",
        }[name]

    def test_everyone_in_the_workspace_reads_the_map_board_and_detail(self) -> None:
        for user in (self.alice, self.bob, self.carol, self.vic):
            self.client.force_login(user)
            for url in (
                self.url("map"),
                self.url("board"),
                self.url("detail", self.hypothesis.pk),
            ):
                with self.subTest(user=user.username, url=url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, "Approvers travel")

    def test_it_escapes_what_people_wrote(self) -> None:
        self.client.force_login(self.vic)
        for url in (self.url("map"), self.url("board"), self.url("detail", self.hypothesis.pk)):
            response = self.client.get(url)
            self.assertNotContains(response, SCRIPT)
            self.assertContains(response, "&lt;script&gt;")

    def test_the_map_highlights_test_first(self) -> None:
        make_hypothesis(self.bob_member, "Well known and minor", importance=1, evidence_strength=5)
        self.client.force_login(self.vic)
        response = self.client.get(self.url("map"))
        quadrants = {q.key: q.hypotheses for q in response.context["quadrants"]}
        self.assertEqual(quadrants["test-first"], [self.hypothesis])
        self.assertContains(response, "quadrant-test-first")
        self.assertContains(response, f'href="/w/acme/hypotheses/{self.hypothesis.pk}/"')

    def test_the_board_has_a_column_per_status_and_buttons_for_editors(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(self.url("board"))
        titles = [c["column"].title for c in response.context["columns"]]
        self.assertEqual(titles, ["Untested", "Testing", "Validated", "Invalidated"])
        self.assertContains(response, "Move to testing")
        self.client.force_login(self.carol)
        response = self.client.get(self.url("board"))
        self.assertNotContains(response, "Move to testing")

    def test_viewers_and_contributors_cannot_change_anything(self) -> None:
        experiment = make_experiment(self.bob_member, self.hypothesis)
        for user in (self.carol, self.vic):
            self.client.force_login(user)
            for url, data in (
                (self.url("new"), {"statement": "x"}),
                (self.url("edit", self.hypothesis.pk), {"statement": "x"}),
                (self.url("move", self.hypothesis.pk), {"status": "testing"}),
                (self.url("plan", self.hypothesis.pk), {"test": "x"}),
                (self.url("start", experiment.pk), {}),
                (self.url("result", experiment.pk), {"observation": "x"}),
                (self.url("edit_experiment", experiment.pk), {"test": "x"}),
            ):
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.post(url, data).status_code, 403)
                    self.assertEqual(self.client.get(url).status_code, 403)
        self.hypothesis.refresh_from_db()
        self.assertEqual(self.hypothesis.status, Status.UNTESTED)

    def test_an_editor_creates_an_assumption(self) -> None:
        evidence = make_evidence(self.workspace, "We approve from phones.")
        self.client.force_login(self.bob)
        form = self.client.get(self.url("new") + f"?problem={self.problem.pk}")
        self.assertEqual(form.context["form"].initial["problems"], [self.problem.pk])
        response = self.client.post(
            self.url("new"),
            {
                "statement": "Controllers will pay for mobile approvals.",
                "kind": "value",
                "importance": "4",
                "evidence_strength": "2",
                "owner": str(self.bob_member.pk),
                "problems": [str(self.problem.pk)],
                "evidence": f"#{evidence.pk}",
            },
        )
        created = Hypothesis.objects.get(statement__startswith="Controllers will pay")
        self.assertRedirects(response, self.url("detail", created.pk))
        self.assertEqual(list(created.evidence.all()), [evidence])
        self.assertEqual(list(created.problems.all()), [self.problem])

    def test_a_mistake_keeps_the_input_and_says_what_is_wrong_next_to_the_field(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            self.url("new"),
            {
                "statement": f"Kept {SCRIPT}",
                "kind": "value",
                "importance": "9",
                "evidence_strength": "2",
                "evidence": "12, banana",
            },
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Choose a score from 1 to 5.", status_code=422)
        self.assertContains(response, 'id="id_importance_error"', status_code=422)
        self.assertContains(response, "is not an evidence number", status_code=422)
        self.assertContains(response, "Kept &lt;script&gt;", status_code=422)
        self.assertNotContains(response, SCRIPT, status_code=422)
        self.assertEqual(Hypothesis.objects.count(), 1)

    def test_evidence_of_another_workspace_is_refused_next_to_the_field(self) -> None:
        secret = make_evidence(self.other_workspace, "Secret")
        self.client.force_login(self.bob)
        response = self.client.post(
            self.url("edit", self.hypothesis.pk),
            {
                "statement": "Changed",
                "kind": "problem",
                "importance": "3",
                "evidence_strength": "3",
                "evidence": str(secret.pk),
            },
        )
        self.assertContains(response, f"no evidence item #{secret.pk}", status_code=422)
        self.assertContains(response, 'id="id_evidence_error"', status_code=422)
        self.assertNotContains(response, "Secret", status_code=422)
        self.hypothesis.refresh_from_db()
        self.assertTrue(self.hypothesis.statement.startswith("Approvers travel"))

    def test_the_board_moves_a_card_and_refuses_a_jump(self) -> None:
        self.client.force_login(self.bob)
        refused = self.client.post(
            self.url("move", self.hypothesis.pk), {"status": "validated", "next": "board"}
        )
        self.assertRedirects(
            refused,
            self.url("board") + f"#hypothesis-{self.hypothesis.pk}",
            fetch_redirect_response=False,
        )
        page = self.client.get(self.url("board"))
        self.assertContains(page, "cannot go from untested to validated")
        self.client.post(self.url("move", self.hypothesis.pk), {"status": "testing"})
        self.hypothesis.refresh_from_db()
        self.assertEqual(self.hypothesis.status, Status.TESTING)
        self.assertEqual(self.client.get(self.url("move", self.hypothesis.pk)).status_code, 405)

    def test_plan_an_experiment_then_record_its_result(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            self.url("plan", self.hypothesis.pk),
            {"test": "Call five controllers.", "metric": "Weekly approvals", "criterion": "3 of 5"},
        )
        self.assertRedirects(response, self.url("detail", self.hypothesis.pk))
        experiment = self.hypothesis.experiments.get()
        self.client.post(self.url("start", experiment.pk))
        quote = make_evidence(self.workspace, "I approve from the car park.")
        response = self.client.post(
            self.url("result", experiment.pk),
            {
                "observation": "Four of five.",
                "learning": "It is routine.",
                "decision": "Build it.",
                "outcome": "validated",
                "evidence": str(quote.pk),
            },
        )
        self.assertRedirects(response, self.url("detail", self.hypothesis.pk))
        self.hypothesis.refresh_from_db()
        self.assertEqual(self.hypothesis.status, Status.VALIDATED)
        page = self.client.get(self.url("detail", self.hypothesis.pk))
        self.assertContains(page, "Learning card")
        self.assertContains(page, "We observed…")
        self.assertContains(page, "I approve from the car park.")
        self.assertContains(page, "testing → <strong>validated</strong>")

    def test_a_result_without_an_observation_is_refused_next_to_the_field(self) -> None:
        experiment = make_experiment(self.bob_member, self.hypothesis)
        self.client.force_login(self.bob)
        response = self.client.post(
            self.url("result", experiment.pk),
            {"observation": "", "learning": f"Kept {SCRIPT}", "outcome": "validated"},
        )
        self.assertContains(response, "Write what you observed.", status_code=422)
        self.assertContains(response, 'id="id_observation_error"', status_code=422)
        self.assertContains(response, "Kept &lt;script&gt;", status_code=422)
        self.assertFalse(LearningCard.objects.exists())

    def test_a_result_without_a_criterion_is_refused(self) -> None:
        experiment = make_experiment(self.bob_member, self.hypothesis, criterion="")
        self.client.force_login(self.bob)
        response = self.client.post(
            self.url("result", experiment.pk), {"observation": "Yes", "outcome": "validated"}
        )
        self.assertContains(response, "before recording the result", status_code=422)
        experiment.refresh_from_db()
        self.assertEqual(experiment.status, ExperimentStatus.PLANNED)

    def test_the_problem_page_shows_its_assumptions(self) -> None:
        self.client.force_login(self.vic)
        response = self.client.get(f"/w/acme/problems/{self.problem.pk}/")
        self.assertContains(response, f'href="/w/acme/hypotheses/{self.hypothesis.pk}/"')
        self.assertNotContains(response, "Add an assumption")
        self.client.force_login(self.bob)
        response = self.client.get(f"/w/acme/problems/{self.problem.pk}/")
        self.assertContains(response, f"/w/acme/hypotheses/new/?problem={self.problem.pk}")

    def test_outsiders_get_404(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url("map")).status_code, 404)
        self.assertEqual(self.client.get(self.url("detail", self.hypothesis.pk)).status_code, 404)
        own = f"/w/other/hypotheses/{self.hypothesis.pk}/"
        self.assertEqual(self.client.get(own).status_code, 404)

    def test_the_board_queries_do_not_grow_with_the_cards(self) -> None:
        for n in range(10):
            make_hypothesis(self.bob_member, f"Belief {n}")
        self.client.force_login(self.bob)
        with self.assertNumQueries(4):
            self.client.get(self.url("board"))
