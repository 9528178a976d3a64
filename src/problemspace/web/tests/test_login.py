from __future__ import annotations

from problemspace.testing import PASSWORD, BaseTestCase


class LoginTestCase(BaseTestCase):
    def test_it_shows_the_form(self) -> None:
        response = self.client.get("/login/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<label for="id_username">Email</label>', html=True)
        self.assertContains(response, '<label for="id_password">Password</label>', html=True)
        self.assertContains(response, 'autocomplete="current-password"')

    def test_it_signs_in_and_goes_to_the_workspace(self) -> None:
        response = self.client.post(
            "/login/", {"username": "alice@example.org", "password": PASSWORD}, follow=True
        )
        self.assertRedirects(response, "/w/acme/")

    def test_it_follows_next(self) -> None:
        response = self.client.post(
            "/login/",
            {"username": "alice@example.org", "password": PASSWORD, "next": "/w/acme/accounts/"},
        )
        self.assertRedirects(response, "/w/acme/accounts/")

    def test_it_does_not_follow_next_off_site(self) -> None:
        response = self.client.post(
            "/login/",
            {
                "username": "alice@example.org",
                "password": PASSWORD,
                "next": "https://evil.example/",
            },
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_it_rejects_a_wrong_password(self) -> None:
        response = self.client.post(
            "/login/", {"username": "alice@example.org", "password": "guess"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'role="alert"')
        self.assertContains(response, 'value="alice@example.org"')
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_signed_in_user_skips_the_form(self) -> None:
        self.client.force_login(self.alice)
        self.assertRedirects(self.client.get("/login/"), "/", fetch_redirect_response=False)

    def test_sign_out_takes_a_post(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get("/logout/").status_code, 405)
        response = self.client.post("/logout/")
        self.assertRedirects(response, "/login/")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_pages_offer_sign_out(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get("/w/acme/inbox/")
        self.assertContains(response, '<form method="post" action="/logout/">')
