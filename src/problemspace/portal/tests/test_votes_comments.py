"""Votes (one per customer, whatever they click) and comments (moderated) on the portal."""

from __future__ import annotations

from django.urls import reverse

from problemspace.customers.models import Contact
from problemspace.portal.models import Comment, CommentStatus, Post, Vote
from problemspace.portal.public_views import VOTES_PER_EMAIL, VOTES_PER_IP
from problemspace.portal.tests.factories import open_portal, post
from problemspace.testing import BaseTestCase


class VoteTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        open_portal(self.workspace)
        self.post = post(self.workspace)
        self.url = reverse("portal_public:vote", args=["acme", self.post.pk])

    def vote(self, email: str = "sam@bigco.example", remote: str = "127.0.0.1") -> Post:
        self.client.post(self.url, {"email": email}, REMOTE_ADDR=remote)
        self.post.refresh_from_db()
        return self.post

    def test_a_vote_counts_once_per_customer(self) -> None:
        response = self.client.post(self.url, {"email": "sam@bigco.example"})
        self.assertRedirects(
            response,
            reverse("portal_public:post", args=["acme", self.post.pk]) + "?done=voted",
            fetch_redirect_response=False,
        )
        self.assertEqual(self.vote("SAM@bigco.example").vote_count, 2)
        self.assertEqual(self.vote("sam@bigco.example").vote_count, 2)
        self.assertEqual(Vote.objects.filter(post=self.post).count(), 2)
        self.assertEqual(Contact.objects.filter(email="sam@bigco.example").count(), 1)

    def test_the_submitter_voting_again_changes_nothing(self) -> None:
        self.assertEqual(self.vote("pat@smallco.example").vote_count, 1)

    def test_the_session_remembers_who_voted(self) -> None:
        self.vote()
        page = self.client.get(reverse("portal_public:post", args=["acme", self.post.pk]))
        self.assertContains(page, "You voted for this")
        # A second click needs no email: the session knows them, and it still counts once.
        self.client.post(self.url, {})
        self.post.refresh_from_db()
        self.assertEqual(self.post.vote_count, 2)

    def test_a_vote_needs_an_email(self) -> None:
        response = self.client.post(self.url, {"email": "nope"})
        self.assertContains(response, "That is not an email address", status_code=400)
        self.assertEqual(Vote.objects.count(), 1)

    def test_only_published_posts_take_votes(self) -> None:
        pending = post(self.workspace, "Pending one", published=False)
        url = reverse("portal_public:vote", args=["acme", pending.pk])
        self.assertEqual(self.client.post(url, {"email": "sam@bigco.example"}).status_code, 404)
        self.assertEqual(pending.votes.count(), 1)

    def test_the_honeypot_counts_nothing(self) -> None:
        self.client.post(self.url, {"email": "bot@spam.example", "website": "x"})
        self.assertEqual(Vote.objects.count(), 1)

    def test_votes_are_limited_per_address_and_per_email(self) -> None:
        for i in range(VOTES_PER_EMAIL.capacity):
            other = post(self.workspace, f"Post {i}")
            self.client.post(
                reverse("portal_public:vote", args=["acme", other.pk]),
                {"email": "busy@bigco.example"},
                REMOTE_ADDR=f"10.1.0.{i}",
            )
        response = self.client.post(
            self.url, {"email": "busy@bigco.example"}, REMOTE_ADDR="10.2.0.1"
        )
        self.assertEqual(response.status_code, 429)
        for i in range(VOTES_PER_IP.capacity):
            self.client.post(self.url, {"email": f"p{i}@example.org"}, REMOTE_ADDR="10.3.0.1")
        response = self.client.post(self.url, {"email": "new@example.org"}, REMOTE_ADDR="10.3.0.1")
        self.assertEqual(response.status_code, 429)
        self.assertFalse(Contact.objects.filter(email="new@example.org").exists())


class CommentTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        open_portal(self.workspace)
        self.post = post(self.workspace)
        self.url = reverse("portal_public:comment", args=["acme", self.post.pk])
        self.page = reverse("portal_public:post", args=["acme", self.post.pk])

    def test_a_comment_waits_for_moderation(self) -> None:
        response = self.client.post(
            self.url, {"comment": "Me too, every month.", "email": "sam@bigco.example"}
        )
        self.assertEqual(response.status_code, 302)
        comment = Comment.objects.get()
        self.assertEqual(comment.status, CommentStatus.PENDING)
        self.assertNotContains(self.client.get(self.page), "Me too, every month.")
        self.client.force_login(self.bob)
        moderate = reverse("portal:moderate_comment", args=["acme", comment.pk])
        self.client.post(moderate, {"action": "approve"})
        self.client.logout()
        self.assertContains(self.client.get(self.page), "Me too, every month.")

    def test_without_moderation_a_comment_is_up_at_once(self) -> None:
        open_portal(self.workspace, moderation=False)
        self.client.post(self.url, {"comment": "Same here", "email": "sam@bigco.example"})
        self.assertContains(self.client.get(self.page), "Same here")

    def test_an_empty_or_long_comment_is_refused(self) -> None:
        response = self.client.post(self.url, {"comment": "  ", "email": "sam@bigco.example"})
        self.assertContains(response, "Write your comment first.", status_code=400)
        response = self.client.post(self.url, {"comment": "x" * 2001, "email": "sam@bigco.example"})
        self.assertContains(response, "Keep a comment under 2,000", status_code=400)
        self.assertFalse(Comment.objects.exists())

    def test_a_comment_is_rendered_escaped(self) -> None:
        open_portal(self.workspace, moderation=False)
        self.client.post(
            self.url, {"comment": "<b>bold</b><script>x()</script>", "email": "s@b.example"}
        )
        page = self.client.get(self.page)
        self.assertNotContains(page, "<script>x()</script>")
        self.assertContains(page, "&lt;b&gt;bold&lt;/b&gt;")

    def test_a_viewer_cannot_moderate_comments(self) -> None:
        self.client.post(self.url, {"comment": "Hello", "email": "sam@bigco.example"})
        comment = Comment.objects.get()
        self.client.force_login(self.vic)
        moderate = reverse("portal:moderate_comment", args=["acme", comment.pk])
        self.assertEqual(self.client.post(moderate, {"action": "approve"}).status_code, 403)
        comment.refresh_from_db()
        self.assertEqual(comment.status, CommentStatus.PENDING)
