"""Chat messages (Slack incoming-webhook format) for briefs and events."""

from __future__ import annotations

from django.test import SimpleTestCase

from problemspace.integrations import chat, events
from problemspace.integrations.models import Delivery
from problemspace.integrations.tests.helpers import make_endpoint
from problemspace.testing import BaseTestCase

BRIEF = chat.Brief(
    title="Executive brief: March",
    url="https://ps.example.com/w/acme/briefs/3/",
    subtitle="Executives · last 30 days",
    sections=(
        chat.Section(
            heading="Top problem",
            text="Exports time out <at month-end> & fail",
            links=(chat.Link("Globex said so", "https://ps.example.com/w/acme/evidence/9/"),),
        ),
        chat.Section(heading="Roadmap moves", text="SSO moved to now."),
    ),
)


class BriefMessageTests(SimpleTestCase):
    def test_it_has_a_header_context_and_a_section_each(self) -> None:
        message = chat.brief_message(BRIEF)
        kinds = [block["type"] for block in message["blocks"]]
        self.assertEqual(kinds, ["header", "context", "divider", "section", "divider", "section"])
        self.assertEqual(message["blocks"][0]["text"]["text"], "Executive brief: March")
        section = message["blocks"][3]["text"]["text"]
        self.assertIn("*Top problem*", section)
        self.assertIn("Exports time out &lt;at month-end&gt; &amp; fail", section)
        self.assertIn("• <https://ps.example.com/w/acme/evidence/9/|Globex said so>", section)

    def test_the_text_fallback_holds_the_whole_brief(self) -> None:
        text = chat.brief_message(BRIEF)["text"]
        self.assertTrue(
            text.startswith("*<https://ps.example.com/w/acme/briefs/3/|Executive brief: March>*")
        )
        self.assertIn("SSO moved to now.", text)

    def test_a_brief_from_the_event_payload_matches(self) -> None:
        from dataclasses import asdict

        self.assertEqual(chat.brief_message(asdict(BRIEF)), chat.brief_message(BRIEF))

    def test_link_labels_cannot_break_out(self) -> None:
        self.assertEqual(
            chat.link("https://x.example/", "a|b>c <@here>"),
            "<https://x.example/|a b c &lt;@here>",
        )

    def test_slack_limits_are_kept(self) -> None:
        long = chat.Brief(
            title="T" * 400,
            sections=tuple(chat.Section(heading=f"S{n}", text="x" * 5000) for n in range(60)),
        )
        message = chat.brief_message(long)
        self.assertLessEqual(len(message["blocks"]), chat.MAX_BLOCKS)
        self.assertLessEqual(len(message["blocks"][0]["text"]["text"]), chat.MAX_HEADER)
        sections = [b for b in message["blocks"] if b["type"] == "section"]
        self.assertTrue(all(len(b["text"]["text"]) <= chat.MAX_SECTION for b in sections))


class EventMessageTests(SimpleTestCase):
    def test_an_initiative_move_says_what_moved_and_why(self) -> None:
        message = chat.event_message(
            {
                "event": "initiative.moved",
                "workspace": {"name": "Acme"},
                "data": {
                    "initiative": {"title": "SSO", "url": "https://x.example/i/1"},
                    "from": {"horizon": "next", "status": "planned"},
                    "to": {"horizon": "now", "status": "planned"},
                    "reason": "Three enterprise deals <blocked>",
                },
            }
        )
        self.assertEqual(
            message["text"],
            "<https://x.example/i/1|SSO> moved: horizon next → now. "
            "Why: Three enterprise deals &lt;blocked&gt;",
        )


class PublishBriefTests(BaseTestCase):
    def test_chat_endpoints_get_the_message_and_generic_ones_the_structure(self) -> None:
        make_endpoint(
            self.workspace,
            "https://hooks.slack.example/T1",
            kind="chat",
            events=[events.BRIEF_PUBLISHED],
        )
        make_endpoint(self.workspace, "https://ci.example/hook", events=[events.BRIEF_PUBLISHED])
        chat.publish_brief(self.workspace.pk, BRIEF, audience="exec")
        chat_delivery, generic = Delivery.objects.order_by("endpoint__kind")
        self.assertEqual(chat_delivery.payload, chat.brief_message(BRIEF))
        self.assertEqual(generic.payload["data"]["audience"], "exec")
        self.assertEqual(generic.payload["data"]["sections"][0]["heading"], "Top problem")
