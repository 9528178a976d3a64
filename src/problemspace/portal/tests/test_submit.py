"""Customers post on the public portal: evidence with provenance, validation, spam, escaping."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.portal.models import Post, PostStatus, Vote
from problemspace.portal.public_views import SUBMITS_PER_EMAIL, SUBMITS_PER_IP
from problemspace.portal.tests.factories import open_portal
from problemspace.testing import BaseTestCase

SCRIPT = '<script>alert("owned")</script>'


class SubmitTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.portal = open_portal(self.workspace)
        self.url = reverse("portal_public:submit", args=["acme"])

    def submit(self, remote: str = "127.0.0.1", **extra: Any) -> Any:
        data = {
            "kind": "problem",
            "title": "Exports lose the currency",
            "body": "Every CSV export drops the currency column.",
            "email": "Pat@SmallCo.example",
            "name": "Pat Doe",
            "company": "SmallCo",
            "reviewed": "1",
            **extra,
        }
        return self.client.post(self.url, data, REMOTE_ADDR=remote)

    def test_the_form_needs_no_sign_in(self) -> None:
        page = self.client.get(self.url)
        self.assertContains(page, "Post a problem or idea")
        self.assertContains(page, 'name="website"')  # the honeypot
        self.assertContains(page, "portal/similar.js")

    def test_a_post_is_stored_as_first_hand_portal_evidence_from_the_customer(self) -> None:
        response = self.submit()
        self.assertContains(response, "We have your post")
        post = Post.objects.get()
        self.assertEqual(post.status, PostStatus.PENDING)
        self.assertEqual(post.vote_count, 1)
        contact = Contact.objects.get(workspace=self.workspace)
        self.assertEqual(contact.email, "pat@smallco.example")
        self.assertEqual(contact.name, "Pat Doe")
        self.assertEqual(contact.account, Account.objects.get(name="SmallCo"))
        self.assertEqual(post.contact, contact)
        self.assertTrue(Vote.objects.filter(post=post, contact=contact).exists())
        evidence = Evidence.objects.get()
        self.assertEqual(post.evidence, evidence)
        self.assertEqual(evidence.channel, Channel.PORTAL)
        self.assertEqual(evidence.provenance, Provenance.FIRST_HAND)
        self.assertEqual(evidence.relayed_by, "")
        self.assertIsNone(evidence.captured_by)
        self.assertEqual(evidence.contact, contact)
        self.assertEqual(evidence.account, contact.account)
        self.assertEqual(evidence.source, "portal")
        self.assertEqual(
            evidence.text,
            "Exports lose the currency\n\nEvery CSV export drops the currency column.",
        )
        self.assertIn(f"/w/acme/portal/posts/{post.pk}/", evidence.source_url)

    def test_a_known_contact_and_account_are_matched_whatever_the_case(self) -> None:
        account = Account.objects.create(workspace=self.workspace, name="SMALLCO")
        known = Contact.objects.create(
            workspace=self.workspace, email="pat@smallco.example", name="Patricia", account=account
        )
        self.submit(company="smallco", name="Someone Else")
        self.assertEqual(Contact.objects.filter(workspace=self.workspace).count(), 1)
        known.refresh_from_db()
        self.assertEqual(known.name, "Patricia")  # a form does not rename a known customer
        self.assertEqual(Post.objects.get().contact, known)
        self.assertEqual(Account.objects.filter(workspace=self.workspace).count(), 1)

    def test_a_pending_post_is_not_public(self) -> None:
        self.submit()
        post = Post.objects.get()
        index = self.client.get(reverse("portal_public:index", args=["acme"]))
        self.assertNotContains(index, "Exports lose the currency")
        page = self.client.get(reverse("portal_public:post", args=["acme", post.pk]))
        self.assertEqual(page.status_code, 404)

    def test_without_moderation_a_post_is_public_at_once(self) -> None:
        open_portal(self.workspace, moderation=False)
        response = self.submit()
        post = Post.objects.get()
        self.assertEqual(post.status, PostStatus.PUBLISHED)
        self.assertRedirects(response, reverse("portal_public:post", args=["acme", post.pk]))

    def test_bad_input_is_explained_next_to_the_field_and_nothing_is_stored(self) -> None:
        response = self.submit(title="", email="not-an-email", body="x" * 5001, kind="rant")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Give your post a title", status_code=400)
        self.assertContains(response, "That is not an email address", status_code=400)
        self.assertContains(response, "Keep it under 5,000 characters", status_code=400)
        self.assertContains(response, "Choose whether this is a problem", status_code=400)
        self.assertContains(response, 'aria-invalid="true"', status_code=400)
        self.assertFalse(Post.objects.exists())
        self.assertFalse(Evidence.objects.exists())
        self.assertFalse(Contact.objects.exists())

    def test_a_title_over_the_limit_is_refused(self) -> None:
        response = self.submit(title="t" * 151)
        self.assertContains(response, "Keep the title under 150 characters", status_code=400)
        self.assertFalse(Post.objects.exists())

    def test_the_honeypot_stores_nothing(self) -> None:
        response = self.submit(website="http://spam.example")
        self.assertContains(response, "Thank you")
        self.assertFalse(Post.objects.exists())
        self.assertFalse(Evidence.objects.exists())

    def test_submits_are_limited_per_address(self) -> None:
        for i in range(SUBMITS_PER_IP.capacity):
            self.submit(email=f"person{i}@example.org")
        response = self.submit(email="one-more@example.org")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Retry-After", response)
        self.assertEqual(Post.objects.count(), SUBMITS_PER_IP.capacity)

    def test_submits_are_limited_per_email(self) -> None:
        for i in range(SUBMITS_PER_EMAIL.capacity):
            self.submit(remote=f"10.0.0.{i}", title=f"Post {i}")
        response = self.submit(remote="10.0.1.1", title="Once more")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(Post.objects.count(), SUBMITS_PER_EMAIL.capacity)

    def test_script_is_stored_as_written_and_rendered_escaped(self) -> None:
        open_portal(self.workspace, moderation=False)
        self.submit(title=f"Title {SCRIPT}", body=f"Body {SCRIPT}", name=SCRIPT)
        post = Post.objects.get()
        self.assertEqual(post.title, f"Title {SCRIPT}")
        self.assertEqual(post.body, f"Body {SCRIPT}")
        self.assertIn(SCRIPT, Evidence.objects.get(portal_post=post).text)
        escaped = "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;"
        for url in (
            reverse("portal_public:post", args=["acme", post.pk]),
            reverse("portal_public:index", args=["acme"]),
        ):
            page = self.client.get(url)
            self.assertNotContains(page, SCRIPT)
            self.assertContains(page, escaped)
        self.client.force_login(self.vic)
        for url in (
            reverse("portal:post", args=["acme", post.pk]),
            reverse("portal:posts", args=["acme"]),
        ):
            page = self.client.get(url)
            self.assertNotContains(page, SCRIPT)
            self.assertContains(page, escaped)

    def test_a_closed_portal_is_not_found(self) -> None:
        open_portal(self.workspace, enabled=False)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.submit().status_code, 404)
        self.assertFalse(Post.objects.exists())
        index = self.client.get(reverse("portal_public:index", args=["other"]))
        self.assertEqual(index.status_code, 404)

    def test_without_script_similar_posts_show_before_storing(self) -> None:
        open_portal(self.workspace, moderation=False)
        self.submit(title="Exports lose the currency column", body="")
        response = self.submit(title="CSV exports lose currency", body="", reviewed="")
        self.assertContains(response, "Is it one of these?")
        self.assertContains(response, "Exports lose the currency column")
        self.assertContains(response, 'name="reviewed" value="1"')
        self.assertEqual(Post.objects.count(), 1)
        self.submit(title="CSV exports lose currency", body="", reviewed="1")
        self.assertEqual(Post.objects.count(), 2)

    def test_without_similar_posts_the_first_send_stores(self) -> None:
        self.submit(reviewed="")
        self.assertEqual(Post.objects.count(), 1)

    def test_the_session_remembers_the_customer(self) -> None:
        open_portal(self.workspace, moderation=False)
        self.submit()
        page = self.client.get(self.url)
        self.assertContains(page, "You are Pat@SmallCo.example")
        self.assertContains(page, 'value="Pat@SmallCo.example"')
