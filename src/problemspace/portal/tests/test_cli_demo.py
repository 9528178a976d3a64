"""`problemspace portal`, and the demo's portal."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from datetime import date

from problemspace.cli.main import main
from problemspace.customers.models import Contact
from problemspace.portal.demo import POSTS, build_portal
from problemspace.portal.models import Comment, PortalSettings, Post, PostStatus, Vote
from problemspace.portal.tests.factories import open_portal, post
from problemspace.testing import BaseTestCase


class CommandTests(BaseTestCase):
    def run_cli(self, *args: str) -> tuple[int, str]:
        out = io.StringIO()
        with redirect_stdout(out):
            code = main(["portal", "--workspace", "acme", *args])
        return code, out.getvalue()

    def test_it_lists_pending_and_published_posts(self) -> None:
        open_portal(self.workspace)
        post(self.workspace, "Published [bold]one[/bold]")
        post(self.workspace, "Waiting one", published=False)
        code, out = self.run_cli()
        self.assertEqual(code, 0)
        self.assertIn("Waiting one", out)
        self.assertIn("[bold]one[/bold]", out)
        code, out = self.run_cli("--format", "json", "--status", "published")
        rows = json.loads(out)
        self.assertEqual([r["title"] for r in rows], ["Published [bold]one[/bold]"])
        self.assertEqual(rows[0]["customer"]["email"], "pat@smallco.example")

    def test_it_says_when_there_is_nothing(self) -> None:
        code, out = self.run_cli()
        self.assertEqual(code, 0)
        self.assertIn("No such posts", out)


class DemoTests(BaseTestCase):
    def test_the_demo_portal_is_public_with_posts_votes_comments_and_one_pending(self) -> None:
        for i in range(40):
            Contact.objects.create(
                workspace=self.workspace, email=f"c{i}@demo.example", name=f"C {i}"
            )
        portal = build_portal(self.workspace, seed=7, today=date(2026, 6, 1))
        self.assertTrue(portal.enabled)
        self.assertTrue(portal.is_public)
        self.assertTrue(portal.moderation)
        posts = list(Post.objects.filter(workspace=self.workspace).order_by("pk"))
        self.assertEqual(len(posts), len(POSTS))
        self.assertEqual(sum(p.status == PostStatus.PENDING for p in posts), 1)
        for planned, made in zip(POSTS, posts, strict=True):
            self.assertEqual(made.vote_count, planned.votes)
            self.assertEqual(made.votes.count(), planned.votes)
            self.assertIsNotNone(made.evidence_id)
        self.assertGreater(Comment.objects.filter(post__workspace=self.workspace).count(), 2)
        first = [(p.title, p.contact_id, p.created_at) for p in posts]
        voters = sorted(Vote.objects.values_list("post__title", "contact_id"))
        # Deterministic: built again from the same seed and day, the same authors and voters.
        Post.objects.all().delete()
        PortalSettings.objects.all().delete()
        build_portal(self.workspace, seed=7, today=date(2026, 6, 1))
        again = list(Post.objects.filter(workspace=self.workspace).order_by("pk"))
        self.assertEqual([(p.title, p.contact_id, p.created_at) for p in again], first)
        self.assertEqual(sorted(Vote.objects.values_list("post__title", "contact_id")), voters)
