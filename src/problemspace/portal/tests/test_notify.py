"""Closing the loop: submitters and voters are emailed when their post changes, its problem
is solved or work on it ships; with unsubscribe links and headers. On a real SMTP server."""

from __future__ import annotations

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

from django.test import Client, override_settings
from django.urls import reverse

from problemspace.portal import notify, services
from problemspace.portal.models import Notice, OptOut, Post
from problemspace.portal.tests.factories import add_voters, open_portal, post
from problemspace.problems import edits
from problemspace.problems.models import Problem, Status
from problemspace.testing import SmtpTestCase


def _part(message: EmailMessage, kind: str) -> str:
    body = message.get_body((kind,))
    assert body is not None
    return str(body.get_content())


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE)
class NotifyTests(SmtpTestCase):
    def setUp(self) -> None:
        super().setUp()
        open_portal(self.workspace)
        self.problem = Problem.objects.create(workspace=self.workspace, title="Approval delays")
        self.post = post(self.workspace, "Approvals get stuck", email="pat@smallco.example")
        add_voters(self.post, "sam@bigco.example", "kim@midco.example")
        Post.objects.filter(pk=self.post.pk).update(problem=self.problem)
        self.post.refresh_from_db()

    def recipients(self) -> list[str]:
        return sorted(m["To"] for m in self.smtp.messages)

    def test_solving_the_linked_problem_emails_submitter_and_voters(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            edits.set_status(self.problem, Status.SOLVED)
        self.assertEqual(
            self.recipients(), ["kim@midco.example", "pat@smallco.example", "sam@bigco.example"]
        )
        message = next(m for m in self.smtp.messages if m["To"] == "sam@bigco.example")
        self.assertIn("The problem you told us about is solved", message["Subject"])
        text = _part(message, "plain")
        self.assertIn("You voted for", text)
        self.assertIn("“Approval delays”", text)
        self.assertIn(reverse("portal_public:post", args=["acme", self.post.pk]), text)
        html = _part(message, "html")
        self.assertIn("Stop all email from this portal", html)
        unsubscribe = message["List-Unsubscribe"].strip()  # it may be folded
        self.assertRegex(unsubscribe, r"^<http://[^>]+/p/acme/unsubscribe/\?t=[^>]+>$")
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertIn("portal.acme.problemspace", message["List-Id"])
        submitter = next(m for m in self.smtp.messages if m["To"] == "pat@smallco.example")
        self.assertIn("You posted", _part(submitter, "plain"))

    def test_the_same_news_is_sent_once(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            edits.set_status(self.problem, Status.SOLVED)
            edits.set_status(self.problem, Status.SOLVED)
        self.assertEqual(len(self.smtp.messages), 3)
        notice = Notice.objects.get()
        self.assertEqual(notice.recipients, 3)
        self.assertIsNotNone(notice.sent_at)
        self.assertIsNone(notify.deliver(notice.pk))  # claimed already: nothing more sent
        self.assertEqual(len(self.smtp.messages), 3)

    def test_other_statuses_send_nothing(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            edits.set_status(self.problem, Status.BEING_SOLVED)
        self.assertEqual(self.smtp.messages, [])

    def test_a_shipped_initiative_emails_the_voters(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            sent = notify.notify_shipped(self.problem, "Approve from email", key="initiative:7")
        self.assertEqual(sent, 1)
        self.assertEqual(len(self.smtp.messages), 3)
        message = self.smtp.messages[0]
        self.assertIn("Something you asked for has shipped", message["Subject"])
        self.assertIn("“Approve from email” has shipped", _part(message, "plain"))

    def test_an_initiative_moved_to_shipped_on_the_roadmap_emails_the_voters(self) -> None:
        from problemspace.roadmap import services as roadmap

        bob = self.member(self.bob)
        initiative = roadmap.create_initiative(
            bob, title="Approve from email", status="in_progress", problem_ids=[self.problem.pk]
        )
        with self.captureOnCommitCallbacks(execute=True):
            roadmap.move(bob, initiative, status="shipped", reason="Released in 4.2")
        self.assertEqual(
            self.recipients(), ["kim@midco.example", "pat@smallco.example", "sam@bigco.example"]
        )
        self.assertIn("“Approve from email” has shipped", _part(self.smtp.messages[0], "plain"))
        # Moving it again (say, back and forth) announces nothing new.
        self.smtp.clear()
        with self.captureOnCommitCallbacks(execute=True):
            roadmap.move(bob, initiative, status="in_progress", reason="Reopened")
            roadmap.move(bob, initiative, status="shipped", reason="Again")
        self.assertEqual(self.smtp.messages, [])

    def test_moderation_tells_the_submitter(self) -> None:
        pending = post(self.workspace, "Exports fail", email="lee@x.example", published=False)
        with self.captureOnCommitCallbacks(execute=True):
            services.moderate_post(self.member(self.bob), pending, "approve")
        self.assertEqual(self.recipients(), ["lee@x.example"])
        self.assertIn("Your post is now public", self.smtp.messages[0]["Subject"])

    def test_merging_tells_the_duplicates_people(self) -> None:
        duplicate = post(self.workspace, "Approvals take weeks", email="lee@x.example")
        with self.captureOnCommitCallbacks(execute=True):
            services.moderate_post(self.member(self.bob), duplicate, "merge", self.post)
        self.assertEqual(self.recipients(), ["lee@x.example"])
        text = _part(self.smtp.messages[0], "plain")
        self.assertIn("merged", text)
        self.assertIn(reverse("portal_public:post", args=["acme", self.post.pk]), text)

    def _unsubscribe_link(self, label: str) -> str:
        message = next(m for m in self.smtp.messages if m["To"] == "sam@bigco.example")
        text = _part(message, "plain")
        match = re.search(rf"{label}: (\S+)", text)
        assert match is not None
        parts = urlsplit(match.group(1))
        return f"{parts.path}?{parts.query}"

    def test_unsubscribing_from_a_post_stops_its_email(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            notify.notify_shipped(self.problem, "First", key="1")
        link = self._unsubscribe_link("Stop email about this post")
        page = self.client.get(link)
        self.assertContains(page, "Stop email about this post")
        self.client.post(link, {"scope": "post"})
        self.assertTrue(OptOut.objects.filter(contact__email="sam@bigco.example", post=self.post))
        self.smtp.clear()
        with self.captureOnCommitCallbacks(execute=True):
            notify.notify_shipped(self.problem, "Second", key="2")
        self.assertNotIn("sam@bigco.example", self.recipients())
        self.assertEqual(len(self.smtp.messages), 2)

    def test_one_click_unsubscribe_from_the_header_works_without_a_form(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            notify.notify_shipped(self.problem, "First", key="1")
        message = next(m for m in self.smtp.messages if m["To"] == "kim@midco.example")
        url = urlsplit(message["List-Unsubscribe"].strip().strip("<>"))
        # A mail provider posts the RFC 8058 body, with no cookie and no CSRF token.
        response = Client(enforce_csrf_checks=True).post(
            f"{url.path}?{url.query}", {"List-Unsubscribe": "One-Click"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(OptOut.objects.filter(contact__email="kim@midco.example", post=self.post))

    def test_unsubscribing_from_everything_stops_all_portal_email(self) -> None:
        other = post(self.workspace, "Another post", email="sam@bigco.example")
        Post.objects.filter(pk=other.pk).update(problem=self.problem)
        with self.captureOnCommitCallbacks(execute=True):
            notify.notify_shipped(self.problem, "First", key="1")
        link = self._unsubscribe_link("Stop all email from this portal")
        self.client.post(link, {"scope": "all"})
        self.assertTrue(OptOut.objects.filter(contact__email="sam@bigco.example", post=None))
        self.smtp.clear()
        with self.captureOnCommitCallbacks(execute=True):
            notify.notify_shipped(self.problem, "Second", key="2")
        self.assertNotIn("sam@bigco.example", self.recipients())

    def test_a_forged_unsubscribe_link_is_not_found(self) -> None:
        url = reverse("portal_public:unsubscribe", args=["acme"])
        self.assertEqual(self.client.get(url + "?t=forged").status_code, 404)
        token = notify.unsubscribe_token(10**9, None, "nobody@example.org")
        self.assertEqual(self.client.get(f"{url}?t={token}").status_code, 404)
        self.assertFalse(OptOut.objects.exists())

    def test_a_link_never_stops_another_persons_email(self) -> None:
        # As after a restore elsewhere: the number in the link is now someone else's.
        contact = self.post.contact
        assert contact is not None
        url = reverse("portal_public:unsubscribe", args=["acme"])
        token = notify.unsubscribe_token(contact.pk, None, "someone.else@example.org")
        self.assertEqual(self.client.post(f"{url}?t={token}").status_code, 404)
        self.assertFalse(OptOut.objects.exists())

    def test_unsubscribe_works_when_the_portal_is_closed(self) -> None:
        open_portal(self.workspace, enabled=False)
        contact = self.post.contact
        assert contact is not None
        url = reverse("portal_public:unsubscribe", args=["acme"])
        token = notify.unsubscribe_token(contact.pk, None, contact.email)
        self.assertEqual(self.client.post(f"{url}?t={token}").status_code, 200)
        self.assertTrue(OptOut.objects.filter(contact=contact, post=None).exists())

    def test_pending_notices_are_swept(self) -> None:
        notify.announce(self.post, "manual:1", "A headline", "Some detail")
        self.assertEqual(self.smtp.messages, [])  # the commit never came in this test
        self.assertEqual(notify.send_pending(), 1)
        self.assertEqual(len(self.smtp.messages), 3)
        self.assertEqual(notify.send_pending(), 0)


class SignInOnlyTests(SmtpTestCase):
    def setUp(self) -> None:
        super().setUp()
        open_portal(self.workspace, access="sign_in")
        self.index = reverse("portal_public:index", args=["acme"])

    def test_visitors_sign_in_by_a_link_sent_by_email(self) -> None:
        response = self.client.get(self.index)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/p/acme/sign-in/", response["Location"])
        sign_in = reverse("portal_public:sign_in", args=["acme"])
        page = self.client.post(
            sign_in, {"email": "pat@smallco.example", "name": "Pat", "next": "/p/acme/new/"}
        )
        self.assertContains(page, "Check your email")
        self.assertEqual(len(self.smtp.messages), 1)
        message = self.smtp.messages[0]
        self.assertEqual(message["To"], "pat@smallco.example")
        match = re.search(r"(http\S+/p/acme/sign-in/confirm/\S+)", _part(message, "plain"))
        assert match is not None
        link = urlsplit(match.group(1))
        response = self.client.get(f"{link.path}?{link.query}")
        self.assertRedirects(response, "/p/acme/new/")
        page = self.client.get("/p/acme/new/")
        self.assertContains(page, "You are pat@smallco.example.")
        self.assertNotContains(page, 'name="email"')  # the confirmed address is used
        self.client.post(
            "/p/acme/new/",
            {
                "kind": "idea",
                "title": "Dark mode",
                "reviewed": "1",
                "email": "someone-else@x.example",
            },
        )
        self.assertEqual(Post.objects.filter(contact__email="pat@smallco.example").count(), 1)

    def test_a_forged_or_other_portals_link_does_not_sign_in(self) -> None:
        from problemspace.portal import identity

        open_portal(self.other_workspace, access="sign_in")
        theirs = identity.sign_in_url(self.other_workspace, identity.Visitor("x@y.example"))
        link = urlsplit(theirs)
        response = self.client.get(f"/p/acme/sign-in/confirm/?{link.query}")
        self.assertContains(response, "This link does not work", status_code=400)
        self.assertEqual(self.client.get(self.index).status_code, 302)

    def test_the_similar_endpoint_needs_sign_in(self) -> None:
        response = self.client.get(reverse("portal_public:similar", args=["acme"]) + "?q=exports")
        self.assertEqual(response.status_code, 403)
