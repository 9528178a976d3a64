"""Triage in the inbox and on an evidence page: assign, tag, relayed or first-hand."""

from __future__ import annotations

from unittest import mock

from django.contrib.messages import get_messages
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from problemspace.evidence.models import EvidenceTag, Provenance, Tag
from problemspace.evidence.tests.factories import make_account, make_evidence
from problemspace.problems.models import PlacedBy, Problem, ProblemEvidence, RunStatus, SynthesisRun
from problemspace.synthesis.embedding import HashingEmbedder
from problemspace.testing import BaseTestCase


class TriageTestCase(BaseTestCase):
    url = "/w/acme/triage/"
    inbox = "/w/acme/inbox/"

    def setUp(self) -> None:
        # The refresh after a move uses the last synthesis's model: the light one here.
        SynthesisRun.objects.create(
            workspace=self.workspace, model_id=HashingEmbedder.model_id, status=RunStatus.DONE
        )
        self.one = make_evidence(self.workspace, "Exports time out at month end.")
        self.two = make_evidence(self.workspace, "The export to NetSuite fails.")
        self.exports = Problem.objects.create(workspace=self.workspace, title="Exports fail")
        self.sso = Problem.objects.create(workspace=self.workspace, title="No SSO")

    def post(self, user, **data):
        self.client.force_login(user)
        data.setdefault("next", self.inbox)
        return self.client.post(self.url, data)

    def message(self, response) -> str:
        return " ".join(str(m) for m in get_messages(response.wsgi_request))

    def test_it_assigns_items_to_a_problem(self) -> None:
        response = self.post(
            self.bob, evidence=[self.one.pk, self.two.pk], action="assign", problem=self.exports.pk
        )
        self.assertRedirects(response, self.inbox, fetch_redirect_response=False)
        links = ProblemEvidence.objects.filter(problem=self.exports)
        self.assertEqual({link.evidence_id for link in links}, {self.one.pk, self.two.pk})
        self.assertTrue(all(link.placed_by == PlacedBy.PM for link in links))
        self.assertEqual(self.message(response), "Assigned 2 items to “Exports fail”.")

    def test_assigning_moves_an_item_out_of_its_old_problem(self) -> None:
        ProblemEvidence.objects.create(problem=self.sso, evidence=self.one)
        self.post(self.bob, evidence=[self.one.pk], action="assign", problem=self.exports.pk)
        self.assertEqual(ProblemEvidence.objects.get(evidence=self.one).problem, self.exports)

    def test_assigning_items_already_there_says_nothing_changed(self) -> None:
        ProblemEvidence.objects.create(problem=self.exports, evidence=self.one)
        response = self.post(
            self.bob, evidence=[self.one.pk], action="assign", problem=self.exports.pk
        )
        self.assertIn("nothing changed", self.message(response))

    def test_it_adds_a_tag_to_every_ticked_item(self) -> None:
        make_evidence(self.workspace, "Not ticked.")
        response = self.post(
            self.bob, evidence=[self.one.pk, self.two.pk], action="tag", tag="Billing"
        )
        tag = Tag.objects.get(workspace=self.workspace, name="billing")
        self.assertEqual(
            set(EvidenceTag.objects.filter(tag=tag).values_list("evidence_id", flat=True)),
            {self.one.pk, self.two.pk},
        )
        self.assertEqual(self.message(response), "Tagged 2 items #billing.")

    def test_adding_a_tag_twice_keeps_one(self) -> None:
        self.post(self.bob, evidence=[self.one.pk], action="tag", tag="sso")
        response = self.post(self.bob, evidence=[self.one.pk], action="tag", tag="SSO")
        self.assertEqual(EvidenceTag.objects.filter(evidence=self.one).count(), 1)
        self.assertIn("already tagged #sso", self.message(response))

    def test_it_marks_items_relayed_by_someone(self) -> None:
        response = self.post(
            self.bob,
            evidence=[self.one.pk, self.two.pk],
            action="relayed",
            relayed_by="Sam (Sales)",
        )
        for evidence in (self.one, self.two):
            evidence.refresh_from_db()
            self.assertEqual(evidence.provenance, Provenance.RELAYED)
            self.assertEqual(evidence.relayed_by, "Sam (Sales)")
        self.assertEqual(self.message(response), "Marked 2 items as relayed by Sam (Sales).")

    def test_relayed_needs_to_say_by_whom(self) -> None:
        response = self.post(self.bob, evidence=[self.one.pk], action="relayed", relayed_by="  ")
        self.one.refresh_from_db()
        self.assertEqual(self.one.provenance, Provenance.FIRST_HAND)
        self.assertIn("Say who relayed it", self.message(response))

    def test_it_marks_items_first_hand(self) -> None:
        relayed = make_evidence(self.workspace, provenance=Provenance.RELAYED, relayed_by="Jo")
        response = self.post(self.bob, evidence=[relayed.pk, self.one.pk], action="first_hand")
        relayed.refresh_from_db()
        self.assertEqual((relayed.provenance, relayed.relayed_by), (Provenance.FIRST_HAND, ""))
        self.assertEqual(self.message(response), "Marked 1 item as heard first-hand.")

    def test_enter_in_a_text_box_does_what_that_box_is_for(self) -> None:
        self.post(self.bob, evidence=[self.one.pk], action="auto", tag="pricing")
        self.assertTrue(self.one.tags.filter(name="pricing").exists())
        self.post(self.bob, evidence=[self.one.pk], action="auto", relayed_by="Kim")
        self.one.refresh_from_db()
        self.assertEqual(self.one.relayed_by, "Kim")

    def test_enter_with_two_boxes_filled_changes_nothing(self) -> None:
        response = self.post(
            self.bob, evidence=[self.one.pk], action="auto", tag="x", relayed_by="Kim"
        )
        self.assertIn("press the button", self.message(response))
        self.assertFalse(Tag.objects.filter(name="x").exists())

    def test_nothing_ticked_says_so(self) -> None:
        response = self.post(self.bob, action="tag", tag="billing")
        self.assertIn("Tick at least one item", self.message(response))
        self.assertFalse(Tag.objects.exists())

    def test_assign_without_a_problem_says_so(self) -> None:
        response = self.post(self.bob, evidence=[self.one.pk], action="assign", problem="")
        self.assertIn("Choose the problem", self.message(response))

    def test_it_goes_back_to_the_same_inbox_page_and_filters(self) -> None:
        back = "/w/acme/inbox/?channel=support&after=1741.5"
        response = self.post(self.bob, evidence=[self.one.pk], action="first_hand", next=back)
        self.assertRedirects(response, back, fetch_redirect_response=False)

    def test_it_never_sends_people_elsewhere(self) -> None:
        for back in [
            "https://evil.example/",
            "//evil.example/w/acme/",
            "/w/other/inbox/",
            "/\\evil",
        ]:
            with self.subTest(back=back):
                response = self.post(
                    self.bob, evidence=[self.one.pk], action="first_hand", next=back
                )
                self.assertRedirects(response, self.inbox, fetch_redirect_response=False)

    def test_it_requires_the_editor_role(self) -> None:
        for user in (self.vic, self.carol):
            with self.subTest(user=user.username):
                response = self.post(user, evidence=[self.one.pk], action="tag", tag="x")
                self.assertEqual(response.status_code, 403)
        self.assertFalse(Tag.objects.exists())
        response = self.post(self.alice, evidence=[self.one.pk], action="tag", tag="x")
        self.assertEqual(response.status_code, 302)

    def test_it_checks_membership(self) -> None:
        response = self.post(self.charlie, evidence=[self.one.pk], action="tag", tag="x")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Tag.objects.exists())

    def test_it_only_allows_post(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_it_requires_csrf(self) -> None:
        self.client.force_login(self.bob)
        self.client.handler.enforce_csrf_checks = True
        response = self.client.post(self.url, {"evidence": [self.one.pk], "action": "first_hand"})
        self.assertEqual(response.status_code, 403)

    def test_another_workspaces_evidence_is_refused_and_nothing_changes(self) -> None:
        theirs = make_evidence(self.other_workspace, "Their secret.")
        response = self.post(
            self.bob, evidence=[self.one.pk, theirs.pk], action="relayed", relayed_by="Sam"
        )
        self.assertEqual(response.status_code, 404)
        self.one.refresh_from_db()
        theirs.refresh_from_db()
        self.assertEqual(self.one.provenance, Provenance.FIRST_HAND)
        self.assertEqual(theirs.provenance, Provenance.FIRST_HAND)

    def test_another_workspaces_problem_is_refused(self) -> None:
        theirs = Problem.objects.create(workspace=self.other_workspace, title="Theirs")
        response = self.post(self.bob, evidence=[self.one.pk], action="assign", problem=theirs.pk)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(ProblemEvidence.objects.exists())

    def test_broken_ids_are_refused(self) -> None:
        response = self.post(self.bob, evidence=["1; DROP TABLE"], action="first_hand")
        self.assertIn("not known here", self.message(response))

    def test_a_failure_half_way_changes_nothing(self) -> None:
        ProblemEvidence.objects.create(problem=self.sso, evidence=self.one)
        with (
            mock.patch(
                "problemspace.problems.edits.synthesize_workspace", side_effect=RuntimeError("x")
            ),
            self.assertRaises(RuntimeError),
        ):
            self.post(self.bob, evidence=[self.one.pk], action="assign", problem=self.exports.pk)
        self.assertEqual(ProblemEvidence.objects.get(evidence=self.one).problem, self.sso)

    def test_a_tag_too_long_is_refused(self) -> None:
        response = self.post(self.bob, evidence=[self.one.pk], action="tag", tag="x" * 61)
        self.assertIn("too long", self.message(response))
        self.assertFalse(Tag.objects.exists())

    def test_messages_escape_what_people_typed(self) -> None:
        self.post(self.bob, evidence=[self.one.pk], action="relayed", relayed_by="<b>Sam</b>")
        response = self.client.get(self.inbox)
        self.assertContains(response, "relayed by &lt;b&gt;Sam&lt;/b&gt;")
        self.assertNotContains(response, "<b>Sam</b>")


class TriageControlsTestCase(BaseTestCase):
    url = "/w/acme/inbox/"

    def test_editors_get_a_checkbox_per_card_and_the_bulk_bar(self) -> None:
        one = make_evidence(self.workspace, "One")
        make_evidence(self.workspace, "Two")
        Problem.objects.create(workspace=self.workspace, title="Exports fail")
        self.client.force_login(self.bob)
        response = self.client.get(self.url, {"channel": "other"})
        self.assertContains(response, 'name="evidence"', count=2)
        self.assertContains(response, f'value="{one.pk}"')
        self.assertContains(response, 'action="/w/acme/triage/"')
        self.assertContains(response, "Exports fail")
        self.assertContains(response, 'name="next" value="/w/acme/inbox/?channel=other"')
        for action in ("assign", "tag", "relayed", "first_hand"):
            self.assertContains(response, f'value="{action}"')

    def test_viewers_and_contributors_get_no_triage_controls(self) -> None:
        make_evidence(self.workspace, "One")
        for user in (self.vic, self.carol):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(self.url)
                self.assertNotContains(response, 'name="evidence"')
                self.assertNotContains(response, "/w/acme/triage/")

    def test_cards_show_their_problem(self) -> None:
        evidence = make_evidence(self.workspace, "One")
        problem = Problem.objects.create(workspace=self.workspace, title="Exports <fail>")
        ProblemEvidence.objects.create(problem=problem, evidence=evidence)
        self.client.force_login(self.vic)
        response = self.client.get(self.url)
        self.assertContains(response, f'href="/w/acme/problems/{problem.pk}/"')
        self.assertContains(response, "Exports &lt;fail&gt;")

    @override_settings(INBOX_PAGE_SIZE=25)
    def test_triage_adds_no_query_per_card(self) -> None:
        globex = make_account(self.workspace, "Globex", segment="Enterprise")
        problem = Problem.objects.create(workspace=self.workspace, title="Exports fail")

        def add(first: int, last: int) -> None:
            for n in range(first, last):
                e = make_evidence(self.workspace, f"Item {n}", account=globex, tags=["a", "b"])
                ProblemEvidence.objects.create(problem=problem, evidence=e)

        add(0, 2)
        self.client.force_login(self.bob)
        self.client.get(self.url)  # the session is loaded once, like any later page
        with CaptureQueriesContext(connection) as two_cards:
            self.client.get(self.url)
        add(2, 25)
        with self.assertNumQueries(len(two_cards.captured_queries)):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["page"].items), 25)


