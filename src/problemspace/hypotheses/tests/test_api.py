from __future__ import annotations

import json
from typing import Any

from problemspace.evidence.tests.factories import make_evidence
from problemspace.hypotheses.models import Hypothesis, LearningCard, Status
from problemspace.hypotheses.tests.factories import make_experiment, make_hypothesis
from problemspace.problems.models import Problem
from problemspace.testing import BaseTestCase


class AssumptionApiTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.bob_member = self.member(self.bob)
        self.problem = Problem.objects.create(workspace=self.workspace, title="Approvals stall")
        self.risky = make_hypothesis(
            self.bob_member, "Approvers travel", kind="problem", importance=5, evidence_strength=1
        )
        self.value = make_hypothesis(
            self.bob_member, "They would pay", kind="value", importance=2, evidence_strength=4
        )

    def call(self, user: Any, method: str, path: str, body: Any = None) -> Any:
        kwargs: dict[str, Any] = {"headers": self.api_key(user)}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(f"/api/w/acme{path}", **kwargs)

    def test_it_lists_and_filters(self) -> None:
        response = self.call(self.vic, "get", "/hypotheses")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["count"], 2)
        self.assertEqual([h["id"] for h in body["items"]], [self.risky.pk, self.value.pk])
        self.assertTrue(body["items"][0]["test_first"])
        only = self.call(self.vic, "get", "/hypotheses?kind=value").json()
        self.assertEqual([h["id"] for h in only["items"]], [self.value.pk])
        none = self.call(self.vic, "get", "/hypotheses?status=validated").json()
        self.assertEqual(none["count"], 0)
        self.assertEqual(self.call(self.vic, "get", "/hypotheses?status=dead").status_code, 422)

    def test_an_editor_creates_and_a_contributor_cannot(self) -> None:
        evidence = make_evidence(self.workspace, "We approve on phones.")
        body = {
            "statement": "Firms switch clients daily.",
            "kind": "usability",
            "importance": 3,
            "evidence_strength": 2,
            "problem_ids": [self.problem.pk],
            "evidence_ids": [evidence.pk],
            "owner_id": self.bob_member.pk,
        }
        self.assertEqual(self.call(self.carol, "post", "/hypotheses", body).status_code, 403)
        response = self.call(self.bob, "post", "/hypotheses", body)
        self.assertEqual(response.status_code, 201, response.content)
        created = response.json()
        self.assertEqual(created["status"], "untested")
        self.assertEqual(created["problem_ids"], [self.problem.pk])
        self.assertEqual(created["evidence_ids"], [evidence.pk])
        self.assertEqual(created["owner"]["member_id"], self.bob_member.pk)

    def test_bad_input_is_422_and_writes_nothing(self) -> None:
        out_of_range = {"statement": "x", "importance": 6}
        self.assertEqual(self.call(self.bob, "post", "/hypotheses", out_of_range).status_code, 422)
        empty = self.call(self.bob, "post", "/hypotheses", {"statement": " "})
        self.assertEqual(empty.status_code, 422)
        self.assertIn("statement", empty.json()["detail"])
        secret = Problem.objects.create(workspace=self.other_workspace, title="Secret")
        foreign = self.call(
            self.bob, "post", "/hypotheses", {"statement": "x", "problem_ids": [secret.pk]}
        )
        self.assertEqual(foreign.status_code, 422)
        self.assertEqual(Hypothesis.objects.count(), 2)

    def test_get_and_patch_with_the_transition_rules(self) -> None:
        path = f"/hypotheses/{self.risky.pk}"
        self.assertEqual(self.call(self.vic, "get", path).json()["statement"], "Approvers travel")
        self.assertEqual(self.call(self.vic, "patch", path, {"importance": 4}).status_code, 403)
        jump = self.call(self.bob, "patch", path, {"status": "validated", "importance": 4})
        self.assertEqual(jump.status_code, 422)
        self.assertIn("cannot go from untested to validated", jump.json()["detail"])
        self.risky.refresh_from_db()
        self.assertEqual((self.risky.importance, self.risky.status), (5, Status.UNTESTED))
        ok = self.call(
            self.bob, "patch", path, {"status": "testing", "problem_ids": [self.problem.pk]}
        )
        self.assertEqual(ok.status_code, 200)
        self.assertEqual(ok.json()["status"], "testing")
        self.assertEqual(ok.json()["history"][0]["to_status"], "testing")
        self.assertEqual(ok.json()["problem_ids"], [self.problem.pk])

    def test_plan_an_experiment_and_record_its_result(self) -> None:
        planned = self.call(
            self.bob,
            "post",
            f"/hypotheses/{self.risky.pk}/experiments",
            {"test": "Call five controllers.", "criterion": "Three of five."},
        )
        self.assertEqual(planned.status_code, 201, planned.content)
        experiment = planned.json()["id"]
        result_path = f"/experiments/{experiment}/result"
        self.assertEqual(
            self.call(self.carol, "post", result_path, {"observation": "x"}).status_code, 403
        )
        missing = self.call(self.bob, "post", result_path, {"outcome": "validated"})
        self.assertEqual(missing.status_code, 422)
        self.assertIn("observation", missing.json()["detail"])
        quote = make_evidence(self.workspace, "From the airport lounge, again.")
        response = self.call(
            self.bob,
            "post",
            result_path,
            {"observation": "Four of five.", "outcome": "invalidated", "evidence_ids": [quote.pk]},
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["hypothesis"]["status"], "invalidated")
        self.assertEqual(body["experiment"]["status"], "done")
        self.assertEqual(body["experiment"]["learning"]["evidence_ids"], [quote.pk])
        again = self.call(
            self.bob, "post", result_path, {"observation": "x", "outcome": "validated"}
        )
        self.assertEqual(again.status_code, 422)
        self.assertEqual(LearningCard.objects.count(), 1)
        changes = self.call(
            self.vic,
            "get",
            "/assumption-changes?since=2000-01-01T00:00:00Z&until=2100-01-01T00:00:00Z",
        )
        self.assertEqual([c["to_status"] for c in changes.json()], ["invalidated"])

    def test_start_moves_the_assumption_to_testing(self) -> None:
        experiment = make_experiment(self.bob_member, self.value)
        response = self.call(self.bob, "post", f"/experiments/{experiment.pk}/start")
        self.assertEqual(response.json()["status"], "running")
        self.value.refresh_from_db()
        self.assertEqual(self.value.status, Status.TESTING)

    def test_the_period_is_required(self) -> None:
        self.assertEqual(self.call(self.vic, "get", "/assumption-changes").status_code, 422)

    def test_outsiders_get_404(self) -> None:
        response = self.client.get(
            f"/api/w/acme/hypotheses/{self.risky.pk}", headers=self.api_key(self.charlie)
        )
        self.assertEqual(response.status_code, 404)
