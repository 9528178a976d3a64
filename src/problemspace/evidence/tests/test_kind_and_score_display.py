"""What an item is and the score it came with, as badges on the inbox's cards and its page."""

from __future__ import annotations

from datetime import timedelta

from problemspace.evidence.models import Kind
from problemspace.evidence.tests.factories import BASE_TIME, make_evidence
from problemspace.testing import BaseTestCase


class KindAndScoreDisplayTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.praise = make_evidence(
            self.workspace,
            "Love the new approvals.",
            kind=Kind.PRAISE,
            kind_confidence=0.91,
            score=4,
            score_scale="stars",
        )
        self.request = make_evidence(
            self.workspace,
            "Please add SSO.",
            kind=Kind.REQUEST,
            kind_corrected=True,
            score=9,
            score_scale="nps",
            occurred_at=BASE_TIME - timedelta(hours=1),
        )
        self.plain = make_evidence(
            self.workspace,
            "The export is slow.",
            score=2,
            score_scale="csat",
            occurred_at=BASE_TIME - timedelta(hours=2),
        )
        self.client.force_login(self.vic)

    def test_the_inbox_shows_kind_and_score_badges(self) -> None:
        response = self.client.get("/w/acme/inbox/")
        self.assertContains(
            response,
            '<span class="badge badge-kind badge-kind-praise" title="Decided by synthesis, 91% sure">'
            '<span class="visually-hidden">Kind: </span>Praise</span>',
            html=True,
        )
        self.assertContains(
            response,
            '<span class="badge badge-kind badge-kind-request" title="Set by a person">'
            '<span class="visually-hidden">Kind: </span>Request</span>',
            html=True,
        )
        for label, scale in (("★ 4/5", "Stars"), ("NPS 9", "NPS"), ("CSAT 2/5", "CSAT")):
            with self.subTest(label=label):
                self.assertContains(response, label)
                self.assertContains(response, f'class="badge badge-score" title="{scale}')
        # An item synthesis has not decided yet has no kind badge.
        self.assertContains(response, "badge-kind ", count=2)

    def test_the_item_page_says_what_it_is_and_who_decided(self) -> None:
        page = self.client.get(f"/w/acme/evidence/{self.praise.pk}/")
        self.assertContains(page, "decided by synthesis, 91% sure")
        self.assertContains(page, "Praise: what customers value")
        self.assertContains(page, '★ 4/5 <span class="muted">· Stars (1-5)</span>')
        page = self.client.get(f"/w/acme/evidence/{self.request.pk}/")
        self.assertContains(page, "set by a person")
        self.assertContains(page, "NPS 9")
        page = self.client.get(f"/w/acme/evidence/{self.plain.pk}/")
        self.assertContains(page, "Not decided yet")
        self.assertContains(page, "CSAT 2/5")

    def test_pages_use_no_inline_styles(self) -> None:
        for url in ("/w/acme/inbox/", f"/w/acme/evidence/{self.praise.pk}/"):
            with self.subTest(url=url):
                self.assertNotContains(self.client.get(url), "style=")
