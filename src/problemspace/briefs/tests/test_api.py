"""Briefs and their schedules over the API, with the roles of the pages."""

from __future__ import annotations

import json
from typing import Any

from problemspace.briefs.models import Brief, BriefSchedule
from problemspace.briefs.tests.factories import PHONE_QUOTE, Story, build_story
from problemspace.testing import BaseTestCase
from problemspace.workspaces.models import Member


class ApiTestCase(BaseTestCase):
    story: Story

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.story = build_story(
            cls.workspace, Member.objects.get(user=cls.bob), Member.objects.get(user=cls.carol)
        )

    def call(self, method: str, path: str, user: Any, body: Any = None) -> Any:
        extra: dict[str, Any] = {"headers": self.api_key(user)}
        if body is not None:
            extra["data"] = json.dumps(body)
            extra["content_type"] = "application/json"
        return getattr(self.client, method)(f"/api/w/acme{path}", **extra)

    def test_an_editor_makes_a_brief_and_a_viewer_reads_it(self) -> None:
        made = self.call("post", "/briefs", self.bob, {"audience": "executives", "days": 30})
        self.assertEqual(made.status_code, 201, made.content)
        body = made.json()
        self.assertEqual(body["audience"], "executives")
        self.assertTrue(body["url"].endswith(f"/w/acme/briefs/{body['id']}/"))
        problems = next(s for s in body["content"]["sections"] if s["key"] == "problems")
        self.assertEqual(problems["items"][0]["quotes"][0]["text"], PHONE_QUOTE)

        listed = self.call("get", "/briefs", self.vic)
        self.assertEqual([b["id"] for b in listed.json()], [body["id"]])
        self.assertNotIn("content", listed.json()[0])
        one = self.call("get", f"/briefs/{body['id']}", self.vic)
        self.assertEqual(one.json()["content"]["title"], body["content"]["title"])

    def test_a_period_between_dates_and_bad_periods(self) -> None:
        made = self.call(
            "post",
            "/briefs",
            self.bob,
            {"audience": "sales", "start": "2026-11-01", "end": "2026-11-30"},
        )
        self.assertEqual(made.status_code, 201, made.content)
        self.assertEqual(made.json()["period_label"], "1\N{EN DASH}30 Nov 2026")
        for body, said in [
            ({"audience": "sales", "start": "2026-11-30", "end": "2026-11-01"}, "ends before"),
            ({"audience": "sales", "start": "2026-11-01"}, "both start and end"),
            ({"days": 7}, "audience"),
        ]:
            with self.subTest(body=body):
                response = self.call("post", "/briefs", self.bob, body)
                self.assertEqual(response.status_code, 422)
                self.assertIn(said, response.json()["detail"])
        self.assertEqual(Brief.objects.count(), 1)

    def test_viewers_and_contributors_cannot_make_briefs_or_schedules(self) -> None:
        for user in (self.vic, self.carol):
            with self.subTest(user=user.username):
                made = self.call("post", "/briefs", user, {"audience": "sales"})
                self.assertEqual(made.status_code, 403)
                scheduled = self.call(
                    "post", "/brief-schedules", user, {"audience": "sales", "emails": ["a@b.co"]}
                )
                self.assertEqual(scheduled.status_code, 403)
        self.assertFalse(Brief.objects.exists())
        self.assertFalse(BriefSchedule.objects.exists())

    def test_schedules_crud(self) -> None:
        vic = Member.objects.get(user=self.vic)
        made = self.call(
            "post",
            "/brief-schedules",
            self.bob,
            {
                "audience": "executives",
                "weekday": 0,
                "time_of_day": "08:00",
                "member_ids": [vic.pk],
                "emails": ["board@acme.example"],
            },
        )
        self.assertEqual(made.status_code, 201, made.content)
        schedule = made.json()
        self.assertEqual(schedule["description"], "Every Monday at 08:00, the last 7 days")
        self.assertIsNotNone(schedule["next_run_at"])
        self.assertIsNone(schedule["last_send"])

        changed = self.call(
            "patch", f"/brief-schedules/{schedule['id']}", self.bob, {"active": False}
        )
        self.assertEqual(changed.status_code, 200, changed.content)
        self.assertIsNone(changed.json()["next_run_at"])
        self.assertEqual(changed.json()["member_ids"], [vic.pk])

        bad = self.call(
            "patch", f"/brief-schedules/{schedule['id']}", self.bob, {"emails": ["nope"]}
        )
        self.assertEqual(bad.status_code, 422)
        charlie = Member.objects.get(user=self.charlie)
        stranger = self.call(
            "patch", f"/brief-schedules/{schedule['id']}", self.bob, {"member_ids": [charlie.pk]}
        )
        self.assertEqual(stranger.status_code, 422)
        self.assertIn("members of this workspace", stranger.json()["detail"])

        read = self.call("get", "/brief-schedules", self.vic)
        self.assertEqual([s["id"] for s in read.json()], [schedule["id"]])
        self.assertEqual(
            self.call("delete", f"/brief-schedules/{schedule['id']}", self.vic).status_code, 403
        )
        self.assertEqual(
            self.call("delete", f"/brief-schedules/{schedule['id']}", self.bob).status_code, 204
        )
        self.assertFalse(BriefSchedule.objects.exists())
