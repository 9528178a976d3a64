import numpy as np
import pytest

from problemspace.synthesis.embedding import normalise
from problemspace.synthesis.label import clip, keywords_by_group, representative, title_from


def test_titles_are_the_customers_words_without_boilerplate():
    texts = [
        "★★★☆☆ Would be five stars if not for invoice scanning. It misreads totals.",
        "Score: 9/10 Invoice scanning misreads totals",
    ]
    # The central sentence that uses most of the problem's keywords, minus the rating.
    assert title_from(texts, ["invoice scanning", "totals"]) == "Invoice scanning misreads totals"
    assert title_from(texts[:1], ["stars"]) == "Would be five stars if not for invoice scanning"
    assert title_from(["Good morning, Approvals get stuck when someone is away."], []) == (
        "Approvals get stuck when someone is away"
    )


def test_a_title_is_a_leading_clause_rather_than_a_clipped_sentence():
    long = "The line items are a mess: descriptions cut off, unit prices wrong, totals off."
    keywords = ["line items", "unit prices", "descriptions"]
    assert title_from([long], keywords) == "The line items are a mess"
    # A whole sentence that fits is preferred to its clause.
    assert title_from(["Line items: descriptions cut off"], keywords) == (
        "Line items: descriptions cut off"
    )
    # A dash between spaces breaks a clause; a hyphen in a word does not.
    dashed = "Approvals get stuck when someone is away - and we lose the early-payment discount."
    assert title_from([dashed], ["approvals", "discount"]) == (
        "Approvals get stuck when someone is away"
    )
    cause = "They lost an early-payment discount because nobody could approve the invoice in time."
    assert title_from([cause], ["discount"]) == "They lost an early-payment discount"


def test_long_titles_are_clipped_at_a_word():
    title = clip("The bank feed for our second entity drops every Monday morning since May", 40)
    assert len(title) <= 40 and title.endswith("…") and " " in title


def test_keywords_set_groups_apart_and_survive_wordless_groups():
    keywords = keywords_by_group(
        {
            1: ["CSV export times out", "export to CSV fails"],
            2: ["approvals stuck when approver away", "approvals wait for holiday"],
            3: ["🙂🙂", "🔥"],
        }
    )
    assert "csv" in " ".join(keywords[1])
    assert "approvals" in " ".join(keywords[2])
    assert keywords[3] == []
    assert keywords_by_group({1: ["🙂"], 2: ["…"]}) == {1: [], 2: []}


def test_quotes_are_central_different_and_never_copies():
    rng = np.random.default_rng(3)
    base = normalise(rng.standard_normal((1, 16)))[0]
    vectors = normalise(base + 0.3 * rng.standard_normal((6, 16)))
    vectors[1] = vectors[0]  # a copy of item 10
    ids = [10, 11, 12, 13, 14, 15]
    quotes = representative(ids, vectors, base, duplicate_of={11: 10})
    assert len(quotes) == 3
    assert 11 not in quotes
    assert len(set(quotes)) == 3


def test_titles_come_from_whichever_sentence_names_the_problem():
    texts = ["Thanks for the call today. The CSV export times out on big ledgers."]
    assert title_from(texts, ["csv export", "ledgers"]) == "The CSV export times out on big ledgers"


def test_relayed_notes_are_titled_by_what_the_customer_said():
    texts = ["Customer says they need single sign-on with Okta before they renew"]
    assert title_from(texts, ["okta"]) == "They need single sign-on with Okta before they renew"


def test_without_a_sentence_that_names_the_problem_the_keywords_are_the_title():
    assert title_from(["Thanks for your time today!"], ["csv export", "timeout"]) == (
        "Csv export, timeout"
    )


def test_titles_fit_sixty_characters_and_end_at_a_word():
    long = "The " + "very " * 30 + "long export complaint"
    for texts, keywords in (([long], ["export"]), (["🙂 " * 50], []), ([], ["x" * 80])):
        title = title_from(texts, keywords)
        assert 0 < len(title) <= 60
    assert title_from([long], ["export"]).endswith("very…")


def test_titles_of_wordless_or_non_english_evidence():
    assert title_from(["🙂🙂", "🔥"], []) == "🙂🙂"
    assert title_from(["导出很慢。每次都超时\uff01"], []) == "导出很慢"
    assert title_from([""], []) == "(no words to name this by)"


def test_keywords_skip_numbers_and_add_a_word_each():
    keywords = keywords_by_group(
        {
            1: ["Export report 2024 port", "export report to port 8080", "export report"],
            2: ["login slow", "login slow again"],
        }
    )
    # No numbers; "port" is a word of its own, not part of "report" or "export"; and the pair
    # "export report" adds no word to "export" and "report".
    assert keywords[1] == ["export", "report", "port"]


