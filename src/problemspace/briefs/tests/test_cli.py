"""`problemspace brief`: the issue's example as typed, the formats, and --send-due."""

from __future__ import annotations

import os
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from datetime import time, timedelta
from io import StringIO
from pathlib import Path
from unittest import mock

from django.test import override_settings
from django.utils import timezone

from problemspace.briefs import sending, services
from problemspace.briefs.models import Brief, BriefSend
from problemspace.briefs.tests.factories import PHONE_QUOTE, Story, build_story
from problemspace.briefs.tests.pdf import read_pdf
from problemspace.cli.main import main
from problemspace.testing import SmtpTestCase
from problemspace.workspaces.models import Member


def call(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@override_settings(SITE_URL="https://ps.example.com")
class BriefCommandTestCase(SmtpTestCase):
    story: Story

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.story = build_story(
            cls.workspace, Member.objects.get(user=cls.bob), Member.objects.get(user=cls.carol)
        )

    def setUp(self) -> None:
        super().setUp()
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)

    def test_the_issue_example_writes_a_pdf_brief_for_executives(self) -> None:
        here = Path.cwd()
        os.chdir(self.folder.name)
        self.addCleanup(os.chdir, here)
        with mock.patch.dict(os.environ, {"PROBLEMSPACE_WORKSPACE": "acme"}):
            code, out, err = call(
                "brief", "--audience", "exec", "--period", "30d", "--format", "pdf"
            )
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "")
        written = list(Path(self.folder.name).glob("executives-brief-*.pdf"))
        self.assertEqual(len(written), 1, err)
        self.assertIn(written[0].name, err)
        text, _ = read_pdf(written[0].read_bytes())
        self.assertIn("Executive brief", text)
        self.assertFalse(Brief.objects.exists())  # not kept unless --save

    def test_markdown_to_standard_output_and_html_to_a_file(self) -> None:
        code, out, err = call("brief", "-w", "acme", "--audience", "sales", "--period", "4w")
        self.assertEqual(code, 0, err)
        self.assertTrue(out.startswith("# Sales brief:"))
        self.assertIn("https://ps.example.com/w/acme/evidence/", out)
        target = Path(self.folder.name) / "brief.html"
        code, _, err = call(
            "brief",
            "-w",
            "acme",
            "--audience",
            "engineering",
            "--format",
            "html",
            "-o",
            str(target),
            "--save",
        )
        self.assertEqual(code, 0, err)
        html = target.read_text()
        self.assertIn("Engineering brief", html)
        self.assertIn(PHONE_QUOTE, html)
        self.assertEqual(Brief.objects.get().audience, "engineering")

    def test_it_says_what_is_wrong(self) -> None:
        for args, said in [
            (["--period", "30d"], "Choose the audience"),
            (["--audience", "board"], "Choose the audience"),
            (["--audience", "exec", "--period", "last month"], "is not a period"),
        ]:
            with self.subTest(args=args):
                code, _, err = call("brief", "-w", "acme", *args)
                self.assertEqual(code, 2)
                self.assertIn(said, err)

    def test_send_due_sends_the_scheduled_briefs_once(self) -> None:
        now = timezone.now()
        with mock.patch.object(sending, "queue"):
            schedule = services.create_schedule(
                Member.objects.get(user=self.bob),
                audience="company",
                period_days=7,
                weekday=now.weekday(),
                time_of_day=time(0, 0),
                emails=["all@acme.example"],
                now=now - timedelta(days=7),
            )
            code, out, err = call("brief", "--send-due")
            self.assertEqual(code, 0, err)
            self.assertIn("Sent the Whole company brief of Acme Product to 1 recipient", out)
            code, out, _ = call("brief", "--send-due")
        self.assertIn("No scheduled brief is due.", out)
        self.assertEqual(len(self.smtp.messages), 1)
        self.assertEqual(BriefSend.objects.get().schedule, schedule)
