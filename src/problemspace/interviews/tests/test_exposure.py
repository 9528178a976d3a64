"""Exposure hours, the team page, the nudge email on a real SMTP server, and the CLI."""

from __future__ import annotations

import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import timedelta
from io import StringIO

from django.utils import timezone

from problemspace.cli.main import main
from problemspace.evidence.tests.factories import make_evidence
from problemspace.interviews import exposure
from problemspace.interviews.models import ExposurePreference, Status
from problemspace.interviews.tests.helpers import make_interview
from problemspace.testing import SmtpTestCase


class ExposureTestCase(SmtpTestCase):
    def setUp(self) -> None:
        super().setUp()
        now = timezone.now()
        self.alice_m, self.bob_m = self.member(self.alice), self.member(self.bob)
        self.carol_m = self.member(self.carol)
        # Alice: 90 + 60 minutes held in the window; Bob: 45, plus one too old and one planned.
        make_interview(
            self.workspace,
            attendees=[self.alice_m, self.bob_m],
            duration_minutes=90,
            scheduled_at=now - timedelta(days=3),
        )
        make_interview(
            self.workspace,
            attendees=[self.alice_m],
            duration_minutes=60,
            scheduled_at=now - timedelta(days=40),
        )
        make_interview(
            self.workspace,
            attendees=[self.bob_m],
            duration_minutes=300,
            scheduled_at=now - timedelta(days=50),
        )
        make_interview(
            self.workspace,
            attendees=[self.bob_m],
            status=Status.PLANNED,
            duration_minutes=300,
            scheduled_at=now - timedelta(days=1),
        )
        make_interview(
            self.other_workspace,
            attendees=[self.member(self.charlie)],
            duration_minutes=600 // 2,
        )

    def test_it_counts_held_interviews_attended_in_six_weeks(self) -> None:
        team = exposure.team_exposure(self.workspace)
        minutes = {row.member.user.username: row.minutes for row in team.members}
        self.assertEqual(
            minutes,
            {
                "alice@example.org": 150,
                "bob@example.org": 90,
                "carol@example.org": 0,
                "vic@example.org": 0,
            },
        )
        self.assertEqual(
            [row.member.user.username for row in team.under_target],
            ["carol@example.org", "vic@example.org", "bob@example.org"],
        )

    def test_the_team_page_flags_members_under_two_hours(self) -> None:
        self.client.force_login(self.vic)
        response = self.client.get("/w/acme/interviews/exposure/")
        self.assertContains(response, "<strong>3</strong> of 4 members are under 2 hours")
        self.assertContains(response, '<span class="chip chip-warn">under 2 h</span>', count=3)

    def test_the_dashboard_shows_the_exposure_panel(self) -> None:
        make_evidence(self.workspace, occurred_at=timezone.now())  # the dashboard needs some
        self.client.force_login(self.vic)
        response = self.client.get("/w/acme/")
        self.assertContains(response, "spent less than 2 hours with customers")

    def test_a_member_opts_in_and_out_of_the_nudge(self) -> None:
        self.client.force_login(self.vic)
        self.client.post("/w/acme/interviews/exposure/nudge/", {"nudge": "on"})
        self.assertTrue(exposure.wants_nudge(self.member(self.vic)))
        self.client.post("/w/acme/interviews/exposure/nudge/", {"nudge": "off"})
        self.assertFalse(exposure.wants_nudge(self.member(self.vic)))

    def test_nudges_go_to_opted_in_members_under_target_once_a_week(self) -> None:
        exposure.set_nudge(self.bob_m, True)
        exposure.set_nudge(self.alice_m, True)  # over the target: no email
        report = exposure.send_nudges(self.workspace)
        self.assertEqual(report.sent, [self.bob_m])
        self.assertEqual(len(self.smtp.messages), 1)
        message = self.smtp.messages[0]
        self.assertEqual(message["To"], "bob@example.org")
        self.assertIn("1.5 of 2 hours", message["Subject"])
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        assert text is not None and html is not None
        self.assertIn("30 minutes to go", text.get_content())
        self.assertIn("/w/acme/interviews/plan/", html.get_content())
        again = exposure.send_nudges(self.workspace)
        self.assertEqual((again.sent, again.skipped_recent), ([], 1))
        self.assertEqual(len(self.smtp.messages), 1)
        ExposurePreference.objects.update(last_nudged_at=timezone.now() - timedelta(days=8))
        exposure.send_nudges(self.workspace)
        self.assertEqual(len(self.smtp.messages), 2)

    def test_the_cli_lists_hours_and_sends_nudges(self) -> None:
        exposure.set_nudge(self.member(self.carol), True)
        out, err = StringIO(), StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["exposure", "--workspace", "acme", "--nudge"])
        self.assertEqual(code, 0, err.getvalue())
        self.assertIn("Nudged 1 member(s).", out.getvalue())
        self.assertIn("2.5", out.getvalue())
        self.assertEqual([m["To"] for m in self.smtp.messages], ["carol@example.org"])

    def test_the_cli_lists_interviews_as_json(self) -> None:
        out = StringIO()
        with redirect_stdout(out):
            code = main(
                ["interviews", "--workspace", "acme", "--format", "json", "--status", "held"]
            )
        self.assertEqual(code, 0)
        rows = json.loads(out.getvalue())
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0]["duration_minutes"], 90)

    def test_the_cli_refuses_an_unknown_workspace(self) -> None:
        err = StringIO()
        with redirect_stderr(err), redirect_stdout(StringIO()):
            code = main(["interviews", "--workspace", "nope"])
        self.assertEqual(code, 2)
        self.assertIn("There is no workspace 'nope'", err.getvalue())
