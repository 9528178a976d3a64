"""The workspace settings page: its name, its members and their roles."""

from __future__ import annotations

from problemspace.evidence.models import Evidence
from problemspace.evidence.tests.factories import make_evidence
from problemspace.testing import BaseTestCase
from problemspace.workspaces.models import Invitation, Member, Role
from problemspace.workspaces.tests.clock import frozen_clock


class SettingsPageTestCase(BaseTestCase):
    url = "/w/acme/settings/"

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def role_url(self, user) -> str:
        return f"/w/acme/settings/members/{self.member(user).pk}/role/"

    def remove_url(self, user) -> str:
        return f"/w/acme/settings/members/{self.member(user).pk}/remove/"

    def test_it_shows_the_members_with_their_roles(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<h1 class="settings-title">Settings</h1>', html=True)
        self.assertContains(response, 'value="Acme Product"')
        for user in (self.alice, self.bob, self.carol, self.vic):
            self.assertContains(response, user.email)
        self.assertNotContains(response, "charlie@example.org")
        bob_select = response.content.decode().split(f'id="role-{self.member(self.bob).pk}"')[1]
        self.assertIn('<option value="editor" selected>', bob_select.split("</select>")[0])
        # Alice is the only owner: no role menu and no remove link for her.
        self.assertNotContains(response, f'id="role-{self.member(self.alice).pk}"')
        self.assertNotContains(response, self.remove_url(self.alice))
        self.assertContains(response, "The only owner")

    def test_it_reads_in_few_queries(self) -> None:
        Invitation.objects.create(
            workspace=self.workspace,
            email="x@example.org",
            token_hash="x" * 64,
            expires_at="2999-01-01T00:00:00Z",
            invited_by=self.alice,
        )
        with self.assertNumQueries(5):
            self.client.get(self.url)

    def test_the_nav_shows_settings_to_owners_only(self) -> None:
        self.assertContains(self.client.get("/w/acme/inbox/"), f'href="{self.url}"')
        for user in (self.bob, self.carol, self.vic):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertNotContains(self.client.get("/w/acme/inbox/"), f'href="{self.url}"')

    def test_it_needs_the_owner_role(self) -> None:
        for user in (self.bob, self.carol, self.vic):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
                response = self.client.post("/w/acme/settings/name/", {"name": "Taken"})
                self.assertEqual(response.status_code, 403)
                self.assertEqual(
                    self.client.post(self.role_url(self.vic), {"role": "owner"}).status_code, 403
                )
                self.assertEqual(self.client.post(self.remove_url(self.carol)).status_code, 403)
        self.workspace.refresh_from_db()
        self.assertEqual(self.workspace.name, "Acme Product")
        self.assertEqual(self.member(self.vic).role, Role.VIEWER)
        self.assertTrue(Member.objects.filter(user=self.carol).exists())

    def test_it_checks_ownership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post("/w/acme/settings/name/", {"name": "x"}).status_code, 404)
        self.assertEqual(
            self.client.post(self.role_url(self.bob), {"role": "viewer"}).status_code, 404
        )
        self.assertEqual(self.client.post(self.remove_url(self.bob)).status_code, 404)
        # Nor can alice reach charlie's membership through her own workspace's URLs.
        self.client.force_login(self.alice)
        self.assertEqual(
            self.client.post(self.role_url(self.charlie), {"role": "viewer"}).status_code, 404
        )
        self.assertEqual(self.client.post(self.remove_url(self.charlie)).status_code, 404)
        self.assertEqual(self.member(self.charlie).role, Role.OWNER)
        self.assertEqual(self.member(self.bob).role, Role.EDITOR)

    def test_it_renames_the_workspace(self) -> None:
        response = self.client.post("/w/acme/settings/name/", {"name": "  Acme Discovery "})
        self.assertRedirects(response, self.url)
        self.workspace.refresh_from_db()
        self.assertEqual(self.workspace.name, "Acme Discovery")
        self.assertEqual(self.workspace.slug, "acme")

    def test_it_refuses_an_empty_name(self) -> None:
        response = self.client.post("/w/acme/settings/name/", {"name": "   "})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "A workspace needs a name.")
        self.assertContains(response, 'aria-invalid="true"')
        self.workspace.refresh_from_db()
        self.assertEqual(self.workspace.name, "Acme Product")

    def test_it_refuses_a_name_too_long_and_keeps_it(self) -> None:
        response = self.client.post("/w/acme/settings/name/", {"name": "A" * 121})
        self.assertContains(response, "Keep the name to 120 characters or fewer.")
        self.assertContains(response, "A" * 121)

    def test_it_changes_a_role(self) -> None:
        response = self.client.post(self.role_url(self.vic), {"role": "contributor"}, follow=True)
        self.assertRedirects(response, self.url + "#members")
        self.assertContains(response, "vic@example.org is now a contributor.")
        self.assertEqual(self.member(self.vic).role, Role.CONTRIBUTOR)

    def test_it_rejects_an_unknown_role(self) -> None:
        response = self.client.post(self.role_url(self.vic), {"role": "emperor"}, follow=True)
        self.assertContains(response, "Choose one of the roles in the list.")
        self.assertEqual(self.member(self.vic).role, Role.VIEWER)

    def test_the_last_owner_cannot_step_down(self) -> None:
        response = self.client.post(self.role_url(self.alice), {"role": "editor"}, follow=True)
        self.assertContains(response, "is the only owner of Acme Product")
        self.assertEqual(self.member(self.alice).role, Role.OWNER)

    def test_an_owner_can_step_down_when_there_is_another(self) -> None:
        self.client.post(self.role_url(self.bob), {"role": "owner"})
        response = self.client.post(self.role_url(self.alice), {"role": "editor"})
        self.assertRedirects(response, "/w/acme/", fetch_redirect_response=False)
        self.assertEqual(self.member(self.alice).role, Role.EDITOR)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        # And now bob, the only owner left, cannot step down either.
        self.client.force_login(self.bob)
        self.client.post(self.role_url(self.bob), {"role": "viewer"})
        self.assertEqual(self.member(self.bob).role, Role.OWNER)

    def test_removing_asks_first(self) -> None:
        response = self.client.get(self.remove_url(self.carol))
        self.assertContains(response, "Remove carol@example.org?")
        self.assertContains(response, "The evidence they captured stays")
        self.assertTrue(Member.objects.filter(user=self.carol).exists())

    def test_it_removes_a_member_and_keeps_their_evidence(self) -> None:
        evidence = make_evidence(self.workspace, captured_by=self.member(self.carol))
        response = self.client.post(self.remove_url(self.carol), follow=True)
        self.assertRedirects(response, self.url + "#members")
        self.assertContains(response, "carol@example.org is no longer a member.")
        self.assertFalse(Member.objects.filter(user=self.carol).exists())
        self.assertIsNone(Evidence.objects.get(pk=evidence.pk).captured_by)
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get("/w/acme/inbox/").status_code, 404)

    def test_it_never_removes_the_last_owner(self) -> None:
        response = self.client.post(self.remove_url(self.alice), follow=True)
        self.assertContains(response, "is the only owner of Acme Product")
        self.assertTrue(Member.objects.filter(user=self.alice, workspace=self.workspace).exists())

    def test_an_owner_can_leave_when_there_is_another(self) -> None:
        self.client.post(self.role_url(self.bob), {"role": "owner"})
        response = self.client.post(self.remove_url(self.alice))
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertFalse(Member.objects.filter(user=self.alice, workspace=self.workspace).exists())

    def test_pending_invitations_show_when_they_expire(self) -> None:
        with frozen_clock() as clock:
            self.client.post(
                "/w/acme/settings/invitations/", {"email": "dana@example.org", "role": "viewer"}
            )
            response = self.client.get(self.url)
            self.assertContains(response, "works until 22 Mar 2025")
            clock.advance(days=8)
            response = self.client.get(self.url)
            self.assertContains(response, "Expired")
            self.assertContains(response, "resend to give them a new link")

    def test_actions_take_post_only(self) -> None:
        self.assertEqual(self.client.get("/w/acme/settings/name/").status_code, 405)
        self.assertEqual(self.client.get("/w/acme/settings/invitations/").status_code, 405)
        self.assertEqual(self.client.get(self.role_url(self.bob)).status_code, 405)
