"""Similar posts while typing: by meaning with the workspace's synthesis model, by words
without one; published posts only."""

from __future__ import annotations

from django.urls import reverse

from problemspace.portal.similar import similar_posts
from problemspace.portal.tests.factories import open_portal, post, synthesized_with_hashing
from problemspace.problems.models import Embedding
from problemspace.synthesis.embedding import HashingEmbedder
from problemspace.testing import BaseTestCase


class SimilarTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        open_portal(self.workspace)
        self.exports = post(
            self.workspace, "Exports lose the currency", "The CSV export drops currency codes."
        )
        self.approvals = post(
            self.workspace, "Approvals get stuck", "Managers never see approval requests."
        )
        self.hidden = post(
            self.workspace, "Exports lose the currency again", "CSV currency", published=False
        )

    def test_by_meaning_with_the_synthesis_model(self) -> None:
        synthesized_with_hashing(self.workspace)
        found = similar_posts(self.workspace, "CSV export drops the currency")
        self.assertEqual([s.post for s in found], [self.exports])
        self.assertEqual(found[0].matched_by, "meaning")
        # The posts' vectors are cached, so the next call embeds only the query.
        self.assertTrue(Embedding.objects.filter(model_id=HashingEmbedder.model_id).exists())

    def test_by_words_without_a_synthesis(self) -> None:
        found = similar_posts(self.workspace, "currency missing from exports")
        self.assertEqual([s.post for s in found], [self.exports])
        self.assertEqual(found[0].matched_by, "words")

    def test_by_words_when_the_model_is_not_installed(self) -> None:
        synthesized_with_hashing(self.workspace)
        found = similar_posts(
            self.workspace, "approval requests get stuck", load_embedder=lambda model: None
        )
        self.assertEqual([s.post for s in found], [self.approvals])

    def test_short_or_unrelated_text_finds_nothing(self) -> None:
        self.assertEqual(similar_posts(self.workspace, "csv"), [])
        self.assertEqual(similar_posts(self.workspace, "the weather in Lisbon is lovely"), [])

    def test_the_json_endpoint_for_the_script(self) -> None:
        url = reverse("portal_public:similar", args=["acme"])
        response = self.client.get(url, {"q": "currency lost in exports"})
        self.assertEqual(response.status_code, 200)
        posts = response.json()["posts"]
        self.assertEqual([p["id"] for p in posts], [self.exports.pk])
        self.assertEqual(posts[0]["url"], f"/p/acme/posts/{self.exports.pk}/")
        self.assertEqual(posts[0]["votes"], 1)

    def test_the_endpoint_of_a_closed_portal_is_not_found(self) -> None:
        open_portal(self.workspace, enabled=False)
        url = reverse("portal_public:similar", args=["acme"])
        self.assertEqual(self.client.get(url, {"q": "currency exports"}).status_code, 404)

    def test_the_queue_suggests_duplicates_to_merge_into(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get(reverse("portal:queue", args=["acme"]))
        self.assertContains(page, "Or merge into a similar post")
        self.assertContains(page, f'<option value="{self.exports.pk}">')
