"""Reading pasted emails and notes into items (evidence.paste: plain Python, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from unittest import TestCase

from problemspace.evidence.paste import (
    EMAIL,
    NOTES,
    Item,
    Person,
    looks_like_email,
    parse,
    parse_email,
    split_notes,
)

PLAIN_EMAIL = """\
From: Dana Scully <Dana@Globex.example>
To: support@acme.example
Date: Tue, 4 Mar 2025 10:12:00 +0100
Subject: Month-end export keeps timing out

Hi team,

The month-end export to NetSuite timed out again. We lost half a day.

Thanks,
Dana
--\x20
Dana Scully | Head of Finance Ops | Globex
+1 555 0100
"""

REQUESTS_BODY = """\
Hi Priya,

Hope you're well. After our review, we have four requests:

1. Approvers need to approve from their phones on site.
2. The NetSuite sync creates duplicate vendors every week.
3. Please add a read-only role for our auditors.
4. Foreign vendors get a W-9 instead of a W-8BEN.

Thanks so much,
Rick
Controller, Granite Peak Construction
"""

LISTED_REQUESTS = (
    "From: Rick Stone <rick@granitepeak.com>\n"
    "Subject: A few things from our team\n"
    "Date: Tue, 4 Mar 2025 10:12:00 +0100\n\n" + REQUESTS_BODY
)

GMAIL_REPLY = """\
From: Dana Scully <dana@globex.example>
Subject: Re: Your invoice
Date: Wed, 5 Mar 2025 09:00:00 +0000

Honestly the bigger issue is approvals stalling when someone is away.

On Tue, Mar 4, 2025 at 10:12 AM Sam Seller <sam@acme.example> wrote:
> Hi Dana, here is your invoice.
> Let me know if anything is unclear.
"""

WRAPPED_ATTRIBUTION = """\
We need SSO before the security review.

On Tue, Mar 4, 2025 at 10:12 AM Sam Seller from Acme Sales <
sam@acme.example> wrote:

> What would it take to sign this quarter?
"""

GMAIL_FORWARD = """\
From: Sam Seller <sam@acme.example>
Date: Thu, 6 Mar 2025 16:00:00 +0000
Subject: Fwd: Audit log

FYI, this came in after the demo. Sounds like a blocker.

---------- Forwarded message ---------
From: Rita Ops <rita@initech.example>
Date: Wed, Mar 5, 2025 at 3:30 PM
Subject: Audit log
To: Sam Seller <sam@acme.example>

Our auditors need an export of who changed what. Without it we cannot renew.

Rita
"""

OUTLOOK_REPLY = """\
Works for me, but please fix the slow dashboard first; it takes 30 seconds to load.

________________________________
From: Sam Seller <sam@acme.example>
Sent: Tuesday, March 4, 2025 10:12 AM
To: Dana Scully
Subject: Call on Friday?

Can we talk on Friday?
"""

OUTLOOK_FORWARD = """\
From: Sam Seller
Sent: Friday, March 7, 2025 9:00 AM
Subject: FW: Pricing

See below.

-----Original Message-----
From: Lee Buyer [mailto:lee@hooli.example]
Sent: Thursday, March 6, 2025 5:00 PM
Subject: Pricing

The per-seat price makes no sense for our seasonal staff.
"""

NOTES_TEXT = """\
Call with Globex, 4 March:
- Exports to NetSuite time out at month end
- They rebuild the pivot table every Monday,
  which takes two hours
* SSO is a must for the security review
1. Approvals stall when the approver is away
2) Audit log needed for renewal

