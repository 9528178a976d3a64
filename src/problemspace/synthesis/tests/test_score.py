from dataclasses import replace
from datetime import timedelta

import pytest

from problemspace.synthesis.dedupe import find_duplicates
from problemspace.synthesis.embedding import HashingEmbedder
from problemspace.synthesis.items import Item
from problemspace.synthesis.score import ScoringContext, Weights, score_problem
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


# The bias scenario must discriminate: a scorer that counts items, or conversations, ranks
# the loud problem first. Scoring must not.


def count_only(items, duplicate_of):
    return len(items)


def conversations_only(items, duplicate_of):
    return len({duplicate_of.get(i.id, i.id) for i in items})


def test_counting_items_or_conversations_would_rank_the_loud_problem_first():
    items, loud, broad = bias_items()
    loud_items = [i for i in items if i.id in loud]
    broad_items = [i for i in items if i.id in broad]
    assert count_only(loud_items, {}) > count_only(broad_items, {})
    assert conversations_only(loud_items, {}) > conversations_only(broad_items, {})
    a, b = scores()
    assert b.value > a.value


def test_the_broad_problem_outranks_the_loud_one_after_real_deduplication():
    items, loud, _ = bias_items()
    vectors = HashingEmbedder().embed([i.text for i in items])
    duplicate_of = find_duplicates(items, vectors)
    # The loud problem's repeats within a fortnight collapse; the broad one's do not.
    assert duplicate_of and all(i in loud for i in duplicate_of)
    a, b = scores(duplicate_of)
    assert a.conversations < a.items
    assert b.value > a.value
    assert b.components["reach"] > a.components["reach"]
    assert b.components["first_hand"] == 1 and a.components["first_hand"] == 0


def test_relayed_copies_add_nothing_to_a_problem():
    """Equal problems but for 60 relayed copies: equal scores. Counting items would not tie."""
    items, _, broad = bias_items()
    originals = [i for i in items if i.id in broad]
    copies = [
        replace(original, id=1000 + n, first_hand=False, channel="sales_call")
        for n, original in enumerate(originals * 3)
    ]
    duplicate_of = {
        copy.id: original.id for copy, original in zip(copies, originals * 3, strict=True)
    }
    context = ScoringContext.of(items + copies, TODAY, duplicate_of)
    plain = score_problem(originals, context, duplicate_of)
    copied = score_problem(originals + copies, context, duplicate_of)
    assert copied.items == 80 and copied.conversations == plain.conversations == 20
    assert copied.value == plain.value
    assert copied.components == plain.components


def test_more_customers_beat_more_items():
    """30 items from one account lose to 5 items from 5 accounts, all else equal."""

    def problem(first_id, accounts, count):
        return [
            Item(
                id=first_id + n,
                text=f"note {first_id + n}",
                occurred_at=TODAY - timedelta(days=3 * n),
                account=f"acct-{first_id}-{n % accounts}",
                contact=f"contact-{first_id}-{n % accounts}",
                segment="smb",
                revenue=10_000.0,
                channel="support",
            )
            for n in range(count)
        ]

    many_items = problem(0, accounts=1, count=30)
    many_customers = problem(100, accounts=5, count=5)
    context = ScoringContext.of(many_items + many_customers, TODAY, {})
    one = score_problem(many_items, context, {})
    five = score_problem(many_customers, context, {})
    assert count_only(many_items, {}) > count_only(many_customers, {})
    assert five.value > one.value


def test_a_conversation_heard_first_hand_by_anyone_is_first_hand():
    heard = Item(id=2, text="x", occurred_at=TODAY, account="a", first_hand=True)
    relayed = Item(id=1, text="x", occurred_at=TODAY, account="a", first_hand=False)
    context = ScoringContext.of([relayed, heard], TODAY, {2: 1})
    score = score_problem([relayed, heard], context, {2: 1})
    assert score.conversations == 1 and score.first_hand_share == 1


