"""The demo's briefs: a weekly executive schedule that sends nothing at build, and an executive
brief made once synthesis has found the demo's problems. The brief is also rendered to
test-artifacts/briefs/ (PDF and Markdown) to be looked at."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from unittest import mock

from django.test import TestCase, override_settings

from problemspace.briefs import render
from problemspace.briefs.models import Brief, BriefSchedule, BriefSend
from problemspace.briefs.tests.pdf import read_pdf
from problemspace.demo import story
from problemspace.demo.build import build_demo
from problemspace.workspaces.models import Workspace

TODAY = date(2026, 11, 23)
DEMO_NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "briefs"


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class DemoBriefsTestCase(TestCase):
    workspace: Workspace

    @classmethod
    def setUpTestData(cls) -> None:
        cls.workspace = build_demo(1729, today=TODAY)

    def test_the_demo_has_a_weekly_executive_schedule_and_sends_nothing_at_build(self) -> None:
        schedule = BriefSchedule.objects.get(workspace=self.workspace)
        self.assertEqual(schedule.audience, "executives")
        self.assertEqual((schedule.weekday, schedule.time_of_day), (0, time(8, 0)))
        self.assertEqual(
            sorted(schedule.members.values_list("user__username", flat=True)),
            sorted([story.EXEC.email, story.OWNER.email]),
        )
        self.assertIsNotNone(schedule.next_run_at)
        self.assertFalse(BriefSend.objects.exists())
        # No problems before synthesis, so no brief yet.
        self.assertFalse(Brief.objects.filter(workspace=self.workspace).exists())

    @override_settings(SITE_URL="https://problemspace.example.com")
    def test_a_synthesis_of_the_demo_makes_its_executive_brief(self) -> None:
        from problemspace.problems.services import synthesize_workspace
        from problemspace.synthesis.embedding import HashingEmbedder

        with (
            mock.patch(
                "problemspace.problems.services.default_embedder",
                return_value=(HashingEmbedder(), []),
            ),
            mock.patch("django.utils.timezone.now", return_value=DEMO_NOW),
        ):
            synthesize_workspace(self.workspace)
        brief = Brief.objects.get(workspace=self.workspace)
        content = brief.content
        self.assertEqual(brief.audience, "executives")
        assert brief.created_by is not None
        self.assertEqual(brief.created_by.user.username, story.OWNER.email)
        self.assertFalse(content["empty"])
        keys = [s["key"] for s in content["sections"]]
        self.assertEqual(keys[:3], ["problems", "loud", "goals"])
        self.assertIn("moves", keys)
        problems = content["sections"][0]["items"]
        self.assertEqual(len(problems), 5)
        self.assertTrue(all(p["quotes"] for p in problems))
        # Loud problems, the loudest first (on the word-hashing fallback there are many
        # small groups; the model's run names only the SAP connector: test_loudness.py).
        loud = content["sections"][1]["items"]
        self.assertTrue(0 < len(loud) <= 5)
        self.assertTrue(all("items from" in p["said"] for p in loud))
        goals = {g["objective"]: g for g in content["sections"][2]["items"]}
        self.assertEqual(goals["Be audit-ready for enterprise customers"]["initiatives"], [])

        # A second synthesis does not make another.
        with mock.patch(
            "problemspace.problems.services.default_embedder",
            return_value=(HashingEmbedder(), []),
        ):
            synthesize_workspace(self.workspace)
        self.assertEqual(Brief.objects.filter(workspace=self.workspace).count(), 1)

        data = render.pdf(content)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "exec.pdf").write_bytes(data)
        (ARTIFACTS / "exec.md").write_text(render.markdown(content))
        _, uris = read_pdf(data)
        quote = problems[0]["quotes"][0]
        self.assertIn(f"https://problemspace.example.com{quote['url']}", uris)
        self.assertTrue(all(u.startswith("https://problemspace.example.com/w/demo/") for u in uris))
