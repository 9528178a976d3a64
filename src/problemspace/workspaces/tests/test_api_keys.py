"""Your API keys: make one (shown once), see when each was last used, revoke it."""

from __future__ import annotations

import re

from django.test import override_settings

from problemspace.testing import BaseTestCase
from problemspace.workspaces.models import ApiToken
from problemspace.workspaces.tokens import create_token

KEY = re.compile(r"ps_[\w-]{40,}")


@override_settings(SITE_URL="https://ps.example.com")
class ApiKeysTestCase(BaseTestCase):
    url = "/account/api-keys/"

    def make(self, user, name: str = "Support desk"):
        self.client.force_login(user)
        return self.client.post(self.url, {"name": name})

    def test_it_needs_a_signed_in_user(self) -> None:
        response = self.client.get(self.url)
        self.assertRedirects(response, f"/login/?next={self.url}")

    def test_it_shows_the_new_key_once_with_how_to_use_it(self) -> None:
        response = self.make(self.alice)
        self.assertEqual(response.status_code, 200)
        match = KEY.search(response.content.decode())
        assert match is not None
        key = match[0]
        self.assertContains(response, "it is shown only this once")
        self.assertContains(
            response,
            f'curl -H "Authorization: Bearer {key}" \\\n  https://ps.example.com/api/w/acme/evidence',
        )
        self.assertIn("no-store", response["Cache-Control"])
        token = ApiToken.objects.get(user=self.alice)
        self.assertEqual(token.name, "Support desk")
        self.assertTrue(key.startswith(token.prefix))
        # The key works, and the list no longer shows it.
        api = self.client_class()
        evidence = api.get("/api/w/acme/evidence", headers={"Authorization": f"Bearer {key}"})
        self.assertEqual(evidence.status_code, 200)
        listing = self.client.get(self.url)
        self.assertNotContains(listing, key)
        self.assertContains(listing, f"<code>{token.prefix}…</code>", html=True)

    def test_the_list_shows_when_a_key_was_last_used(self) -> None:
        _, key = create_token(self.bob, "Survey import")
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(self.url), "Never")
        self.client_class().get("/api/w/acme/evidence", headers={"Authorization": f"Bearer {key}"})
        token = ApiToken.objects.get(user=self.bob)
        self.assertIsNotNone(token.last_used_at)
        self.assertNotContains(self.client.get(self.url), "Never")

    def test_it_lists_only_your_own_keys(self) -> None:
        create_token(self.alice, "Alice's script")
        create_token(self.bob, "Bob's webhook")
        self.client.force_login(self.bob)
        response = self.client.get(self.url)
        self.assertContains(response, "Bob&#x27;s webhook")
        self.assertNotContains(response, "Alice")

    def test_any_member_can_make_one_that_keeps_their_role(self) -> None:
        match = KEY.search(self.make(self.vic).content.decode())
        assert match is not None
        key = match[0]
        headers = {"Authorization": f"Bearer {key}"}
        api = self.client_class()
        self.assertEqual(api.get("/api/w/acme/evidence", headers=headers).status_code, 200)
        pushed = api.post(
            "/api/w/acme/evidence",
            [{"text": "x"}],
            content_type="application/json",
            headers=headers,
        )
        self.assertEqual(pushed.status_code, 403)
        self.assertEqual(api.get("/api/w/other/evidence", headers=headers).status_code, 404)

    def test_a_key_needs_a_name(self) -> None:
        response = self.make(self.alice, name="  ")
        self.assertContains(response, "Name the key after where it will be used")
        self.assertFalse(ApiToken.objects.exists())

    def test_revoking_asks_first_then_the_key_stops_working(self) -> None:
        token, key = create_token(self.alice, "Old script")
        self.client.force_login(self.alice)
        url = f"/account/api-keys/{token.pk}/revoke/"
        self.assertContains(self.client.get(url), "Revoke “Old script”?")
        self.assertTrue(ApiToken.objects.filter(pk=token.pk).exists())
        response = self.client.post(url)
        self.assertRedirects(response, self.url)
        self.assertFalse(ApiToken.objects.filter(pk=token.pk).exists())
        api = self.client_class()
        response = api.get("/api/w/acme/evidence", headers={"Authorization": f"Bearer {key}"})
        self.assertEqual(response.status_code, 401)

    def test_it_checks_ownership(self) -> None:
        token, _ = create_token(self.alice, "Alice's key")
        url = f"/account/api-keys/{token.pk}/revoke/"
        for user in (self.charlie, self.bob):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url).status_code, 404)
        self.assertTrue(ApiToken.objects.filter(pk=token.pk).exists())
