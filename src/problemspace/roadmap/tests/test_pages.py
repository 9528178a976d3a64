"""The roadmap pages: who reads and who curates, forms that keep what was typed and say what
is wrong next to the field, escaping, and the path from the board down to customer quotes."""

from __future__ import annotations

from datetime import timedelta

from django.test import SimpleTestCase
from django.utils import timezone

from problemspace.problems.models import Problem
from problemspace.roadmap.models import Goal, Initiative, Move
from problemspace.roadmap.scoring import TIMES
from problemspace.roadmap.templatetags.roadmap_tags import with_unit
from problemspace.roadmap.tests.factories import (
    KEY_RESULT,
    make_goal,
    make_initiative,
    make_problem_with_evidence,
)
from problemspace.testing import BaseTestCase

SCRIPT = "<script>alert('x')</script>"
BASE = "/w/acme/roadmap/"


class PagesTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.bob_member = self.member(self.bob)
        self.problem = make_problem_with_evidence(
            self.workspace,
            f"Approvals stall {SCRIPT}",
            accounts=2,
            at=timezone.now() - timedelta(days=2),
        )
        quote = self.problem.links.first()
        assert quote is not None
        Problem.objects.filter(pk=self.problem.pk).update(quote_ids=[quote.evidence_id])
        self.quote_id = quote.evidence_id
        self.goal = make_goal(self.bob_member, f"Win mid-market {SCRIPT}")
        self.initiative = make_initiative(
            self.bob_member,
            f"Approve from a phone {SCRIPT}",
            problem_ids=[self.problem.pk],
            goal_ids=[self.goal.pk],
            horizon="now",
            external_url="https://tracker.example/LED-1",
        )

    def test_everyone_in_the_workspace_reads_the_roadmap(self) -> None:
        urls = [BASE, f"{BASE}list/", f"{BASE}goals/", f"{BASE}initiatives/{self.initiative.pk}/"]
        for user in (self.alice, self.bob, self.carol, self.vic):
            self.client.force_login(user)
            for url in urls:
                with self.subTest(user=user.username, url=url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, "Approve from a phone")

    def test_viewers_and_contributors_cannot_curate(self) -> None:
        pk = self.initiative.pk
        kr = self.goal.key_results.create(metric="m", baseline=0, target=1, current=0)
        for user in (self.carol, self.vic):
            self.client.force_login(user)
            for url in (
                f"{BASE}initiatives/new/",
                f"{BASE}initiatives/{pk}/edit/",
                f"{BASE}goals/new/",
                f"{BASE}goals/{self.goal.pk}/edit/",
                f"{BASE}goals/{self.goal.pk}/key-results/new/",
                f"{BASE}key-results/{kr.pk}/edit/",
            ):
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
            for url in (
                f"{BASE}initiatives/{pk}/move/",
                f"{BASE}initiatives/{pk}/recount/",
                f"{BASE}key-results/{kr.pk}/delete/",
            ):
                response = self.client.post(url, {"horizon": "later", "status": "planned"})
                self.assertEqual(response.status_code, 403)
            response = self.client.get(BASE)
            self.assertNotContains(response, "New initiative")
            self.assertNotContains(response, "<summary>Move")
        self.assertEqual(Move.objects.count(), 1)

    def test_outsiders_get_404(self) -> None:
        self.client.force_login(self.charlie)
        for url in (BASE, f"{BASE}initiatives/{self.initiative.pk}/"):
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_escapes_what_people_wrote(self) -> None:
        self.client.force_login(self.vic)
        for url in (
            BASE,
            f"{BASE}list/",
            f"{BASE}goals/",
            f"{BASE}initiatives/{self.initiative.pk}/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertNotContains(response, SCRIPT)
                self.assertContains(response, "&lt;script&gt;")

    def test_the_board_shows_columns_cards_with_score_problems_and_goals(self) -> None:
        make_initiative(self.bob_member, "Later thing")
        self.client.force_login(self.bob)
        response = self.client.get(BASE)
        columns = {c.horizon: c for c in response.context["columns"]}
        self.assertEqual([i.pk for i in columns["now"].initiatives], [self.initiative.pk])
        self.assertEqual([i.title for i in columns["later"].initiatives], ["Later thing"])
        self.assertContains(response, f"/w/acme/problems/{self.problem.pk}/")
        self.assertContains(response, f"#goal-{self.goal.pk}")
        self.assertContains(response, "Score ")
        self.assertContains(response, "<summary>Move")

    def test_the_board_costs_a_fixed_number_of_queries(self) -> None:
        for n in range(5):
            make_initiative(self.bob_member, f"More {n}", problem_ids=[self.problem.pk])
        self.client.force_login(self.vic)
        self.client.get(BASE)
        with self.assertNumQueries(6):
            self.client.get(BASE)

    def test_the_initiative_page_leads_down_to_customer_quotes(self) -> None:
        self.client.force_login(self.vic)
        board = self.client.get(BASE)
        page_url = f"{BASE}initiatives/{self.initiative.pk}/"
        self.assertContains(board, page_url)
        page = self.client.get(page_url)
        self.assertContains(page, f"/w/acme/evidence/{self.quote_id}/")
        self.assertContains(page, "it hurts")
        self.assertContains(page, "https://tracker.example/LED-1")
        self.assertContains(page, self.initiative.explanation.split(f" {TIMES}")[0])
        self.assertContains(page, "added to Now")

    def test_a_problem_page_lists_the_initiatives_solving_it(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(f"/w/acme/problems/{self.problem.pk}/")
        self.assertContains(response, "On the roadmap")
        self.assertContains(response, f"{BASE}initiatives/{self.initiative.pk}/")
        form = self.client.get(f"{BASE}initiatives/new/?problem={self.problem.pk}")
        self.assertContains(form, f'value="{self.problem.pk}" id="id_problems_0" checked')

    def test_the_goal_view_shows_progress_and_goals_with_no_initiative(self) -> None:
        lonely = make_goal(
            self.bob_member,
            "Audit-ready",
            status="active",
            key_results=[{**KEY_RESULT, "current": 21.5}],
        )
        self.client.force_login(self.vic)
        response = self.client.get(f"{BASE}goals/")
        self.assertContains(response, "Goals with no initiative")
        self.assertEqual([r.goal for r in response.context["unserved"]], [lonely])
        self.assertContains(response, 'value="50"')  # (21.5 - 18) / (25 - 18)
        self.assertContains(response, "from 18% to 25%")
        self.assertContains(response, "now <strong>21.5%</strong>")
        self.assertContains(response, "No key results yet — not measurable")

    def test_create_an_initiative(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            f"{BASE}initiatives/new/",
            {
                "title": "Duplicate invoice check",
                "horizon": "next",
                "status": "planned",
                "reason": "Customers pay twice",
                "problems": [self.problem.pk],
                "goals": [self.goal.pk],
                "impact": "3.0",
                "effort": "5",
            },
        )
        initiative = Initiative.objects.get(title="Duplicate invoice check")
        self.assertRedirects(response, f"{BASE}initiatives/{initiative.pk}/")
        self.assertEqual((initiative.horizon, initiative.impact, initiative.effort), ("next", 3, 5))
        self.assertEqual(initiative.moves.get().reason, "Customers pay twice")

    def test_a_score_set_by_hand_without_a_reason_is_refused_next_to_the_field(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            f"{BASE}initiatives/new/",
            {
                "title": "Typed title stays",
                "horizon": "later",
                "status": "proposed",
                "impact": "1.0",
                "effort": "2",
                "score_override": "80",
            },
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, 'id="id_override_reason_error"', status_code=422)
        self.assertContains(response, "Say why the score is set by hand", status_code=422)
        self.assertContains(response, 'value="Typed title stays"', status_code=422)
        self.assertContains(response, 'value="80"', status_code=422)
        self.assertFalse(Initiative.objects.filter(title="Typed title stays").exists())

    def test_bad_numbers_are_refused_next_to_their_field(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            f"{BASE}initiatives/{self.initiative.pk}/edit/",
            {"title": "Still here", "impact": "2.0", "effort": "zero"},
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, 'id="id_effort_error"', status_code=422)
        self.assertContains(response, 'value="zero"', status_code=422)

    def test_move_from_the_board_with_a_reason(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            f"{BASE}initiatives/{self.initiative.pk}/move/",
            {
                "horizon": "next",
                "status": "planned",
                "reason": "Waiting on design",
                "next": "board",
            },
        )
        self.assertRedirects(response, f"{BASE}#initiative-{self.initiative.pk}")
        move = Move.objects.latest("id")
        self.assertEqual((move.to_horizon, move.reason), ("next", "Waiting on design"))
        self.assertEqual(
            self.client.get(f"{BASE}initiatives/{self.initiative.pk}/move/").status_code, 405
        )

    def test_a_move_that_changes_nothing_is_explained_on_the_page(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            f"{BASE}initiatives/{self.initiative.pk}/move/",
            {"horizon": "now", "status": "proposed", "reason": "kept"},
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "It is already in Now", status_code=422)
        self.assertContains(response, "kept</textarea>", status_code=422)

    def test_a_goal_without_key_results_cannot_be_made_active_in_the_form(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            f"{BASE}goals/{self.goal.pk}/edit/", {"objective": "Win", "status": "active"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, 'id="id_status_error"', status_code=422)
        self.assertContains(response, "not measurable", status_code=422)
        self.goal.refresh_from_db()
        self.assertEqual(self.goal.status, "draft")

    def test_add_a_key_result_then_activate_the_goal(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            f"{BASE}goals/{self.goal.pk}/key-results/new/",
            {"metric": "Churn", "unit": "%", "baseline": "2.4", "target": "1.5", "current": ""},
        )
        self.assertRedirects(response, f"{BASE}goals/#goal-{self.goal.pk}")
        kr = self.goal.key_results.get()
        self.assertEqual((kr.baseline, kr.target, kr.current), (2.4, 1.5, 2.4))
        response = self.client.post(
            f"{BASE}goals/{self.goal.pk}/edit/", {"objective": "Win", "status": "active"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Goal.objects.get(pk=self.goal.pk).status, "active")

    def test_a_bad_key_result_keeps_what_was_typed(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            f"{BASE}goals/{self.goal.pk}/key-results/new/",
            {"metric": "Churn", "baseline": "two", "target": "1.5"},
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, 'id="id_baseline_error"', status_code=422)
        self.assertContains(response, 'value="two"', status_code=422)

    def test_the_nav_links_the_roadmap(self) -> None:
        self.client.force_login(self.vic)
        response = self.client.get("/w/acme/roadmap/goals/")
        self.assertContains(response, '<a href="/w/acme/roadmap/" aria-current="page">Roadmap</a>')


class UnitsTestCase(SimpleTestCase):
    def test_units_are_written_where_people_write_them(self) -> None:
        self.assertEqual(with_unit(2.4, "%"), "2.4%")
        self.assertEqual(with_unit(900, "€"), "€900")
        self.assertEqual(with_unit(3, "days"), "3 days")
        self.assertEqual(with_unit(1500, ""), "1,500")
