from __future__ import annotations

import json
from datetime import timedelta
from unittest import mock

from django.utils import timezone

from problemspace.evidence.tests.factories import make_account, make_evidence
from problemspace.problems.models import PlacedBy, Problem, ProblemEvidence, RunStatus, SynthesisRun
from problemspace.problems.tests.factories import make_problem
from problemspace.synthesis.embedding import HashingEmbedder
from problemspace.testing import BaseTestCase


class ProblemApiTestCase(BaseTestCase):
    def setUp(self):
        globex = make_account(self.workspace, "Globex")
        self.said = [
            make_evidence(
                self.workspace,
                f"Exports time out ({i})",
                account=globex,
                source="zendesk",
                external_id=f"T-{i}",
            )
            for i in range(4)
        ]
        self.exports = make_problem(
            self.workspace,
            "Exports time out",
            evidence=self.said,
            score=0.7,
            explanation="1 account, 100% first-hand, rising",
        )
        self.sso = make_problem(
            self.workspace,
            "SSO breaks",
            evidence=[make_evidence(self.workspace, "SSO broke")],
            score=0.3,
        )
        self.headers = self.api_key(self.bob)
        patcher = mock.patch(
            "problemspace.problems.edits.embedder_for", return_value=HashingEmbedder()
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def call(self, method, path, body=None, user=None):
        headers = self.api_key(user) if user else self.headers
        kwargs: dict[str, object] = {"headers": headers}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(f"/api/w/acme/problems{path}", **kwargs)


class ListTestCase(ProblemApiTestCase):
    def test_it_lists_the_ranking_with_explanations_and_evidence_counts(self):
        SynthesisRun.objects.create(
            workspace=self.workspace,
            mode="full",
            status=RunStatus.DONE,
            ranking=[self.sso.pk, self.exports.pk],
            finished_at=timezone.now() - timedelta(hours=1),
        )
        SynthesisRun.objects.create(
            workspace=self.workspace,
            mode="full",
            status=RunStatus.DONE,
            ranking=[self.exports.pk, self.sso.pk],
            finished_at=timezone.now(),
        )
        response = self.call("get", "", user=self.vic)
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["count"], 2)
        self.assertIsNone(body["next_offset"])
        first = body["items"][0]
        self.assertEqual(
            {
                k: first[k]
                for k in ("id", "title", "explanation", "evidence_count", "rank", "movement")
            },
            {
                "id": self.exports.pk,
                "title": "Exports time out",
                "explanation": "1 account, 100% first-hand, rising",
                "evidence_count": 4,
                "rank": 1,
                "movement": 1,
            },
        )
        self.assertEqual(first["figures"]["accounts"], 1)
        self.assertEqual(body["items"][1]["movement"], -1)

    def test_it_pages_and_filters(self):
        page = self.call("get", "?limit=1").json()
        self.assertEqual([p["id"] for p in page["items"]], [self.exports.pk])
        self.assertEqual(page["next_offset"], 1)
        rest = self.call("get", "?limit=1&offset=1").json()
        self.assertEqual([p["id"] for p in rest["items"]], [self.sso.pk])
        self.sso.dismissed = True
        self.sso.save()
        self.assertEqual(self.call("get", "").json()["count"], 1)
        dismissed = self.call("get", "?dismissed=true").json()["items"]
        self.assertEqual(dismissed[1]["id"], self.sso.pk)
        self.assertIsNone(dismissed[1]["rank"])
        make_problem(self.workspace, "Support was fantastic", score=0.9, praise=True)
        self.assertEqual(self.call("get", "").json()["count"], 1)
        praise = self.call("get", "?praise=true").json()["items"]
        self.assertEqual(
            [(p["title"], p["praise"]) for p in praise][-1], ("Support was fantastic", True)
        )
        self.assertEqual(self.call("get", "?status=solved").json()["count"], 0)
        self.assertEqual(self.call("get", "?status=finished").status_code, 422)
        self.assertEqual(self.call("get", "?limit=0").status_code, 422)

    def test_it_checks_ownership(self):
        self.assertEqual(self.call("get", "", user=self.charlie).status_code, 404)


