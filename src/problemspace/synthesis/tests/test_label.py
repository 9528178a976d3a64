import numpy as np

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
