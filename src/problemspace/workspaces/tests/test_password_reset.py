"""Resetting a forgotten password by email, with links built from SITE_URL."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.core import mail
from django.test import override_settings

from problemspace.testing import PASSWORD, BaseTestCase
from problemspace.web.auth import RESET_PER_EMAIL

NEW_PASSWORD = "seven quiet harbour lamps"
LINK = re.compile(r"https://ps\.example\.com(/password-reset/[\w-]+/[\w-]+/)")


def html_part(message: mail.EmailMessage) -> str:
    """The HTML alternative of an email (there must be one)."""
    assert isinstance(message, mail.EmailMultiAlternatives)
    content, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    return str(content)


@override_settings(SITE_URL="https://ps.example.com")
class PasswordResetTestCase(BaseTestCase):
    def ask(self, email: str = "alice@example.org"):
        return self.client.post("/password-reset/", {"email": email})

    def link(self) -> str:
        match = LINK.search(str(mail.outbox[-1].body))
        assert match is not None, mail.outbox[-1].body
        return match[1]

    def test_the_sign_in_page_links_to_it(self) -> None:
        response = self.client.get("/login/")
        self.assertContains(response, 'href="/password-reset/"')
        page = self.client.get("/password-reset/")
        self.assertContains(page, '<label for="id_email">Email</label>', html=True)

    def test_it_emails_a_link_on_the_site_url(self) -> None:
        response = self.ask()
        self.assertRedirects(response, "/password-reset/sent/")
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["alice@example.org"])
        self.assertEqual(message.subject, "Reset your problemspace password")
        # The request came to "testserver" over http; the link still uses SITE_URL.
        self.assertNotIn("testserver", message.body)
        html = html_part(message)
        self.assertIn(f'href="https://ps.example.com{self.link()}"', html)

    def test_the_link_sets_a_new_password_once(self) -> None:
        self.ask()
        link = self.link()
        response = self.client.get(link)
        # Django moves the token out of the address before showing the form.
        self.assertRedirects(response, re.sub(r"/[\w-]+/$", "/set-password/", link))
        form_url = response["Location"]
        page = self.client.get(form_url)
        self.assertContains(page, "Choose a new password")
        response = self.client.post(
            form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        self.assertRedirects(response, "/password-reset/done/")
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(NEW_PASSWORD))
        response = self.client.post(
            "/login/", {"username": "alice@example.org", "password": NEW_PASSWORD}
        )
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        again = self.client.get(link, follow=True)
        self.assertContains(again, "This link no longer works")

    def test_the_new_password_must_pass_the_validators(self) -> None:
        self.ask()
        form_url = self.client.get(self.link())["Location"]
        response = self.client.post(
            form_url, {"new_password1": "12345678", "new_password2": "12345678"}
        )
        self.assertContains(response, "entirely numeric")
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(PASSWORD))

    def test_an_unknown_address_gets_the_same_answer_and_no_email(self) -> None:
        response = self.ask("nobody@example.org")
        self.assertRedirects(response, "/password-reset/sent/")
        self.assertEqual(mail.outbox, [])

    def test_an_inactive_user_gets_no_email(self) -> None:
        User.objects.filter(pk=self.bob.pk).update(is_active=False)
        self.ask("bob@example.org")
        self.assertEqual(mail.outbox, [])

    def test_requests_are_rate_limited_per_address(self) -> None:
        for _ in range(RESET_PER_EMAIL.capacity):
            self.assertEqual(self.ask().status_code, 302)
        response = self.ask("ALICE@example.org")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many password reset requests", status_code=429)
        self.assertContains(response, 'value="ALICE@example.org"', status_code=429)
        self.assertTrue(response.has_header("Retry-After"))
        self.assertEqual(len(mail.outbox), RESET_PER_EMAIL.capacity)
        # Another person's reset is not held up by it.
        self.assertEqual(self.ask("bob@example.org").status_code, 302)

    def test_an_invalid_address_is_refused_next_to_the_field(self) -> None:
        response = self.ask("not an email")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'aria-invalid="true"')
        self.assertContains(response, 'value="not an email"')
