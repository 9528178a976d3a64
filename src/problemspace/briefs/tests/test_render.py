"""A brief as Markdown, HTML, PDF and chat message: the same claims, the same links, absolute
outside the site, and what people wrote escaped."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from problemspace.briefs import render
from problemspace.briefs.compose import compose
from problemspace.briefs.tests.factories import (
    DUPLICATE_QUOTE,
    MONTH,
    NOW,
    PHONE_QUOTE,
    SHIPPED_REASON,
    Story,
    build_story,
)
from problemspace.briefs.tests.pdf import read_pdf
from problemspace.integrations.chat import brief_message
from problemspace.testing import BaseTestCase
from problemspace.workspaces.models import Member

SITE = "https://ps.example.com"


def pdf_links(data: bytes) -> list[str]:
    return read_pdf(data)[1]


def pdf_text(data: bytes) -> str:
    return read_pdf(data)[0]


@override_settings(SITE_URL=SITE + "/")
class RenderTestCase(BaseTestCase):
    story: Story
    content: dict[str, Any]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        bob = Member.objects.get(user=cls.bob)
        carol = Member.objects.get(user=cls.carol)
        cls.story = build_story(cls.workspace, bob, carol)

    def setUp(self) -> None:
        super().setUp()
        self.content = compose(self.workspace, "executives", MONTH, now=NOW)

    def evidence_url(self, pk: int) -> str:
        return f"{SITE}/w/acme/evidence/{pk}/"

    def test_markdown_links_every_claim_absolutely_and_escapes_what_people_wrote(self) -> None:
        text = render.markdown(self.content)
        self.assertTrue(text.startswith("# Executive brief: 31 Oct \N{EN DASH} 30 Nov 2026\n"))
        self.assertIn(f"({self.evidence_url(self.story.phone_quote.pk)})", text)
        self.assertIn(f"({SITE}/w/acme/problems/{self.story.approvals.pk}/)", text)
        self.assertIn(f"({SITE}/w/acme/roadmap/initiatives/{self.story.catcher.pk}/)", text)
        self.assertIn("I approve invoices from my phone", text)
        # Markdown and HTML in a reason stay text.
        self.assertIn(r"Why: Shipped to everyone after the pilot \<b\>caught\</b\> 14", text)
        self.assertNotIn("<b>", text)

    def test_the_html_document_escapes_and_links_absolutely(self) -> None:
        html = render.document_html(self.content, note="Every Monday")
        self.assertIn(f'href="{self.evidence_url(self.story.phone_quote.pk)}"', html)
        self.assertIn("pilot &lt;b&gt;caught&lt;/b&gt;", html)
        self.assertNotIn(SHIPPED_REASON, html)
        self.assertIn("Every Monday", html)

    def test_the_pdf_has_the_brief_and_clickable_links_to_the_evidence(self) -> None:
        data = render.pdf(self.content)
        self.assertTrue(data.startswith(b"%PDF-"))
        text = pdf_text(data)
        self.assertIn("Executive brief", text)
        self.assertIn("Top problems by reach and revenue at stake", text)
        self.assertIn("Approvals stall when the approver travels", text)
        self.assertIn("airport", text)
        links = pdf_links(data)
        self.assertIn(self.evidence_url(self.story.phone_quote.pk), links)
        self.assertIn(f"{SITE}/w/acme/problems/{self.story.approvals.pk}/", links)
        self.assertIn(f"{SITE}/w/acme/roadmap/initiatives/{self.story.catcher.pk}/", links)
        self.assertTrue(all(link.startswith(SITE + "/w/acme/") for link in links), links)

    def test_an_empty_brief_renders_its_sentence(self) -> None:
        content = compose(self.other_workspace, "executives", MONTH, now=NOW)
        self.assertIn("Nothing new in this period", render.markdown(content))
        self.assertIn("Nothing new in this period", pdf_text(render.pdf(content)))

    def test_the_chat_message_links_back_and_escapes(self) -> None:
        content = compose(self.workspace, "sales", MONTH, now=NOW)
        brief = render.chat_brief(content, f"{SITE}/w/acme/briefs/1/")
        message = brief_message(brief)
        self.assertIn(f"{SITE}/w/acme/briefs/1/", message["text"])
        self.assertIn("Catch duplicate invoices", message["text"])
        self.assertIn(
            f"{SITE}/w/acme/roadmap/initiatives/{self.story.catcher.pk}/", message["text"]
        )
        self.assertNotIn("<noticed>", message["text"])
        self.assertNotIn(DUPLICATE_QUOTE, message["text"])

    def test_file_names_say_audience_and_day(self) -> None:
        self.assertEqual(render.filename(self.content, "pdf"), "executives-brief-2026-11-30.pdf")
        self.assertNotIn(PHONE_QUOTE, render.filename(self.content, "md"))

    def test_markdown_from_a_customer_cannot_become_a_link_or_html(self) -> None:
        said = render.md_escape("See [this](https://evil.example) <script>x</script> **now**")
        self.assertEqual(
            said,
            r"See \[this\](https://evil.example) \<script\>x\</script\> \*\*now\*\*",
        )
