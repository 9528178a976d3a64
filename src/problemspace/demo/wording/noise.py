"""Wording for what is not a problem: praise, how-to questions, billing, the odd off-topic note.

Real inboxes are full of these; synthesis should leave them out of the problems.
"""

from __future__ import annotations

from problemspace.demo.wording.base import Wording

PRAISE = Wording(
    topic="Ledgerly",
    first_hand=(
        "Honestly the approval workflows have cut our invoice cycle from two weeks to three days. "
        "Thank you.",
        "Support was fantastic today. {support_first} sorted out our bank feed in ten minutes.",
        "Best AP tool we've used. The {erp} sync just works for us.",
        "We switched from spreadsheets in {past_month} and our month-end is a full day shorter.",
        "Love the new invoice inbox, it's very clean.",
        "The onboarding call was really helpful, thanks {csm_first}!",
        "Our auditors commented on how tidy our AP process is this year. Credit to Ledgerly.",
        "The new payment run screen is great. Took me half the time this week.",
        "Just wanted to say the vendor portal has been a hit with our suppliers.",
    ),
    spoken=(
        "Before Ledgerly, invoices lived in an inbox and a spreadsheet. Now I can actually tell "
        "my CFO what we owe on any given day. That alone was worth it.",
        "The thing I like is my clerks picked it up in a morning. No training course, nothing.",
    ),
    short=(
        "Nothing, it's great.",
        "Keep doing what you're doing!",
        "n/a, happy customer",
        "Easy to use, good support.",
        "Approvals are so much faster now.",
    ),
    gists=(
        "they love the new invoice inbox",
        "the approval workflows have cut their invoice cycle in half",
        "their CFO called Ledgerly the best tool they bought this year",
        "they're happy and open to being a reference customer",
    ),
    tags=("praise",),
)

OFF_TOPIC = Wording(
    topic="a question",
    first_hand=(
        "How do I update the card we pay for our Ledgerly subscription with?",
        "Can you send us our Ledgerly invoice with our VAT number on it?",
        "Where do I change the email address that notifications go to?",
        "Is there a way to export the vendor list to Excel?",
        "We're moving offices. How do we update our billing address?",
        "Can I get a copy of your SOC 2 report for our vendor review?",
        "Do you have a webinar on setting up approval rules?",
        "The password reset email never arrived, can you resend it?",
        "What are your support hours over the holidays?",
        "Is there an API rate limit? Our developer wants to know before building a script.",
        "Your status page says degraded performance. Is that affecting EU customers?",
        "How do I add a new user? Sorry if this is obvious.",
        "Can we move from monthly to annual billing?",
        "Please deactivate the login of a colleague who left last month. I can't find the button.",
        "Is there a sandbox we can test the {erp} integration in?",
    ),
    spoken=(
        "Not a product thing, but our renewal quote went to someone who left. Can you send it to "
        "me instead?",
    ),
    short=(
        "Cheaper plan for small teams",
        "More integrations",
        "no comment",
        "Dark mode?",
        "Make the pricing page clearer.",
    ),
    gists=(
        "they want a copy of the SOC 2 report",
        "they asked about moving to annual billing",
        "they need their subscription invoice reissued with a VAT number",
        "they asked whether there's a sandbox for testing",
    ),
    tags=("how-to", "billing"),
)

WORDING = {"praise": PRAISE, "off_topic": OFF_TOPIC}
