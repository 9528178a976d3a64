"""Members and invitations over the JSON API."""

from __future__ import annotations

import json

from django.core import mail
from django.test import override_settings

from problemspace.testing import BaseTestCase
from problemspace.workspaces.invitations import INVITATIONS_PER_SENDER
from problemspace.workspaces.models import Invitation


@override_settings(SITE_URL="https://ps.example.com")
class MembersApiTestCase(BaseTestCase):
    def invite(self, user, payload: dict[str, str], slug: str = "acme"):
        return self.client.post(
            f"/api/w/{slug}/invitations",
            json.dumps(payload),
            content_type="application/json",
            headers=self.api_key(user),
        )

    def test_any_member_lists_the_members(self) -> None:
        response = self.client.get("/api/w/acme/members", headers=self.api_key(self.vic))
        self.assertEqual(response.status_code, 200)
        rows = {row["email"]: row["role"] for row in response.json()}
        self.assertEqual(
            rows,
            {
                "alice@example.org": "owner",
                "bob@example.org": "editor",
                "carol@example.org": "contributor",
                "vic@example.org": "viewer",
            },
        )
        self.assertEqual(set(response.json()[0]), {"id", "name", "email", "role", "joined_at"})

    def test_it_checks_ownership(self) -> None:
        headers = self.api_key(self.charlie)
        self.assertEqual(self.client.get("/api/w/acme/members", headers=headers).status_code, 404)
        response = self.invite(self.charlie, {"email": "dana@example.org"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(mail.outbox, [])

    def test_an_owner_invites_by_email(self) -> None:
        response = self.invite(self.alice, {"email": "Dana@Example.org", "role": "viewer"})
        self.assertEqual(response.status_code, 201)
        body = response.json()
        self.assertEqual(body["email"], "dana@example.org")
        self.assertEqual(body["role"], "viewer")
        self.assertFalse(body["renewed"])
        self.assertTrue(body["email_sent"])
        self.assertEqual(mail.outbox[0].to, ["dana@example.org"])
        self.assertIn("https://ps.example.com/invitations/", mail.outbox[0].body)
        again = self.invite(self.alice, {"email": "dana@example.org", "role": "editor"})
        self.assertEqual(again.status_code, 201)
        self.assertTrue(again.json()["renewed"])
        self.assertEqual(Invitation.objects.count(), 1)

    def test_only_owners_invite(self) -> None:
        for user in (self.bob, self.carol, self.vic):
            with self.subTest(user=user.username):
                response = self.invite(user, {"email": "dana@example.org"})
                self.assertEqual(response.status_code, 403)
        self.assertEqual(mail.outbox, [])

    def test_it_refuses_an_existing_member(self) -> None:
        response = self.invite(self.alice, {"email": "carol@example.org"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("already a member", response.json()["detail"])

    def test_it_refuses_bad_input(self) -> None:
        self.assertEqual(self.invite(self.alice, {"email": "nope"}).status_code, 422)
        response = self.invite(self.alice, {"email": "dana@example.org", "role": "king"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(mail.outbox, [])

    def test_it_is_rate_limited(self) -> None:
        for n in range(INVITATIONS_PER_SENDER.capacity):
            self.invite(self.alice, {"email": f"p{n}@example.org"})
        response = self.invite(self.alice, {"email": "late@example.org"})
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many invitations", response.json()["detail"])
