from __future__ import annotations

from problemspace.synthesis.clean import essence, sentences


def test_greetings_ratings_and_sign_offs_are_not_what_the_customer_said():
    text = "Hi team,\n\nScore: 4/10. Fix the vendor sync, it duplicates vendors.\n\nThanks, Nicole"
    assert essence(text) == "Fix the vendor sync, it duplicates vendors."


def test_a_review_keeps_its_complaint_not_its_praise_or_its_title():
    text = (
        "★★☆☆☆ Good, not great  What do you like best? The invoice inbox keeps everything in "
        "one place. What do you dislike? The close export fails on the last day of the month."
    )
    assert essence(text) == "The close export fails on the last day of the month."


def test_a_review_with_only_praise_keeps_it():
    text = "What do you like best? The invoice inbox keeps everything in one place."
    assert essence(text) == "The invoice inbox keeps everything in one place."


def test_the_messenger_is_left_out_of_relayed_notes():
    assert essence("Call with Lauren (VP Finance) at Northmark: they want SCIM.") == (
        "they want SCIM."
    )
    assert essence("Allison at Northmark mentioned again that they need SAP posting.") == (
        "they need SAP posting."
    )
    assert essence("Health check with Atlas: exports fail at month end.") == (
        "exports fail at month end."
    )


def test_texts_that_differ_only_in_wrapping_have_one_essence():
    plain = "Where is my card?"
    assert essence("Hello, where is my card?\nCheers") != ""
    assert essence("Hi, Where is my card?") == essence(f"{plain}\n\nThanks!") == plain


def test_a_text_of_only_wrapping_keeps_its_words():
    assert essence("Thanks!") == "Thanks!"
    assert essence("   ") == ""


def test_sentences_split_on_line_breaks_and_stops():
    assert sentences("First point. Second point!\nThird") == [
        "First point.",
        "Second point!",
        "Third",
    ]


def test_praise_around_a_complaint_is_left_out():
    text = (
        "Overall we love Ledgerly, one thing though: Our auditors flagged 4 duplicate vendor "
        "records.\n\nThanks,\nMatteo"
    )
    assert essence(text) == "Our auditors flagged 4 duplicate vendor records."


def test_a_long_but_sentence_gives_its_complaint_as_a_clause():
    assert sentences(
        "Capture gets the vendor and the total right but the line items are a mess."
    ) == [
        "Capture gets the vendor and the total right",
        "The line items are a mess.",
    ]
    assert sentences("Good, but slow.") == ["Good, but slow."]


def test_a_parenthesised_post_title_loses_its_brackets():
    assert sentences("Is it just us? (approvals when someone is away)") == [
        "Is it just us?",
        "approvals when someone is away",
    ]
