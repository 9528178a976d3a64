"""A person correcting what an item is (its kind): in the inbox's triage, on the item's page
and over the API; editors and owners only. Synthesis then keeps the person's decision."""

from __future__ import annotations

import json

from django.contrib.messages import get_messages

from problemspace.evidence.kinds import KindError, correct_kind
from problemspace.evidence.models import Evidence, Kind
from problemspace.evidence.tests.factories import make_evidence
from problemspace.testing import BaseTestCase


class KindCorrectionTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.thanks = make_evidence(
            self.workspace, "Thanks, love the new export!", kind=Kind.PROBLEM, kind_confidence=0.62
        )
        self.blank = make_evidence(self.workspace, "n/a", kind=Kind.OTHER, kind_confidence=0.9)
        self.undecided = make_evidence(self.workspace, "Can I export to Xero?")
        self.theirs = make_evidence(self.other_workspace, "Charlie's customer.", kind=Kind.PROBLEM)

    def kinds(self, *items: Evidence) -> list[tuple[str, bool, float | None]]:
        return [
            (e.kind, e.kind_corrected, e.kind_confidence)
            for e in Evidence.objects.filter(pk__in=[i.pk for i in items]).order_by("pk")
        ]


class CorrectKindServiceTestCase(KindCorrectionTestCase):
    def test_it_sets_the_kind_as_a_person_s_decision(self) -> None:
        message = correct_kind(self.workspace, [self.thanks.pk, self.undecided.pk], "praise")
        self.assertEqual(message, "Marked 2 items as praise.")
        self.assertEqual(
            self.kinds(self.thanks, self.undecided),
            [(Kind.PRAISE, True, None), (Kind.PRAISE, True, None)],
        )

    def test_confirming_synthesis_s_guess_makes_it_a_decision(self) -> None:
        self.assertEqual(
            correct_kind(self.workspace, [self.blank.pk], "other"),
            "Set 1 item aside as having no content.",
        )
        self.assertEqual(self.kinds(self.blank), [(Kind.OTHER, True, None)])
        again = correct_kind(self.workspace, [self.blank.pk], "No content")
        self.assertEqual(again, "1 item already marked set aside (no content): nothing changed.")

    def test_an_item_of_another_workspace_changes_nothing(self) -> None:
        with self.assertRaisesMessage(KindError, f"There is no evidence item {self.theirs.pk}"):
            correct_kind(self.workspace, [self.thanks.pk, self.theirs.pk], "praise")
        self.assertEqual(self.kinds(self.thanks), [(Kind.PROBLEM, False, 0.62)])
        self.assertEqual(self.kinds(self.theirs), [(Kind.PROBLEM, False, None)])

    def test_an_unknown_kind_is_refused(self) -> None:
        with self.assertRaisesMessage(KindError, "There is no kind 'rant'; use one of problem,"):
            correct_kind(self.workspace, [self.thanks.pk], "rant")
        self.assertEqual(self.kinds(self.thanks), [(Kind.PROBLEM, False, 0.62)])