def test_keywords_of_a_single_tiny_group():
    assert keywords_by_group({7: ["SSO"]}) == {7: ["sso"]}
    assert keywords_by_group({}) == {}


def test_quotes_never_repeat_one_text_even_from_two_customers():
    rng = np.random.default_rng(5)
    vectors = normalise(rng.standard_normal((5, 16)))
    vectors[1] = vectors[0]  # same words, another customer: not a duplicate for scoring
    texts = ["Export to CSV is slow", "Export to CSV is slow", "a", "b c d e", "f g h i"]
    quotes = representative([1, 2, 3, 4, 5], vectors, vectors[0], duplicate_of={}, texts=texts)
    assert 1 in quotes and 2 not in quotes
    # Same words, different vectors (another embedder): still one quote.
    vectors[1] = normalise(rng.standard_normal((1, 16)))[0]
    quotes = representative([1, 2, 3, 4, 5], vectors, vectors[0], duplicate_of={}, texts=texts)
    assert not {1, 2} <= set(quotes)


def test_quotes_of_three_words_or_more_come_first():
    rng = np.random.default_rng(6)
    centre = normalise(rng.standard_normal((1, 16)))[0]
    vectors = normalise(centre + rng.standard_normal((4, 16)))
    vectors[0] = centre  # "+1" sits right at the centre
    texts = ["+1", "Approvals get stuck", "Approvers on holiday block us", "Nobody can approve"]
    assert representative([1, 2, 3, 4], vectors, centre, {}, count=2)[0] == 1
    quotes = representative([1, 2, 3, 4], vectors, centre, {}, count=2, texts=texts)
    assert 1 not in quotes
    assert len(representative([1, 2], vectors[:2], centre, {}, texts=texts)) == 2


def test_quotes_of_a_small_group():
    vectors = normalise(np.eye(2, 4, dtype=np.float32))
    assert sorted(representative([1, 2], vectors, vectors.mean(axis=0), {})) == [1, 2]
    assert representative([], vectors[:0], vectors[0], {}) == []
    assert representative([1], vectors[:1], np.zeros(4, dtype=np.float32), {}) == [1]


@pytest.mark.slow
def test_labels_for_a_hundred_thousand_items_in_a_thousand_problems():
    rng = np.random.default_rng(1)
    words = [f"word{n}" for n in range(3_000)]
    groups = rng.integers(0, 1_000, 100_000)
    texts = [
        " ".join(rng.choice(words[3 * g : 3 * g + 30], 8)) + ". Happens every week." for g in groups
    ]
    vectors = normalise(rng.standard_normal((100_000, 64)))
    members = {g: np.flatnonzero(groups == g) for g in range(1_000)}
    keywords = keywords_by_group({g: [texts[r] for r in rows] for g, rows in members.items()})
    for g, rows in members.items():
        centre = vectors[rows].mean(axis=0)
        quotes = representative(list(rows), vectors[rows], centre, {})
        title = title_from([texts[r] for r in rows[:10]], keywords[g])
        assert len(quotes) == 3 and 0 < len(title) <= 60
        assert keywords[g]


@pytest.mark.parametrize(
    "text",
    [
        "Call with Lauren (VP Finance) at Northmark Freight Group: the approvals stall all week.",
        "FYI from the Atlas Retail Holdings call: the approvals stall all week.",
        "Forwarding from Yolanda at Atlas: the approvals stall all week.",
        "EBR notes, Emsland Industrie AG: the approvals stall all week.",
    ],
)
def test_titles_leave_out_who_relayed_the_conversation(text):
    assert title_from([text], ["approvals stall"]) == "The approvals stall all week"


def test_titles_of_reviews_leave_out_the_forms_questions():
    review = (
        "★★☆☆☆ Good, not great\n\nWhat do you like best? The invoice inbox keeps things in one"
        " place.\nWhat do you dislike? Approvals stall when someone is away."
    )
    assert title_from([review], ["approvals", "stall"]) == "Approvals stall when someone is away"


def test_a_title_skips_the_hedge_before_but() -> None:
    texts = [
        "Not a product thing, but our renewal quote went to someone who left. Can you send it?",
        "Okay, the big one: not a product thing, but our renewal quote went to someone who left.",
    ]
    title = title_from(texts, ["left send", "product thing", "quote"])
    assert title == "Our renewal quote went to someone who left"
