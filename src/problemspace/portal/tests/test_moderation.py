"""The team's side: the moderation queue, publish / reject / merge, links to problems, roles,
settings, and the same over the API."""

from __future__ import annotations

import json

from django.urls import reverse

from problemspace.evidence.models import Evidence
from problemspace.portal.models import Access, PortalSettings, Post, PostStatus
from problemspace.portal.tests.factories import add_voters, open_portal, post
from problemspace.problems.models import PlacedBy, Problem, ProblemEvidence
from problemspace.testing import BaseTestCase


class ModerationPageTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        open_portal(self.workspace)
        self.pending = post(self.workspace, "Approvals get stuck", published=False)

    def moderate(self, target: Post, action: str, **extra: str) -> Post:
        url = reverse("portal:moderate", args=["acme", target.pk])
        self.client.post(url, {"action": action, **extra})
        target.refresh_from_db()
        return target

    def test_the_queue_lists_pending_posts_for_editors(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get(reverse("portal:queue", args=["acme"]))
        self.assertContains(page, "Approvals get stuck")
        self.assertContains(page, "Publish")

    def test_the_queue_needs_the_editor_role(self) -> None:
        for user in (self.carol, self.vic):
            self.client.force_login(user)
            self.assertEqual(
                self.client.get(reverse("portal:queue", args=["acme"])).status_code, 403
            )
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(reverse("portal:queue", args=["acme"])).status_code, 404)

    def test_every_member_reads_the_posts(self) -> None:
        self.client.force_login(self.vic)
        page = self.client.get(reverse("portal:posts", args=["acme"]))
        self.assertContains(page, "Approvals get stuck")
        self.assertNotContains(page, "Moderation queue")  # the queue tab is editors'
        detail = self.client.get(reverse("portal:post", args=["acme", self.pending.pk]))
        self.assertContains(detail, "Approvals get stuck")
        self.assertNotContains(detail, "Link to problem")

    def test_an_editor_publishes_a_post(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.moderate(self.pending, "approve").status, PostStatus.PUBLISHED)
        self.assertIsNotNone(self.pending.published_at)
        self.assertEqual(self.pending.moderated_by, self.member(self.bob))
        public = self.client.get(reverse("portal_public:index", args=["acme"]))
        self.assertContains(public, "Approvals get stuck")

    def test_a_viewer_or_contributor_cannot_moderate(self) -> None:
        for user in (self.carol, self.vic):
            self.client.force_login(user)
            url = reverse("portal:moderate", args=["acme", self.pending.pk])
            self.assertEqual(self.client.post(url, {"action": "approve"}).status_code, 403)
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.status, PostStatus.PENDING)

    def test_a_rejected_post_leaves_no_evidence_and_comes_back_on_approval(self) -> None:
        self.client.force_login(self.bob)
        evidence_id = self.pending.evidence_id
        assert evidence_id is not None
        self.assertEqual(self.moderate(self.pending, "reject").status, PostStatus.REJECTED)
        self.assertIsNone(self.pending.evidence_id)
        self.assertFalse(Evidence.objects.filter(pk=evidence_id).exists())
        self.assertEqual(self.moderate(self.pending, "approve").status, PostStatus.PUBLISHED)
        self.assertEqual(Evidence.objects.get(portal_post=self.pending).text, "Approvals get stuck")

    def test_a_duplicate_is_merged_with_its_voters(self) -> None:
        target = post(self.workspace, "Approvals wait for managers", email="kim@x.example")
        add_voters(self.pending, "a@x.example", "kim@x.example")
        self.client.force_login(self.bob)
        merged = self.moderate(self.pending, "merge", into=str(target.pk))
        self.assertEqual(merged.status, PostStatus.MERGED)
        self.assertEqual(merged.merged_into, target)
        target.refresh_from_db()
        # kim voted on both: counted once. pat (submitter) and a@ join.
        self.assertEqual(target.vote_count, 3)
        public = self.client.get(reverse("portal_public:post", args=["acme", merged.pk]))
        self.assertRedirects(public, reverse("portal_public:post", args=["acme", target.pk]))

    def test_merging_explains_what_is_wrong(self) -> None:
        other_pending = post(self.workspace, "Another", published=False)
        self.client.force_login(self.bob)
        url = reverse("portal:moderate", args=["acme", self.pending.pk])
        response = self.client.post(url, {"action": "merge", "into": str(other_pending.pk)})
        self.assertContains(response, "Merge into a published post", status_code=422)
        response = self.client.post(url, {"action": "merge", "into": str(self.pending.pk)})
        self.assertContains(response, "cannot be merged into itself", status_code=422)
        response = self.client.post(url, {"action": "merge", "into": "abc"})
        self.assertContains(response, "Choose the post to merge", status_code=422)
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.status, PostStatus.PENDING)

    def test_another_workspaces_post_cannot_be_merged_in(self) -> None:
        open_portal(self.other_workspace)
        theirs = post(self.other_workspace, "Secret")
        self.client.force_login(self.bob)
        url = reverse("portal:moderate", args=["acme", self.pending.pk])
        response = self.client.post(url, {"action": "merge", "into": str(theirs.pk)})
        self.assertEqual(response.status_code, 422)
        self.assertNotContains(response, "Secret", status_code=422)

    def test_an_editor_links_a_post_to_a_problem(self) -> None:
        problem = Problem.objects.create(workspace=self.workspace, title="Approval delays")
        self.client.force_login(self.bob)
        url = reverse("portal:link", args=["acme", self.pending.pk])
        from unittest import mock

        from problemspace.synthesis.embedding import HashingEmbedder

        with mock.patch(
            "problemspace.problems.edits.CachedFirstEmbedder", lambda workspace: HashingEmbedder()
        ):
            self.client.post(url, {"problem": str(problem.pk)})
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.problem, problem)
        link = ProblemEvidence.objects.get(evidence__portal_post=self.pending)
        self.assertEqual(link.problem, problem)
        self.assertEqual(link.placed_by, PlacedBy.PM)
        response = self.client.post(url, {"problem": "999999"})
        self.assertContains(response, "no such problem", status_code=422)