class TriageKindTestCase(KindCorrectionTestCase):
    url = "/w/acme/triage/"

    def post(self, user, **data):
        self.client.force_login(user)
        data.setdefault("next", "/w/acme/inbox/")
        return self.client.post(self.url, data)

    def test_an_editor_marks_ticked_items(self) -> None:
        response = self.post(
            self.bob, evidence=[self.thanks.pk, self.blank.pk], action="kind", kind="praise"
        )
        self.assertRedirects(response, "/w/acme/inbox/", fetch_redirect_response=False)
        self.assertEqual(
            [str(m) for m in get_messages(response.wsgi_request)], ["Marked 2 items as praise."]
        )
        self.assertEqual(
            self.kinds(self.thanks, self.blank),
            [(Kind.PRAISE, True, None), (Kind.PRAISE, True, None)],
        )

    def test_it_needs_a_kind(self) -> None:
        response = self.post(self.alice, evidence=[self.thanks.pk], action="kind", kind="")
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertEqual(len(messages), 1)
        self.assertIn("Choose what the items are", messages[0])
        self.assertEqual(self.kinds(self.thanks), [(Kind.PROBLEM, False, 0.62)])

    def test_it_requires_the_editor_role(self) -> None:
        for user in (self.vic, self.carol):
            with self.subTest(user=user.username):
                response = self.post(user, evidence=[self.thanks.pk], action="kind", kind="praise")
                self.assertEqual(response.status_code, 403)
        self.assertEqual(self.kinds(self.thanks), [(Kind.PROBLEM, False, 0.62)])

    def test_it_checks_ownership(self) -> None:
        response = self.post(self.charlie, evidence=[self.thanks.pk], action="kind", kind="other")
        self.assertEqual(response.status_code, 404)
        # Nor can acme's editor reach another workspace's item through acme.
        response = self.post(self.bob, evidence=[self.theirs.pk], action="kind", kind="other")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.kinds(self.thanks), [(Kind.PROBLEM, False, 0.62)])
        self.assertEqual(self.kinds(self.theirs), [(Kind.PROBLEM, False, None)])

    def test_the_inbox_offers_the_correction_to_editors_only(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get("/w/acme/inbox/")
        self.assertContains(
            response,
            '<button type="submit" class="button-quiet" name="action" value="kind">Mark</button>',
            html=True,
        )
        self.client.force_login(self.vic)
        self.assertNotContains(self.client.get("/w/acme/inbox/"), 'value="kind"')


class EvidencePageKindTestCase(KindCorrectionTestCase):
    def test_the_page_has_a_small_form_with_the_current_kind(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(f"/w/acme/evidence/{self.thanks.pk}/")
        self.assertContains(
            response, '<option value="problem" selected>Problem</option>', html=True
        )
        self.assertContains(response, 'value="kind">Correct</button>')
        self.assertContains(response, "decided by synthesis, 62% sure")

    def test_correcting_on_the_page_comes_back_to_it(self) -> None:
        self.client.force_login(self.bob)
        page = f"/w/acme/evidence/{self.thanks.pk}/"
        response = self.client.post(
            "/w/acme/triage/",
            {"evidence": self.thanks.pk, "action": "kind", "kind": "praise", "next": page},
        )
        self.assertRedirects(response, page, fetch_redirect_response=False)
        self.assertContains(
            self.client.get(page), 'Praise <span class="muted">· set by a person</span>'
        )

    def test_viewers_and_contributors_see_no_form(self) -> None:
        for user in (self.vic, self.carol):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(f"/w/acme/evidence/{self.thanks.pk}/")
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, 'value="kind"')


class ApiKindTestCase(KindCorrectionTestCase):
    def patch(self, user, pk: int, body: dict[str, object], slug: str = "acme"):
        return self.client.patch(
            f"/api/w/{slug}/evidence/{pk}",
            data=json.dumps(body),
            content_type="application/json",
            headers=self.api_key(user),
        )

    def test_an_editor_corrects_the_kind(self) -> None:
        response = self.patch(self.bob, self.thanks.pk, {"kind": "praise"})
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(
            (body["kind"], body["kind_corrected"], body["kind_confidence"]),
            ("praise", True, None),
        )
        self.assertEqual(self.kinds(self.thanks), [(Kind.PRAISE, True, None)])

    def test_sending_nothing_changes_nothing(self) -> None:
        response = self.patch(self.alice, self.thanks.pk, {})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["kind"], "problem")
        self.assertEqual(self.kinds(self.thanks), [(Kind.PROBLEM, False, 0.62)])

    def test_an_unknown_kind_is_refused(self) -> None:
        response = self.patch(self.bob, self.thanks.pk, {"kind": "rant"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(self.kinds(self.thanks), [(Kind.PROBLEM, False, 0.62)])

    def test_it_requires_the_editor_role(self) -> None:
        for user in (self.vic, self.carol):
            with self.subTest(user=user.username):
                response = self.patch(user, self.thanks.pk, {"kind": "praise"})
                self.assertEqual(response.status_code, 403)
                self.assertIn("editor role", response.json()["detail"])
        self.assertEqual(self.kinds(self.thanks), [(Kind.PROBLEM, False, 0.62)])

    def test_it_checks_ownership(self) -> None:
        self.assertEqual(
            self.patch(self.charlie, self.thanks.pk, {"kind": "other"}).status_code, 404
        )
        self.assertEqual(self.patch(self.bob, self.theirs.pk, {"kind": "other"}).status_code, 404)
        self.assertEqual(self.kinds(self.thanks), [(Kind.PROBLEM, False, 0.62)])
        self.assertEqual(self.kinds(self.theirs), [(Kind.PROBLEM, False, None)])

    def test_reading_an_item_shows_its_kind_and_score(self) -> None:
        Evidence.objects.filter(pk=self.thanks.pk).update(score=5, score_scale="stars")
        response = self.client.get(
            f"/api/w/acme/evidence/{self.thanks.pk}", headers=self.api_key(self.vic)
        )
        body = response.json()
        self.assertEqual(
            {
                key: body[key]
                for key in ("kind", "kind_corrected", "kind_confidence", "score", "score_scale")
            },
            {
                "kind": "problem",
                "kind_corrected": False,
                "kind_confidence": 0.62,
                "score": 5.0,
                "score_scale": "stars",
            },
        )
        undecided = self.client.get(
            f"/api/w/acme/evidence/{self.undecided.pk}", headers=self.api_key(self.vic)
        ).json()
        self.assertEqual((undecided["kind"], undecided["score_scale"]), (None, None))
