"""Goals and the roadmap over the API, with the same rules and roles as the pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from problemspace.roadmap.models import Goal, Initiative
from problemspace.roadmap.tests.factories import (
    KEY_RESULT,
    make_goal,
    make_initiative,
    make_problem_with_evidence,
)
from problemspace.testing import BaseTestCase

API = "/api/w/acme"


class ApiTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.bob_member = self.member(self.bob)
        self.problem = make_problem_with_evidence(
            self.workspace, "Approvals stall", accounts=6, at=timezone.now() - timedelta(days=2)
        )

    def call(self, method: str, path: str, user: Any = None, body: Any = None) -> Any:
        headers = self.api_key(user or self.bob)
        kwargs: dict[str, Any] = {"headers": headers}
        if body is not None:
            kwargs |= {"data": body, "content_type": "application/json"}
        return getattr(self.client, method)(f"{API}{path}", **kwargs)

    def test_create_a_goal_with_key_results_and_read_it_back(self) -> None:
        response = self.call(
            "post",
            "/goals",
            body={
                "objective": "Win mid-market",
                "status": "active",
                "key_results": [{**KEY_RESULT, "current": 21.5}],
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        goal = response.json()
        self.assertTrue(goal["measurable"])
        self.assertEqual(goal["key_results"][0]["progress"], 0.5)
        self.assertEqual(goal["key_results"][0]["direction"], "up")
        listed = self.call("get", "/goals", user=self.vic).json()
        self.assertEqual([g["id"] for g in listed], [goal["id"]])
        self.assertEqual(self.call("get", f"/goals/{goal['id']}", user=self.vic).json(), goal)

    def test_a_goal_without_key_results_cannot_be_active(self) -> None:
        response = self.call("post", "/goals", body={"objective": "Win", "status": "active"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("not measurable", response.json()["detail"])
        self.assertFalse(Goal.objects.exists())
        goal = make_goal(self.bob_member)
        response = self.call("patch", f"/goals/{goal.pk}", body={"status": "active"})
        self.assertEqual(response.status_code, 422)
        response = self.call(
            "patch", f"/goals/{goal.pk}", body={"status": "active", "key_results": [KEY_RESULT]}
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "active")

    def test_create_list_filter_and_move_initiatives(self) -> None:
        goal = make_goal(self.bob_member)
        response = self.call(
            "post",
            "/initiatives",
            body={
                "title": "Approve from a phone",
                "horizon": "next",
                "problem_ids": [self.problem.pk],
                "goal_ids": [goal.pk],
                "impact": 2,
                "effort": 4,
                "reason": "Approvers ask",
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        created = response.json()
        self.assertEqual(created["score"]["reach"], 6)
        self.assertEqual(created["score"]["value"], 3.0)
        self.assertEqual(created["history"][0]["reason"], "Approvers ask")
        make_initiative(self.bob_member, "Later", score_override=9, override_reason="Bet")
        page = self.call("get", "/initiatives", user=self.vic).json()
        self.assertEqual([i["title"] for i in page["items"]], ["Later", "Approve from a phone"])
        self.assertEqual(page["items"][0]["score"]["override_reason"], "Bet")
        only_next = self.call("get", "/initiatives?horizon=next", user=self.vic).json()
        self.assertEqual(only_next["count"], 1)
        moved = self.call(
            "post",
            f"/initiatives/{created['id']}/move",
            body={"horizon": "now", "status": "in_progress", "reason": "Design done"},
        )
        self.assertEqual(moved.status_code, 200, moved.content)
        last = moved.json()["history"][-1]
        self.assertEqual(
            (last["from_horizon"], last["to_horizon"], last["reason"]),
            ("next", "now", "Design done"),
        )

    def test_an_override_without_a_reason_is_refused(self) -> None:
        initiative = make_initiative(self.bob_member)
        response = self.call("patch", f"/initiatives/{initiative.pk}", body={"score_override": 40})
        self.assertEqual(response.status_code, 422)
        self.assertIn("override_reason", response.json()["detail"])
        response = self.call(
            "patch",
            f"/initiatives/{initiative.pk}",
            body={"score_override": 40, "override_reason": "Renewals"},
        )
        self.assertEqual(response.json()["score"]["value"], 40)
        response = self.call(
            "patch", f"/initiatives/{initiative.pk}", body={"override_reason": "Three renewals"}
        )
        self.assertEqual(response.json()["score"]["override_reason"], "Three renewals")
        response = self.call(
            "patch", f"/initiatives/{initiative.pk}", body={"score_override": None}
        )
        self.assertIsNone(response.json()["score"]["override"])

    def test_null_leaves_it_without_an_owner(self) -> None:
        initiative = make_initiative(self.bob_member, owner=self.bob_member)
        response = self.call("patch", f"/initiatives/{initiative.pk}", body={"owner_id": None})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertIsNone(response.json()["owner"])

    def test_readers_cannot_write(self) -> None:
        initiative = make_initiative(self.bob_member)
        goal = make_goal(self.bob_member)
        for user in (self.carol, self.vic):
            for method, path, body in (
                ("post", "/goals", {"objective": "x"}),
                ("patch", f"/goals/{goal.pk}", {"objective": "x"}),
                ("post", "/initiatives", {"title": "x"}),
                ("patch", f"/initiatives/{initiative.pk}", {"title": "x"}),
                ("post", f"/initiatives/{initiative.pk}/move", {"horizon": "now"}),
            ):
                with self.subTest(user=user.username, path=path, method=method):
                    self.assertEqual(self.call(method, path, user=user, body=body).status_code, 403)
        self.assertEqual(Initiative.objects.get().horizon, "later")

    def test_outsiders_get_404(self) -> None:
        initiative = make_initiative(self.bob_member)
        for path in ("/goals", "/initiatives", f"/initiatives/{initiative.pk}"):
            self.assertEqual(self.call("get", path, user=self.charlie).status_code, 404)

    def test_roadmap_moves_of_a_period(self) -> None:
        initiative = make_initiative(self.bob_member)
        self.call(
            "post", f"/initiatives/{initiative.pk}/move", body={"status": "planned", "reason": "R"}
        )
        since = (timezone.now() - timedelta(hours=1)).isoformat()
        until = (timezone.now() + timedelta(hours=1)).isoformat()
        response = self.client.get(
            f"{API}/roadmap-moves",
            {"since": since, "until": until},
            headers=self.api_key(self.vic),
        )
        self.assertEqual(response.status_code, 200, response.content)
        rows = response.json()
        self.assertEqual(
            [(r["from_status"], r["to_status"]) for r in rows],
            [(None, "proposed"), ("proposed", "planned")],
        )
        missing = self.call("get", "/roadmap-moves", user=self.vic)
        self.assertEqual(missing.status_code, 422)