class SettingsPageTests(BaseTestCase):
    url = "/w/acme/portal/settings/"

    def test_an_editor_opens_the_portal(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get(self.url)
        self.assertContains(page, "Portal settings")
        response = self.client.post(
            self.url,
            {
                "enabled": "on",
                "access": "sign_in",
                "moderation": "on",
                "title": "Tell us",
                "intro": "Hello <b>customers</b>",
            },
        )
        self.assertRedirects(response, self.url)
        portal = PortalSettings.objects.get(workspace=self.workspace)
        self.assertTrue(portal.enabled)
        self.assertEqual(portal.access, Access.SIGN_IN)
        self.assertEqual(portal.intro, "Hello <b>customers</b>")

    def test_a_bad_choice_is_explained(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.url, {"access": "everyone"})
        self.assertContains(response, "Choose public or sign-in only", status_code=422)
        self.assertFalse(PortalSettings.objects.exists())

    def test_settings_need_the_editor_role(self) -> None:
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, {"enabled": "on"}).status_code, 403)
        self.assertFalse(PortalSettings.objects.exists())

    def test_moderation_is_on_by_default(self) -> None:
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(self.url), 'name="moderation" checked')

    def test_the_nav_links_to_the_portal(self) -> None:
        self.client.force_login(self.vic)
        page = self.client.get("/w/acme/")
        self.assertContains(page, 'href="/w/acme/portal/posts/"')


class PortalApiTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        open_portal(self.workspace)
        self.pending = post(self.workspace, "Approvals get stuck", published=False)

    def test_members_list_posts(self) -> None:
        response = self.client.get(
            "/api/w/acme/portal/posts?status=pending", headers=self.api_key(self.vic)
        )
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["count"], 1)
        item = data["items"][0]
        self.assertEqual(item["title"], "Approvals get stuck")
        self.assertEqual(item["contact"]["email"], "pat@smallco.example")
        self.assertEqual(item["evidence_id"], self.pending.evidence_id)

    def test_an_editor_moderates_over_the_api(self) -> None:
        url = f"/api/w/acme/portal/posts/{self.pending.pk}/moderation"
        response = self.client.post(
            url,
            json.dumps({"action": "approve"}),
            content_type="application/json",
            headers=self.api_key(self.bob),
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "published")

    def test_a_viewer_cannot_moderate_over_the_api(self) -> None:
        url = f"/api/w/acme/portal/posts/{self.pending.pk}/moderation"
        response = self.client.post(
            url,
            json.dumps({"action": "approve"}),
            content_type="application/json",
            headers=self.api_key(self.vic),
        )
        self.assertEqual(response.status_code, 403)

    def test_a_missing_action_is_unprocessable(self) -> None:
        url = f"/api/w/acme/portal/posts/{self.pending.pk}/moderation"
        response = self.client.post(
            url, "{}", content_type="application/json", headers=self.api_key(self.bob)
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("approve, reject or merge", response.json()["detail"])

    def test_linking_to_another_workspaces_problem_is_refused(self) -> None:
        theirs = Problem.objects.create(workspace=self.other_workspace, title="Secret")
        url = f"/api/w/acme/portal/posts/{self.pending.pk}/problem"
        response = self.client.put(
            url,
            json.dumps({"problem_id": theirs.pk}),
            content_type="application/json",
            headers=self.api_key(self.bob),
        )
        self.assertEqual(response.status_code, 422)
        self.pending.refresh_from_db()
        self.assertIsNone(self.pending.problem)

    def test_outsiders_get_404(self) -> None:
        url = f"/api/w/acme/portal/posts/{self.pending.pk}"
        self.assertEqual(self.client.get(url, headers=self.api_key(self.charlie)).status_code, 404)
