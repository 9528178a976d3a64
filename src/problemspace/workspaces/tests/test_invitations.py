"""Inviting people by email, and the page the email links to."""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.auth.models import User
from django.core import mail
from django.test import override_settings

from problemspace.testing import PASSWORD, BaseTestCase
from problemspace.workspaces.invitations import INVITATIONS_PER_SENDER
from problemspace.workspaces.models import Invitation, Member, Role
from problemspace.workspaces.tests.clock import frozen_clock

NEW_PASSWORD = "plum orchard under snow"
LINK = re.compile(r"https://ps\.example\.com/invitations/([\w-]+)/")


def html_part(message: mail.EmailMessage) -> str:
    """The HTML alternative of an email (there must be one)."""
    assert isinstance(message, mail.EmailMultiAlternatives)
    content, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    return str(content)


@override_settings(SITE_URL="https://ps.example.com")
class InvitationTestCase(BaseTestCase):
    def invite(self, email: str = "dana@example.org", role: str = "editor", **kwargs):
        self.client.force_login(kwargs.pop("as_user", self.alice))
        return self.client.post(
            "/w/acme/settings/invitations/", {"email": email, "role": role}, **kwargs
        )

    def link(self, message_index: int = -1) -> str:
        match = LINK.search(str(mail.outbox[message_index].body))
        assert match is not None, mail.outbox[message_index].body
        return f"/invitations/{match[1]}/"

    def join(self, link: str, name: str = "Dana Scully", password: str = NEW_PASSWORD):
        self.client.logout()
        return self.client.post(link, {"name": name, "password1": password, "password2": password})

    # Sending

    def test_it_emails_the_invitation(self) -> None:
        response = self.invite()
        self.assertRedirects(response, "/w/acme/settings/#invitations")
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["dana@example.org"])
        self.assertEqual(message.reply_to, ["alice@example.org"])
        self.assertIn("invited you to Acme Product", message.subject)
        self.assertIn("as an editor", message.body)
        html = html_part(message)
        self.assertIn('href="https://ps.example.com/invitations/', html)
        self.assertIn(self.link(), html)
        invitation = Invitation.objects.get()
        self.assertEqual(invitation.email, "dana@example.org")
        self.assertEqual(invitation.role, Role.EDITOR)
        self.assertEqual(invitation.invited_by, self.alice)
        # Only the hash is kept: the token in the link is nowhere in the database.
        token = self.link().split("/")[2]
        self.assertNotIn(token, invitation.token_hash)

    def test_it_expires_after_seven_days(self) -> None:
        with frozen_clock() as clock:
            self.invite()
            invitation = Invitation.objects.get()
            self.assertEqual((invitation.expires_at - clock.now).days, 7)

    def test_the_list_shows_it_with_resend_and_revoke(self) -> None:
        self.invite()
        invitation = Invitation.objects.get()
        response = self.client.get("/w/acme/settings/")
        self.assertContains(response, "dana@example.org")
        self.assertContains(response, f"/w/acme/settings/invitations/{invitation.pk}/resend/")
        self.assertContains(response, f"/w/acme/settings/invitations/{invitation.pk}/revoke/")

    def test_it_says_so_when_the_person_is_already_a_member(self) -> None:
        response = self.invite("BOB@example.org")
        self.assertContains(response, "bob@example.org is already a member of Acme Product")
        self.assertContains(response, 'aria-invalid="true"')
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Invitation.objects.exists())

    def test_it_rejects_an_address_that_is_not_one(self) -> None:
        response = self.invite("dana at example")
        self.assertContains(response, "That is not an email address")
        self.assertContains(response, 'value="dana at example"')
        self.assertEqual(mail.outbox, [])

    def test_it_rejects_an_unknown_role(self) -> None:
        response = self.invite(role="admin")
        self.assertContains(response, "Choose one of the roles in the list.")
        self.assertEqual(mail.outbox, [])

    def test_inviting_again_renews_the_link(self) -> None:
        self.invite(role="viewer")
        first = self.link()
        self.invite(role="contributor")
        self.assertEqual(Invitation.objects.count(), 1)
        self.assertEqual(Invitation.objects.get().role, Role.CONTRIBUTOR)
        self.client.logout()
        self.assertEqual(self.client.get(first).status_code, 404)
        self.assertEqual(self.client.get(self.link()).status_code, 200)

    def test_resend_sends_a_new_link_and_extends_it(self) -> None:
        with frozen_clock() as clock:
            self.invite()
            first = self.link()
            invitation = Invitation.objects.get()
            clock.advance(days=10)
            response = self.client.post(f"/w/acme/settings/invitations/{invitation.pk}/resend/")
            self.assertRedirects(response, "/w/acme/settings/#invitations")
            self.assertEqual(len(mail.outbox), 2)
            self.assertNotEqual(self.link(), first)
            invitation.refresh_from_db()
            self.assertEqual(invitation.expires_at, clock.now + timedelta(days=7))
            self.client.logout()
            self.assertEqual(self.client.get(self.link()).status_code, 200)

    def test_revoke_stops_the_link(self) -> None:
        self.invite()
        invitation = Invitation.objects.get()
        response = self.client.post(f"/w/acme/settings/invitations/{invitation.pk}/revoke/")
        self.assertRedirects(response, "/w/acme/settings/#invitations")
        response = self.join(self.link())
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "This invitation was withdrawn", status_code=410)
        self.assertFalse(User.objects.filter(username="dana@example.org").exists())

    def test_sending_is_rate_limited(self) -> None:
        for n in range(INVITATIONS_PER_SENDER.capacity):
            self.assertEqual(self.invite(f"person{n}@example.org").status_code, 302)
        response = self.invite("one-too-many@example.org")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many invitations sent for now", status_code=429)
        self.assertEqual(len(mail.outbox), INVITATIONS_PER_SENDER.capacity)
        self.assertFalse(Invitation.objects.filter(email="one-too-many@example.org").exists())

    def test_the_html_email_escapes_names(self) -> None:
        self.workspace.name = "<b>Acme</b>"
        self.workspace.save()
        self.invite()
        html = html_part(mail.outbox[0])
        self.assertIn("&lt;b&gt;Acme&lt;/b&gt;", html)
        self.assertNotIn("<b>Acme</b>", html)
        self.assertIn("<b>Acme</b>", str(mail.outbox[0].body))

    # Roles and ownership

    def test_only_owners_invite(self) -> None:
        for user in (self.bob, self.carol, self.vic):
            with self.subTest(user=user.username):
                self.assertEqual(self.invite(as_user=user).status_code, 403)
        self.assertEqual(mail.outbox, [])

    def test_it_checks_ownership(self) -> None:
        self.assertEqual(self.invite(as_user=self.charlie).status_code, 404)
        self.invite()
        invitation = Invitation.objects.get()
        self.client.force_login(self.charlie)
        for action in ("resend", "revoke"):
            for slug in ("acme", "other"):
                url = f"/w/{slug}/settings/invitations/{invitation.pk}/{action}/"
                self.assertEqual(self.client.post(url).status_code, 404)
        invitation.refresh_from_db()
        self.assertIsNone(invitation.revoked_at)
        self.assertEqual(len(mail.outbox), 1)

    def test_resend_and_revoke_need_the_owner_role(self) -> None:
        self.invite()
        invitation = Invitation.objects.get()
        self.client.force_login(self.bob)
        for action in ("resend", "revoke"):
            url = f"/w/acme/settings/invitations/{invitation.pk}/{action}/"
            self.assertEqual(self.client.post(url).status_code, 403)

    # Accepting

    def test_a_new_person_sets_a_name_and_password_and_joins(self) -> None:
        self.invite()
        link = self.link()
        self.client.logout()
        page = self.client.get(link)
        self.assertContains(page, "Join Acme Product")
        self.assertContains(page, "as an editor")
        self.assertContains(page, 'value="dana@example.org"')
        response = self.join(link)
        self.assertRedirects(response, "/w/acme/", fetch_redirect_response=False)
        dana = User.objects.get(username="dana@example.org")
        self.assertEqual(dana.get_full_name(), "Dana Scully")
        self.assertTrue(dana.check_password(NEW_PASSWORD))
        self.assertEqual(Member.objects.get(user=dana).role, Role.EDITOR)
        self.assertEqual(int(self.client.session["_auth_user_id"]), dana.pk)
        invitation = Invitation.objects.get()
        self.assertIsNotNone(invitation.accepted_at)
        self.assertEqual(invitation.accepted_by, dana)
        self.assertEqual(self.client.get("/w/acme/inbox/").status_code, 200)

    def test_a_link_works_once(self) -> None:
        self.invite()
        link = self.link()
        self.join(link)
        response = self.join(link, name="Someone Else", password="another long passphrase")
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "already used", status_code=410)
        self.assertEqual(User.objects.filter(first_name="Someone").count(), 0)
        self.assertEqual(self.client.get(link).status_code, 410)

    def test_an_expired_link_is_refused(self) -> None:
        with frozen_clock() as clock:
            self.invite()
            link = self.link()
            clock.advance(days=7, seconds=1)
            self.client.logout()
            page = self.client.get(link)
            self.assertContains(page, "This invitation has expired", status_code=410)
            self.assertContains(
                page, "Ask alice@example.org to send you a new one", status_code=410
            )
            self.assertEqual(self.join(link).status_code, 410)
        self.assertFalse(User.objects.filter(username="dana@example.org").exists())
        self.assertIsNone(Invitation.objects.get().accepted_at)

    def test_an_unknown_link_is_not_found(self) -> None:
        response = self.client.get("/invitations/not-a-real-token/")
        self.assertContains(response, "This invitation link is not valid", status_code=404)
        self.assertEqual(self.join("/invitations/not-a-real-token/").status_code, 404)

    def test_the_password_must_pass_the_validators(self) -> None:
        self.invite()
        link = self.link()
        cases = {
            "123456789012": "entirely numeric",
            "password": "too common",
            "short": "too short",
            "dana@example.org": "too similar",
        }
        for password, reason in cases.items():
            with self.subTest(password=password):
                response = self.join(link, password=password)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, reason)
                self.assertContains(response, 'value="Dana Scully"')
        self.assertFalse(User.objects.filter(username="dana@example.org").exists())
        self.assertIsNone(Invitation.objects.get().accepted_at)

    def test_the_two_passwords_must_match(self) -> None:
        self.invite()
        self.client.logout()
        response = self.client.post(
            self.link(), {"name": "Dana", "password1": NEW_PASSWORD, "password2": "other words"}
        )
        self.assertContains(response, "The two passwords differ")
        self.assertNotContains(response, "too common")
        self.assertFalse(User.objects.filter(username="dana@example.org").exists())

    def test_it_tells_every_password_problem_at_once(self) -> None:
        self.invite()
        self.client.logout()
        response = self.client.post(
            self.link(), {"name": "Dana", "password1": "password", "password2": "passwrd"}
        )
        self.assertContains(response, "The two passwords differ")
        self.assertContains(response, "too common")

    def test_a_signed_in_user_with_that_email_joins_directly(self) -> None:
        dana = User.objects.create_user("dana@example.org", "dana@example.org", PASSWORD)
        self.invite()
        self.client.force_login(dana)
        page = self.client.get(self.link())
        self.assertContains(page, "Join as dana@example.org")
        # Opening the link (as a mail scanner would) does not join; the button does.
        self.assertFalse(Member.objects.filter(user=dana).exists())
        response = self.client.post(self.link())
        self.assertRedirects(response, "/w/acme/", fetch_redirect_response=False)
        self.assertEqual(Member.objects.get(user=dana).role, Role.EDITOR)
        self.assertEqual(self.client.post(self.link()).status_code, 410)

    def test_a_signed_in_user_with_another_email_cannot_use_it(self) -> None:
        self.invite()
        self.client.force_login(self.charlie)
        response = self.client.post(self.link())
        self.assertContains(response, "This invitation is for someone else", status_code=403)
        self.assertFalse(
            Member.objects.filter(user=self.charlie, workspace=self.workspace).exists()
        )
        self.assertIsNone(Invitation.objects.get().accepted_at)

    def test_someone_with_an_account_is_asked_to_sign_in(self) -> None:
        User.objects.create_user("dana@example.org", "dana@example.org", PASSWORD)
        self.invite()
        link = self.link()
        response = self.join(link)
        self.assertContains(response, "You already have an account")
        self.assertContains(response, f'href="/login/?next={link}"')
        self.assertEqual(User.objects.filter(username="dana@example.org").count(), 1)
        self.assertIsNone(Invitation.objects.get().accepted_at)
        # After signing in, the same link lets them join.
        response = self.client.post(
            "/login/", {"username": "dana@example.org", "password": PASSWORD, "next": link}
        )
        self.assertRedirects(response, link)
        self.client.post(link)
        self.assertTrue(Member.objects.filter(user__username="dana@example.org").exists())