def test_a_copy_whose_original_is_in_another_problem_still_counts_once():
    original = Item(id=1, text="x", occurred_at=TODAY, account="a")
    copies = [Item(id=n, text="x", occurred_at=TODAY, account="a") for n in (2, 3)]
    duplicate_of = {2: 1, 3: 1}
    context = ScoringContext.of([original, *copies], TODAY, duplicate_of)
    assert score_problem(copies, context, duplicate_of).conversations == 1


def test_without_revenue_data_the_other_weights_are_rescaled():
    items = [
        Item(id=n, text="x", occurred_at=TODAY - timedelta(days=n), account=f"a{n}")
        for n in range(4)
    ]
    context = ScoringContext.of(items, TODAY, {})
    score = score_problem(items[:2], context, {})
    weights = Weights()
    assert "revenue" not in score.components and "spread" not in score.components
    used = {name: getattr(weights, name) for name in score.components}
    expected = sum(used[name] * score.components[name] for name in used) / sum(used.values())
    assert score.value == pytest.approx(expected, abs=1e-3)
    assert "ARR" not in score.explain()


def test_problems_without_accounts_are_scored_by_contacts_or_not_at_all():
    by_contact = [
        Item(id=n, text="x", occurred_at=TODAY, contact=f"c{n}", channel="portal") for n in range(3)
    ]
    anonymous = [Item(id=10 + n, text="x", occurred_at=TODAY) for n in range(3)]
    context = ScoringContext.of(by_contact + anonymous, TODAY, {})
    named = score_problem(by_contact, context, {})
    nobody = score_problem(anonymous, context, {})
    assert named.explain().startswith("3 contacts, 100% first-hand")
    assert nobody.explain().startswith("no named customer")
    assert named.components["reach"] == 1 and nobody.components["reach"] == 0
    assert named.value > nobody.value > 0


def test_items_all_on_one_day():
    day = [Item(id=n, text="x", occurred_at=TODAY, account=f"a{n}") for n in range(20)]
    long_ago = [replace(i, occurred_at=TODAY - timedelta(days=200)) for i in day]
    today = score_problem(day, ScoringContext.of(day, TODAY, {}), {})
    old = score_problem(long_ago, ScoringContext.of(long_ago, TODAY, {}), {})
    assert today.trend == "new" and today.components["trend"] == 1
    assert old.trend == "falling" and old.components["trend"] < 0.5
    # Five items long ago and none since: too few to call it falling, never rising.
    few = score_problem(long_ago[:5], ScoringContext.of(long_ago, TODAY, {}), {})
    assert few.trend == "steady" and few.components["trend"] < 0.5


def test_every_component_lies_between_0_and_1():
    items, loud, broad = bias_items()
    context = ScoringContext.of(items, TODAY, {})
    for problem in (loud, broad, {i.id for i in items}, {1}):
        score = score_problem([i for i in items if i.id in problem], context, {})
        assert 0 <= score.value <= 1
        assert all(0 <= value <= 1 for value in score.components.values())


def test_weights_are_configurable():
    _, broad = scores()
    items, _, broad_ids = bias_items()
    reach_only = Weights(reach=1, revenue=0, spread=0, trend=0, first_hand=0, strength=0)
    score = score_problem(
        [i for i in items if i.id in broad_ids],
        ScoringContext.of(items, TODAY, {}),
        {},
        reach_only,
    )
    assert score.value == pytest.approx(broad.components["reach"], abs=1e-3)
    interviews_only = Weights(channels={"interview": 1.0, "other": 0.0})
    assert interviews_only.evidence([i for i in items if i.channel == "support"][:1]) == 0


def test_an_empty_problem_explains_itself():
    context = ScoringContext.of([], TODAY, {})
    empty = score_problem([], context, {})
    assert empty.explain() == "no evidence yet"
    assert empty.as_dict()["conversations"] == 0