Separately, the dashboard is slow on Mondays.
Support has seen it three times.
"""


class EmailTestCase(TestCase):
    def test_it_reads_the_headers(self) -> None:
        pasted = parse(PLAIN_EMAIL)
        self.assertEqual(pasted.kind, EMAIL)
        self.assertEqual(pasted.sender, Person("Dana Scully", "dana@globex.example"))
        self.assertEqual(pasted.sent_at, datetime(2025, 3, 4, 9, 12, tzinfo=UTC))
        assert pasted.sent_at is not None
        self.assertEqual(pasted.sent_at.utcoffset(), timedelta(hours=1))
        self.assertEqual(pasted.subject, "Month-end export keeps timing out")

    def test_an_email_is_one_item_without_greeting_sign_off_or_signature(self) -> None:
        pasted = parse(PLAIN_EMAIL)
        self.assertEqual(len(pasted.items), 1)
        text = pasted.items[0].text
        self.assertIn("The month-end export to NetSuite timed out again.", text)
        self.assertTrue(text.endswith("We lost half a day."), text)
        for left_out in ("Hi team", "Thanks", "Head of Finance Ops", "555"):
            self.assertNotIn(left_out, text)

    def test_a_first_email_keeps_its_subject_as_the_first_line(self) -> None:
        text = parse(PLAIN_EMAIL).items[0].text
        self.assertTrue(
            text.startswith("Month-end export keeps timing out\n\nThe month-end export"), text
        )

    def test_an_email_listing_requests_gives_one_item_for_each(self) -> None:
        pasted = parse(LISTED_REQUESTS)
        self.assertEqual(
            [item.text for item in pasted.items],
            [
                "Approvers need to approve from their phones on site.",
                "The NetSuite sync creates duplicate vendors every week.",
                "Please add a read-only role for our auditors.",
                "Foreign vendors get a W-9 instead of a W-8BEN.",
            ],
        )
        self.assertTrue(all("four requests" in item.heading for item in pasted.items))
        self.assertEqual(pasted.sender, Person("Rick Stone", "rick@granitepeak.com"))

    def test_one_point_is_not_a_list_of_requests(self) -> None:
        pasted = parse("From: a@b.example\nSubject: x\n\nOne thing:\n\n1. Exports time out.\n")
        self.assertEqual(len(pasted.items), 1)

    def test_a_reply_leaves_out_the_quoted_message_and_its_subject(self) -> None:
        pasted = parse(GMAIL_REPLY)
        self.assertEqual(
            [item.text for item in pasted.items],
            ["Honestly the bigger issue is approvals stalling when someone is away."],
        )
        self.assertEqual(pasted.subject, "Your invoice")

    def test_an_attribution_wrapped_over_two_lines_is_recognised(self) -> None:
        pasted = parse(WRAPPED_ATTRIBUTION)
        self.assertEqual(pasted.kind, EMAIL)
        self.assertEqual(pasted.items, [Item("We need SSO before the security review.")])

    def test_quoted_lines_are_removed_anywhere(self) -> None:
        pasted = parse_email("> What does it cost?\nToo much for our team of five.\n> Ok.\n")
        self.assertEqual(pasted.items, [Item("Too much for our team of five.")])

    def test_an_outlook_reply_stops_at_the_original_message(self) -> None:
        pasted = parse(OUTLOOK_REPLY)
        self.assertEqual(pasted.kind, EMAIL)
        self.assertEqual(
            pasted.items[0].text,
            "Works for me, but please fix the slow dashboard first; it takes 30 seconds to load.",
        )

    def test_original_message_marker_ends_a_reply(self) -> None:
        text = "Yes, weekly is fine.\n\n-----Original Message-----\nFrom: Sam\nSent: Monday\n\nOk?"
        self.assertEqual(parse(text).items, [Item("Yes, weekly is fine.")])

    def test_a_forward_is_read_from_the_forwarded_message(self) -> None:
        pasted = parse(GMAIL_FORWARD)
        self.assertEqual(pasted.sender, Person("Rita Ops", "rita@initech.example"))
        self.assertEqual(pasted.forwarded_by, Person("Sam Seller", "sam@acme.example"))
        self.assertEqual(pasted.sent_at, datetime(2025, 3, 5, 15, 30))
        self.assertEqual(pasted.subject, "Audit log")
        text = pasted.items[0].text
        self.assertIn("Our auditors need an export of who changed what.", text)
        self.assertNotIn("FYI", text)
        self.assertNotIn("blocker", text)

    def test_an_outlook_forward_is_read_from_the_original(self) -> None:
        pasted = parse(OUTLOOK_FORWARD)
        self.assertEqual(pasted.sender, Person("Lee Buyer", "lee@hooli.example"))
        self.assertEqual(pasted.forwarded_by, Person("Sam Seller", ""))
        self.assertEqual(pasted.sent_at, datetime(2025, 3, 6, 17, 0))
        self.assertEqual(
            pasted.items[0].text,
            "Pricing\n\nThe per-seat price makes no sense for our seasonal staff.",
        )

    def test_phone_footers_are_removed(self) -> None:
        pasted = parse_email("Can we get a CSV export?\n\nSent from my iPhone\n")
        self.assertEqual(pasted.items, [Item("Can we get a CSV export?")])

    def test_windows_line_endings_and_control_characters_are_cleaned(self) -> None:
        pasted = parse_email(
            "From: a@b.example\r\nSubject: Re: x\r\n\r\nLine one\x07\r\nLine two\r\n"
        )
        self.assertEqual(pasted.items, [Item("Line one\nLine two")])
        self.assertEqual(pasted.sender.email, "a@b.example")

    def test_an_email_with_nothing_but_quotes_has_no_items(self) -> None:
        pasted = parse("From: a@b.example\nSubject: Re: hi\n\n> all quoted\n> here\n")
        self.assertEqual(pasted.items, [])

    def test_a_date_that_is_not_a_date_is_left_out(self) -> None:
        pasted = parse("From: a@b.example\nDate: soon\nSubject: Hi\n\nBody")
        self.assertIsNone(pasted.sent_at)

    def test_a_date_with_a_zone_keeps_it(self) -> None:
        pasted = parse("From: a@b.example\nDate: Mon, 3 Mar 2025 08:00:00 -0500\n\nBody")
        assert pasted.sent_at is not None
        self.assertEqual(pasted.sent_at.tzinfo, timezone(timedelta(hours=-5)))

    def test_a_sender_without_an_address_keeps_the_name(self) -> None:
        self.assertEqual(
            parse("From: Sam Seller\nSubject: Hi\n\nBody").sender, Person("Sam Seller")
        )

    def test_a_header_value_may_continue_on_an_indented_line(self) -> None:
        pasted = parse("Subject: A very long\n  subject line\nFrom: a@b.example\n\nBody")
        self.assertEqual(pasted.subject, "A very long subject line")

    def test_markup_is_kept_as_typed(self) -> None:
        pasted = parse("From: a@b.example\nSubject: Re: x\n\n<script>alert(1)</script> breaks")
        self.assertEqual(pasted.items, [Item("<script>alert(1)</script> breaks")])


class NotesTestCase(TestCase):
    def test_it_splits_on_bullets_numbers_and_blank_lines(self) -> None:
        items = split_notes(NOTES_TEXT)
        self.assertEqual(
            [item.text for item in items],
            [
                "Exports to NetSuite time out at month end",
                "They rebuild the pivot table every Monday,\nwhich takes two hours",
                "SSO is a must for the security review",
                "Approvals stall when the approver is away",
                "Audit log needed for renewal",
                "Separately, the dashboard is slow on Mondays.\nSupport has seen it three times.",
            ],
        )

    def test_a_heading_before_a_list_is_context_not_an_item(self) -> None:
        items = split_notes(NOTES_TEXT)
        self.assertEqual(items[0].heading, "Call with Globex, 4 March")
        self.assertEqual(items[4].heading, "Call with Globex, 4 March")

    def test_a_markdown_heading_starts_a_new_context(self) -> None:
        items = split_notes("# Globex\n- slow exports\n\n## Initech\n- no SSO\n")
        self.assertEqual(items, [Item("slow exports", "Globex"), Item("no SSO", "Initech")])

    def test_a_sentence_ending_in_a_colon_that_no_list_follows_is_an_item(self) -> None:
        items = split_notes("What they asked for:\nan API for invoices.")
        self.assertEqual(items, [Item("What they asked for:\nan API for invoices.")])

    def test_paragraphs_without_markers_are_items(self) -> None:
        items = split_notes("First thing.\n\n\n\nSecond thing.\n")
        self.assertEqual([i.text for i in items], ["First thing.", "Second thing."])

    def test_separators_and_empty_points_are_not_items(self) -> None:
        items = split_notes("---\n- \n***\n- real point\n")
        self.assertEqual([i.text for i in items], ["real point"])

    def test_a_hyphen_inside_a_line_is_not_a_bullet(self) -> None:
        items = split_notes("Month-end close - always late")
        self.assertEqual([i.text for i in items], ["Month-end close - always late"])

    def test_notes_are_not_taken_for_an_email(self) -> None:
        self.assertFalse(looks_like_email(NOTES_TEXT))
        self.assertEqual(parse(NOTES_TEXT).kind, NOTES)

    def test_a_date_line_alone_does_not_make_an_email(self) -> None:
        self.assertEqual(parse("Date: 4 March\n- slow exports").kind, NOTES)

    def test_the_kind_can_be_forced(self) -> None:
        forced = parse(PLAIN_EMAIL, "notes")
        self.assertEqual(forced.kind, NOTES)
        self.assertGreater(len(forced.items), 1)
        self.assertEqual(parse("Just one line", "email").kind, EMAIL)
        with self.assertRaises(ValueError):
            parse("x", "letter")

    def test_empty_or_blank_pastes_have_no_items(self) -> None:
        for text in ["", "   \n\n \t", "- \n* "]:
            with self.subTest(text=text):
                self.assertEqual(parse(text).items, [])


class DetectionTestCase(TestCase):
    def test_it_recognises_emails(self) -> None:
        for text in [PLAIN_EMAIL, GMAIL_REPLY, WRAPPED_ATTRIBUTION, GMAIL_FORWARD, OUTLOOK_REPLY]:
            with self.subTest(text=text[:30]):
                self.assertTrue(looks_like_email(text))

    def test_lines_quoted_with_a_chevron_make_an_email(self) -> None:
        self.assertTrue(looks_like_email("Agreed.\n> one\n> two"))
        self.assertFalse(looks_like_email("Agreed.\n> one"))
