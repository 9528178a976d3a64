from datetime import timedelta

from problemspace.synthesis.items import Item
from problemspace.synthesis.score import ScoringContext, score_problem
from problemspace.synthesis.tests.scenario import TODAY, bias_items


def scores(duplicate_of=None):
    items, loud, broad = bias_items()
    duplicate_of = duplicate_of or {}
    context = ScoringContext.of(items, TODAY, duplicate_of)
    a = score_problem([i for i in items if i.id in loud], context, duplicate_of)
    b = score_problem([i for i in items if i.id in broad], context, duplicate_of)
    return a, b


def test_the_broad_problem_outranks_the_loud_one():
    loud, broad = scores()
    # The scenario is discriminating: counting items would rank the loud problem first.
    assert loud.items > broad.items * 1.5
    assert broad.value > loud.value
    assert broad.accounts == 15 and loud.accounts == 2


def test_relayed_copies_count_once():
    items, loud, _ = bias_items()
    # Every loud item repeats the first one of its account.
    first: dict[str | None, int] = {}
    duplicate_of: dict[int, int] = {}
    for item in items:
        if item.id in loud:
            first.setdefault(item.account, item.id)
            if first[item.account] != item.id:
                duplicate_of[item.id] = first[item.account]
    collapsed, _ = scores(duplicate_of)
    plain, _ = scores()
    assert collapsed.conversations == 2
    assert collapsed.value < plain.value
    assert "(40 items, 2 distinct)" in collapsed.explain()


def test_the_score_explains_itself():
    _, broad = scores()
    text = broad.explain()
    assert text.startswith("15 accounts, 3 segments, $900k ARR, 100% first-hand")
    assert set(broad.components) == {
        "reach",
        "revenue",
        "spread",
        "trend",
        "first_hand",
        "strength",
    }


def test_trend_reads_rising_and_falling():
    old = [
        Item(id=n, text="x", occurred_at=TODAY - timedelta(days=100 + n), account=f"a{n}")
        for n in range(20)
    ]
    recent = [
        Item(id=100 + n, text="x", occurred_at=TODAY - timedelta(days=n), account=f"a{n}")
        for n in range(20)
    ]
    context = ScoringContext.of(old + recent, TODAY, {})
    assert score_problem(old + recent, context, {}).trend == "rising"
    assert score_problem(old, context, {}).trend == "falling"


def test_empty_and_data_poor_problems_score_without_failing():
    context = ScoringContext.of([], TODAY, {})
    empty = score_problem([], context, {})
    assert empty.value == 0
    bare = [Item(id=1, text="x", occurred_at=TODAY)]
    lonely = score_problem(bare, ScoringContext.of(bare, TODAY, {}), {})
    assert "revenue" not in lonely.components and "spread" not in lonely.components
    assert 0 <= lonely.value <= 1