class EvidencePageTriageTestCase(BaseTestCase):
    def setUp(self) -> None:
        SynthesisRun.objects.create(
            workspace=self.workspace, model_id=HashingEmbedder.model_id, status=RunStatus.DONE
        )
        self.evidence = make_evidence(
            self.workspace, "Approvals stall.", provenance=Provenance.RELAYED, relayed_by="Jo"
        )
        self.problem = Problem.objects.create(workspace=self.workspace, title="Approvals stall")
        self.url = f"/w/acme/evidence/{self.evidence.pk}/"

    def test_editors_can_triage_one_item_from_its_page(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get(self.url)
        self.assertContains(page, "Triage")
        self.assertContains(
            page, f'<input type="hidden" name="evidence" value="{self.evidence.pk}">'
        )
        self.assertContains(page, "Mark first-hand")
        self.assertContains(page, 'value="Jo"')
        response = self.client.post(
            "/w/acme/triage/",
            {
                "evidence": self.evidence.pk,
                "action": "assign",
                "problem": self.problem.pk,
                "next": self.url,
            },
        )
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        page = self.client.get(self.url)
        self.assertContains(page, "Assigned 1 item to “Approvals stall”.")
        self.assertContains(page, f'href="/w/acme/problems/{self.problem.pk}/"')
        self.assertContains(page, ">Move</button>")

    def test_viewers_see_the_problem_but_no_triage(self) -> None:
        ProblemEvidence.objects.create(problem=self.problem, evidence=self.evidence)
        self.client.force_login(self.vic)
        page = self.client.get(self.url)
        self.assertContains(page, "Approvals stall</a>")
        self.assertNotContains(page, "/w/acme/triage/")

    def test_an_item_without_a_problem_says_so(self) -> None:
        self.client.force_login(self.vic)
        self.assertContains(self.client.get(self.url), "Not in a problem yet")

    def test_without_problems_the_page_says_to_synthesize(self) -> None:
        self.problem.delete()
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(self.url), "No problems yet")

    def test_dismissed_problems_are_not_offered(self) -> None:
        Problem.objects.create(workspace=self.workspace, title="Dismissed one", dismissed=True)
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(self.url), "Dismissed one")
