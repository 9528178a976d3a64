from __future__ import annotations

from django.contrib.auth.models import User

from problemspace.testing import BaseTestCase
from problemspace.workspaces.models import Member, Role, Workspace


class HomeTestCase(BaseTestCase):
    def test_it_requires_sign_in(self) -> None:
        self.assertRedirects(self.client.get("/"), "/login/?next=/")

    def test_one_workspace_goes_straight_to_its_dashboard(self) -> None:
        self.client.force_login(self.bob)
        self.assertRedirects(self.client.get("/"), "/w/acme/")

    def test_several_workspaces_are_listed(self) -> None:
        Member.objects.create(workspace=self.other_workspace, user=self.bob, role=Role.VIEWER)
        self.client.force_login(self.bob)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<a href="/w/acme/">Acme Product</a>', html=True)
        self.assertContains(response, '<a href="/w/other/">Other Team</a>', html=True)
        self.assertNotContains(response, 'href="/admin/"')

    def test_no_workspace_says_what_to_do(self) -> None:
        User.objects.create_user("newbie@example.org", password="x")
        self.client.force_login(User.objects.get(username="newbie@example.org"))
        response = self.client.get("/")
        self.assertContains(response, "not a member of any workspace yet")

    def test_the_workspace_url_is_its_dashboard(self) -> None:
        self.client.force_login(self.vic)
        response = self.client.get("/w/acme/")
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "dashboard/dashboard.html")

    def test_the_workspace_url_checks_membership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get("/w/acme/").status_code, 404)
        Workspace.objects.create(name="Empty", slug="empty")
        self.assertEqual(self.client.get("/w/empty/").status_code, 404)

    def test_staff_see_a_link_to_the_admin(self) -> None:
        self.alice.is_staff = True
        self.alice.save()
        self.client.force_login(self.alice)
        self.assertContains(self.client.get("/w/acme/inbox/"), 'href="/admin/"')
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get("/w/acme/inbox/"), 'href="/admin/"')

    def test_the_not_found_page_uses_the_layout(self) -> None:
        self.client.force_login(self.charlie)
        response = self.client.get("/w/acme/inbox/")
        self.assertContains(response, "Not found", status_code=404)
        self.assertContains(response, "Skip to content", status_code=404)
