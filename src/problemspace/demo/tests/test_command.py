"""`problemspace demo`: what a newcomer types first."""

from __future__ import annotations

import argparse
import re
import shutil
import stat
import sys
import tempfile
import types
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path
from typing import Any
from unittest import mock

from django.contrib.auth import authenticate
from django.test import TestCase, override_settings

from problemspace.cli.main import main
from problemspace.demo import story
from problemspace.demo.build import build_demo
from problemspace.evidence.models import Evidence
from problemspace.workspaces.models import Workspace

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class CommandTestCase(TestCase):
    """Each test gets its own PROBLEMSPACE_HOME, where the command keeps the password."""

    def setUp(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="psh-demo-"))
        self.addCleanup(shutil.rmtree, self.home, ignore_errors=True)
        settings = override_settings(HOME=self.home, PASSWORD_HASHERS=FAST_HASHER)
        settings.enable()
        self.addCleanup(settings.disable)

    def demo(self, *args: str, synthesize: bool = False) -> tuple[int, str, str]:
        # Synthesis is tested once (below); the other tests are about the workspace itself.
        args = args if synthesize else (*args, "--no-synthesize")
        out, err = StringIO(), StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["demo", *args])
        return code, out.getvalue(), err.getvalue()

    def sign_in(self, output: str) -> tuple[str, str]:
        email = re.search(r"^\s+email\s+(\S+)$", output, re.M)
        password = re.search(r"^\s+password\s+(\S+)$", output, re.M)
        assert email and password, output
        return email.group(1), password.group(1)


class FirstRunTests(CommandTestCase):
    def test_it_builds_the_demo_and_prints_a_sign_in_that_works(self) -> None:
        code, output, _ = self.demo()
        self.assertEqual(code, 0)
        email, password = self.sign_in(output)
        self.assertEqual(email, story.OWNER.email)
        self.assertIsNotNone(authenticate(username=email, password=password))
        self.assertRegex(output, r"1,[45]\d\d evidence items")
        self.assertRegex(output, r"Support ticket\s+\d+")
        self.assertRegex(output, r"\d+% heard first-hand, \d+% relayed")
        self.assertIn("8 Enterprise", output)
        path = self.home / "demo-password"
        self.assertEqual(path.read_text().strip(), password)
        self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)

    def test_it_groups_the_new_demo_into_problems(self) -> None:
        from problemspace.problems.models import Problem
        from problemspace.synthesis.embedding import HashingEmbedder

        with mock.patch(
            "problemspace.cli.commands.demo.default_embedder",
            return_value=(HashingEmbedder(), []),
        ):
            code, output, _ = self.demo(synthesize=True)
        self.assertEqual(code, 0)
        self.assertRegex(output, r"\d+ problems in \d+ s")
        self.assertRegex(output, r"\d+ groups of praise .* \d+ items with nothing said")
        self.assertIn("The five most widely felt problems:", output)
        top = Problem.objects.filter(praise=False, candidate=False).order_by("-score").first()
        assert top is not None
        self.assertIn(f"1. {top.title}", output)
        # Built already: running it again does not synthesize again.
        code, output, _ = self.demo(synthesize=True)
        self.assertNotIn("Grouping the evidence", output)

    def test_without_the_model_it_says_so_before_grouping(self) -> None:
        from problemspace.synthesis.embedding import MODEL_MISSING_NOTE, HashingEmbedder

        with (
            mock.patch("problemspace.cli.commands.demo.model_installed", return_value=False),
            mock.patch(
                "problemspace.cli.commands.demo.default_embedder",
                return_value=(HashingEmbedder(), [MODEL_MISSING_NOTE]),
            ),
        ):
            code, output, _ = self.demo(synthesize=True)
        self.assertEqual(code, 0)
        note = output.index(f"Note: {MODEL_MISSING_NOTE}")
        self.assertLess(note, output.index("Grouping the evidence"))
        self.assertNotIn("Loading the language model", output)

    def test_it_refuses_to_touch_a_workspace_it_did_not_create(self) -> None:
        Workspace.objects.create(name="Our real team", slug=story.WORKSPACE_SLUG)
        code, _, err = self.demo("--reset")
        self.assertEqual(code, 2)
        self.assertIn("did not create", err)
        self.assertTrue(Workspace.objects.filter(name="Our real team").exists())


class AgainTests(CommandTestCase):
    """With the demo already built, as on every run after the first."""

    @classmethod
    def setUpTestData(cls) -> None:
        build_demo()

    def test_running_it_again_duplicates_nothing_and_keeps_the_password(self) -> None:
        count = Evidence.objects.count()
        _, first, _ = self.demo()
        code, second, _ = self.demo()
        self.assertEqual(code, 0)
        self.assertIn("left as it is", second)
        self.assertEqual(Evidence.objects.count(), count)
        self.assertEqual(Workspace.objects.filter(slug=story.WORKSPACE_SLUG).count(), 1)
        self.assertEqual(self.sign_in(first), self.sign_in(second))
        self.assertIsNotNone(
            authenticate(username=story.OWNER.email, password=self.sign_in(second)[1])
        )

    def test_a_lost_password_file_gives_a_new_password_that_works(self) -> None:
        _, first, _ = self.demo()
        (self.home / "demo-password").unlink()
        _, second, _ = self.demo()
        email, password = self.sign_in(second)
        self.assertNotEqual(password, self.sign_in(first)[1])
        self.assertIsNotNone(authenticate(username=email, password=password))

    def test_reset_rebuilds_from_scratch(self) -> None:
        Evidence.objects.filter(workspace__slug=story.WORKSPACE_SLUG)[:1].get().delete()
        count = Evidence.objects.count()
        _, output, _ = self.demo("--reset", "--seed", "7")
        self.assertIn("from seed 7", output)
        self.assertEqual(Evidence.objects.count(), count + 1)

    def test_serve_runs_the_serve_command_with_host_and_port(self) -> None:
        calls: list[argparse.Namespace] = []

        def add_arguments(parser: argparse.ArgumentParser) -> None:
            parser.add_argument("--host", default="127.0.0.1")
            parser.add_argument("--port", type=int, default=8000)
            parser.add_argument("--workers", type=int, default=None)

        def run(args: argparse.Namespace) -> int:
            calls.append(args)
            return 0

        fake: Any = types.ModuleType("problemspace.cli.commands.serve")
        fake.HELP, fake.add_arguments, fake.run = "serve", add_arguments, run
        with _module("problemspace.cli.commands.serve", fake):
            code, output, _ = self.demo("--serve", "--host", "0.0.0.0", "--port", "8123")  # noqa: S104
        self.assertEqual(code, 0)
        self.assertEqual(len(calls), 1)
        served = (calls[0].host, calls[0].port, calls[0].workers)
        self.assertEqual(served, ("0.0.0.0", 8123, None))  # noqa: S104
        self.assertIn("http://127.0.0.1:8123/", output)


class _module:
    """Put a stand-in module in sys.modules for the duration of a block."""

    def __init__(self, name: str, module: types.ModuleType):
        self.name, self.module = name, module

    def __enter__(self) -> None:
        self.saved = sys.modules.get(self.name)
        sys.modules[self.name] = self.module

    def __exit__(self, *exc: object) -> None:
        if self.saved is None:
            sys.modules.pop(self.name, None)
        else:
            sys.modules[self.name] = self.saved