class DetailTestCase(ProblemApiTestCase):
    def test_it_gives_the_evidence_ids_external_ids_quotes_and_components(self):
        response = self.call("get", f"/{self.exports.pk}", user=self.vic)
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["evidence_ids"], sorted(e.pk for e in self.said))
        self.assertEqual(
            body["external_ids"][0],
            {"evidence_id": self.said[0].pk, "source": "zendesk", "external_id": "T-0"},
        )
        self.assertEqual([q["id"] for q in body["quotes"]], [e.pk for e in self.said[:3]])
        self.assertEqual(body["quotes"][0]["text"], "Exports time out (0)")
        self.assertEqual(body["quotes"][0]["account"], "Globex")
        self.assertEqual(body["components"]["reach"], 0.5)
        self.assertEqual(body["weights"]["reach"], 0.35)

    def test_it_checks_ownership(self):
        theirs = make_problem(self.other_workspace, "Theirs")
        self.assertEqual(self.call("get", f"/{theirs.pk}").status_code, 404)
        self.assertEqual(
            self.call("get", f"/{self.exports.pk}", user=self.charlie).status_code, 404
        )


class PatchTestCase(ProblemApiTestCase):
    def test_it_changes_the_fields_sent(self):
        response = self.call(
            "patch",
            f"/{self.exports.pk}",
            {"title": "Big exports fail", "status": "validated", "pinned": True},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["title"], "Big exports fail")
        self.exports.refresh_from_db()
        self.assertEqual(
            (
                self.exports.title,
                self.exports.title_edited,
                self.exports.status,
                self.exports.pinned,
            ),
            ("Big exports fail", True, "validated", True),
        )
        self.call("patch", f"/{self.exports.pk}", {"dismissed": True, "statement": "Month-end."})
        self.exports.refresh_from_db()
        self.assertEqual((self.exports.dismissed, self.exports.statement), (True, "Month-end."))
        self.assertEqual(self.exports.title, "Big exports fail")

    def test_an_empty_title_changes_nothing(self):
        response = self.call("patch", f"/{self.exports.pk}", {"status": "solved", "title": "  "})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"], "A problem needs a title.")
        self.exports.refresh_from_db()
        self.assertEqual(
            (self.exports.title, self.exports.status), ("Exports time out", "discovered")
        )

    def test_an_unknown_status_is_refused(self):
        response = self.call("patch", f"/{self.exports.pk}", {"status": "done"})
        self.assertEqual(response.status_code, 422)

    def test_a_nul_character_is_refused_rather_than_failing_in_the_database(self):
        response = self.call("patch", f"/{self.exports.pk}", {"statement": "a\x00b"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("NUL character", response.json()["detail"])

    def test_it_requires_the_editor_role(self):
        for user in (self.vic, self.carol):
            response = self.call("patch", f"/{self.exports.pk}", {"title": "Hacked"}, user=user)
            self.assertEqual(response.status_code, 403)
        self.exports.refresh_from_db()
        self.assertEqual(self.exports.title, "Exports time out")

    def test_it_checks_ownership(self):
        theirs = make_problem(self.other_workspace, "Theirs")
        self.assertEqual(self.call("patch", f"/{theirs.pk}", {"title": "Mine"}).status_code, 404)
        response = self.call("patch", f"/{self.exports.pk}", {"title": "X"}, user=self.charlie)
        self.assertEqual(response.status_code, 404)


class MergeSplitMoveTestCase(ProblemApiTestCase):
    def test_it_merges_a_problem_into_another(self):
        response = self.call("post", f"/{self.sso.pk}/merge", {"into": self.exports.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["id"], self.exports.pk)
        self.assertEqual(response.json()["evidence_count"], 5)
        self.assertFalse(Problem.objects.filter(pk=self.sso.pk).exists())

    def test_it_cannot_merge_into_itself_or_nowhere(self):
        response = self.call("post", f"/{self.sso.pk}/merge", {"into": self.sso.pk})
        self.assertEqual(response.status_code, 422)
        self.assertIn("cannot be merged into itself", response.json()["detail"])
        self.assertEqual(self.call("post", f"/{self.sso.pk}/merge", {}).status_code, 422)
        theirs = make_problem(self.other_workspace, "Theirs")
        response = self.call("post", f"/{self.sso.pk}/merge", {"into": theirs.pk})
        self.assertEqual(response.status_code, 422)
        self.assertTrue(
            Problem.objects.filter(pk=theirs.pk, workspace=self.other_workspace).exists()
        )
        self.assertTrue(Problem.objects.filter(pk=self.sso.pk).exists())

    def test_it_splits_evidence_off_into_a_new_problem(self):
        ids = [self.said[0].pk, self.said[1].pk]
        response = self.call(
            "post", f"/{self.exports.pk}/split", {"evidence_ids": ids, "title": "PDF exports"}
        )
        self.assertEqual(response.status_code, 201)
        body = response.json()
        self.assertEqual(
            (body["title"], sorted(body["evidence_ids"])), ("PDF exports", sorted(ids))
        )
        self.assertEqual(self.exports.links.count(), 2)

    def test_a_split_needs_evidence(self):
        response = self.call(
            "post", f"/{self.exports.pk}/split", {"evidence_ids": [], "title": "X"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"], "Choose evidence of this problem to split off.")
        self.assertEqual(Problem.objects.count(), 2)

    def test_it_moves_evidence_into_this_problem(self):
        loose = make_evidence(self.workspace, "Exports hang at 99%")
        moved = [self.said[3].pk, loose.pk]
        response = self.call("post", f"/{self.sso.pk}/move", {"evidence_ids": moved})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["moved"], 2)
        self.assertLessEqual(set(moved), set(response.json()["problem"]["evidence_ids"]))
        link = ProblemEvidence.objects.get(evidence_id=loose.pk)
        self.assertEqual((link.problem_id, link.placed_by), (self.sso.pk, PlacedBy.PM))

    def test_another_workspaces_evidence_cannot_be_moved(self):
        theirs = make_evidence(self.other_workspace, "Their secret")
        response = self.call("post", f"/{self.sso.pk}/move", {"evidence_ids": [theirs.pk]})
        self.assertEqual(response.status_code, 422)
        self.assertFalse(ProblemEvidence.objects.filter(evidence=theirs).exists())
        self.assertEqual(
            self.call("post", f"/{self.sso.pk}/move", {"evidence_ids": []}).status_code, 422
        )

    def test_ids_beyond_the_database_range_are_refused(self):
        huge = 2**70
        for path, body in (
            (f"/{self.sso.pk}/move", {"evidence_ids": [huge]}),
            (f"/{self.exports.pk}/split", {"evidence_ids": [huge]}),
            (f"/{self.sso.pk}/merge", {"into": huge}),
        ):
            with self.subTest(path=path):
                self.assertEqual(self.call("post", path, body).status_code, 422)
        self.assertEqual(self.call("get", f"?offset={huge}").status_code, 422)

    def test_writes_require_the_editor_role(self):
        for user in (self.vic, self.carol):
            for path, body in (
                (f"/{self.sso.pk}/merge", {"into": self.exports.pk}),
                (f"/{self.exports.pk}/split", {"evidence_ids": [self.said[0].pk]}),
                (f"/{self.sso.pk}/move", {"evidence_ids": [self.said[0].pk]}),
            ):
                with self.subTest(user=user.username, path=path):
                    self.assertEqual(self.call("post", path, body, user=user).status_code, 403)
        self.assertEqual(Problem.objects.count(), 2)

    def test_writes_check_ownership(self):
        theirs = make_problem(self.other_workspace, "Theirs")
        for path in (f"/{theirs.pk}/merge", f"/{theirs.pk}/split", f"/{theirs.pk}/move"):
            self.assertEqual(self.call("post", path, {}).status_code, 404)
        response = self.call(
            "post", f"/{self.sso.pk}/merge", {"into": self.exports.pk}, user=self.charlie
        )
        self.assertEqual(response.status_code, 404)

    def test_a_session_without_csrf_token_cannot_write(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.bob)
        response = client.patch(
            f"/api/w/acme/problems/{self.exports.pk}",
            data=json.dumps({"title": "No token"}),
            content_type="application/json",
        )
        self.assertIn(response.status_code, (401, 403))
        self.exports.refresh_from_db()
        self.assertEqual(self.exports.title, "Exports time out")
