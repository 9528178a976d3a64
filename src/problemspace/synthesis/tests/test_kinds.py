"""Feedback kinds: the rules for nothing said, the fallback rules, and the shipped model."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import numpy as np
import pytest

from problemspace.synthesis.embedding import Embedder, QuantizedEmbedder, quantized_installed
from problemspace.synthesis.grams import Grams
from problemspace.synthesis.items import Item
from problemspace.synthesis.kinds import (
    KINDS,
    OTHER,
    PRAISE,
    RANKED,
    TEXT_FEATURES,
    KindModel,
    Verdict,
    classify,
    content_free,
    packaged_model,
    rule_kind,
)
from problemspace.synthesis.pipeline import is_praise_group


def item(id: int, text: str, **fields) -> Item:
    return Item(id=id, text=text, occurred_at=datetime(2026, 1, 1, tzinfo=UTC), **fields)


@cache
def model_embedder() -> Embedder:
    return QuantizedEmbedder()


needs_model = pytest.mark.skipif(
    not quantized_installed(), reason="the sentence-embedding model is not installed (CI has it)"
)


def kinds_of(
    texts: list[str], scores: list[float | None] | None = None, channel: str = ""
) -> list[str]:
    from problemspace.synthesis.clean import essence

    vectors = model_embedder().embed([essence(text) for text in texts])
    verdicts = classify(
        texts,
        vectors,
        scores or [None] * len(texts),
        model_id=model_embedder().model_id,
        channels=[channel] * len(texts),
    )
    return [verdict.kind for verdict in verdicts]


@pytest.mark.parametrize(
    "text",
    [
        "n/a",
        "N/A.",
        "no comment",
        "Comment",
        "Nothing.",
        "test",
        "-",
        "★★★★★",
        "Score: 9/10.",
        "Hi team,",
        "Thanks,\nNicole",
        "   ",
        "🙂🙂",
    ],
)
def test_nothing_said_is_other(text):
    assert content_free(text)
    assert rule_kind(text) == Verdict(OTHER, 1.0, 0.0)


@pytest.mark.parametrize(
    "text",
    [
        "Nothing, it's great.",
        "n/a, happy customer",
        "mobile!!",
        "Peppol support",
        "Crashes",
        "Score: 3/10. The export keeps failing.",
    ],
)
def test_a_few_words_that_say_something_are_not_other(text):
    assert not content_free(text)


def test_the_rules_tell_kinds_apart_without_the_model():
    assert rule_kind("Best AP tool we've used. The Xero sync just works.").kind == PRAISE
    assert rule_kind("Love it, please add dark mode!").kind == "request"
    assert rule_kind("How do I add a new user to our account?").kind == "question"
    assert rule_kind("The export keeps failing at month end.").kind == "problem"


def test_a_low_score_takes_praise_words_for_sarcasm_and_a_high_one_finds_quiet_praise():
    sarcasm = "Great, another update. Love it."
    assert rule_kind(sarcasm).kind == PRAISE
    assert rule_kind(sarcasm, score=0.0).kind == "problem"
    quiet = "Does what it says on the tin."
    assert rule_kind(quiet).kind == "problem"
    assert rule_kind(quiet, score=1.0).kind == PRAISE


def test_without_a_model_of_its_family_the_rules_decide():
    vectors = np.zeros((2, 384), dtype=np.float32)
    verdicts = classify(
        ["no comment", "Best tool we've bought this year!"],
        vectors,
        [None, None],
        model_id="hashing-v1",
    )
    assert [v.kind for v in verdicts] == [OTHER, PRAISE]


def test_the_packaged_weights_load_as_plain_arrays():
    model = packaged_model()
    assert model is not None
    assert set(model.classes) == set(KINDS) - {OTHER}
    assert model.kind_coef.shape[0] == len(model.classes)
    assert (
        model.kind_coef.shape[1]
        == model.ranked_coef.shape[0]
        == 384 + TEXT_FEATURES + 3 + 2 + TEXT_FEATURES
    )
    assert 0.0 < model.ranked_threshold < 1.0
    assert model.scored_threshold is not None and 0.0 < model.scored_threshold < 1.0
    # It reads the words too: a weight per word or letter run, for every kind.
    assert model.grams is not None and model.grams.width > 1000
    assert model.ranked_gram_coef is not None and model.kind_gram_coef is not None
    assert model.ranked_gram_coef.shape == (model.grams.width,)
    assert model.kind_gram_coef.shape == (len(model.classes), model.grams.width)


def test_the_threshold_decides_the_side_and_the_kinds_the_kind_on_it(tmp_path):
    classes = ("problem", "request", "question", "praise")
    features = 384 + TEXT_FEATURES + 3 + 2 + TEXT_FEATURES
    # A model that finds everything likeliest a request, and 60% likely ranked.
    kind_coef = np.zeros((len(classes), features), dtype=np.float32)
    kind_intercept = np.array([0, 2, 0, 3], dtype=np.float32)
    ranked = float(np.log(0.6 / 0.4))
    none = np.zeros(features, np.float32)
    lenient = KindModel(classes, kind_coef, kind_intercept, none, ranked, 0.5)
    x = np.zeros((1, features))
    x[0, 384 + 3] = 1.0  # all its sentences are clearly positive
    # Ranked: the likeliest ranked kind, though praise is likelier still.
    assert lenient.decide(x)[0].kind == "request"
    strict = KindModel(classes, kind_coef, kind_intercept, none, ranked, 0.7)
    verdict = strict.decide(x)[0]
    assert verdict.kind == PRAISE
    assert verdict.ranked == pytest.approx(0.6)
    assert verdict.confidence == pytest.approx(0.4)
    path = tmp_path / "weights.npz"
    strict.save(path, trained_on="nothing")
    assert KindModel.load(path).decide(x) == strict.decide(x)
    # Praise must sound like praise, or come with a high score.
    neutral = np.zeros((1, features))
    assert strict.decide(neutral)[0].kind == "request"
    neutral[0, 384 + TEXT_FEATURES : 384 + TEXT_FEATURES + 2] = (1.0, 1.0)
    assert strict.decide(neutral)[0].kind == PRAISE
    # A scored item is held to its own threshold.
    scored = KindModel(classes, kind_coef, kind_intercept, none, ranked, 0.7, scored_threshold=0.5)
    assert scored.decide(neutral)[0].kind == "request"
    assert scored.decide(x)[0].kind == PRAISE
    # In a public review, a sentence that is not negative will do ("Works as advertised").
    public = np.zeros((1, features))
    public[0, 384 + TEXT_FEATURES + 3] = 1.0  # the review channel column
    assert strict.decide(public)[0].kind == PRAISE
    public[0, 384 + 1] = -0.4  # its most positive sentence is negative
    assert strict.decide(public)[0].kind == "request"


def test_a_model_that_reads_words_keeps_them_through_saving(tmp_path):
    texts = ["Please add a dark mode", "Crashes on start", "Love it, works great"] * 4
    grams = Grams.learn(texts)
    classes = ("problem", "request", "question", "praise")
    features = 384 + TEXT_FEATURES + 3 + 2 + TEXT_FEATURES
    rng = np.random.default_rng(7)
    model = KindModel(
        classes,
        np.zeros((len(classes), features), dtype=np.float32),
        np.zeros(len(classes), dtype=np.float32),
        np.zeros(features, dtype=np.float32),
        0.0,
        0.5,
        grams=grams,
        kind_gram_coef=rng.normal(size=(len(classes), grams.width)).astype(np.float32),
        ranked_gram_coef=rng.normal(size=grams.width).astype(np.float32),
    )
    x = np.zeros((len(texts), features))
    path = tmp_path / "weights.npz"
    model.save(path, trained_on="twelve texts")
    again = KindModel.load(path)
    assert again.grams is not None and again.grams.width == grams.width
    assert np.allclose(again.ranked_probability(x, texts), model.ranked_probability(x, texts))
    assert again.decide(x, texts) == model.decide(x, texts)
    # Words change the verdict: the same features, with and without their text's words.
    assert len({round(p, 6) for p in model.ranked_probability(x, texts)}) > 1
    with pytest.raises(ValueError, match="one text per row"):
        model.decide(x)


def test_a_group_is_praise_when_most_of_it_is():
    praise = [item(1, "x", kind=PRAISE), item(2, "y", kind=PRAISE), item(3, "z", kind="problem")]
    assert is_praise_group(praise)
    assert not is_praise_group([item(1, "x", kind="problem"), item(2, "y", kind="request")])
    assert not is_praise_group([])
    # Without kinds, by the rule.
    assert is_praise_group([item(1, "Best AP tool we've used. Love it.")])
    assert not is_praise_group([item(1, "The export keeps failing.")])


@needs_model
@pytest.mark.parametrize(
    ("text", "kind", "channel"),
    [
        ("Can't live without it. Use it every single day.", PRAISE, ""),
        ("Can't do without it anymore, best app on my phone", PRAISE, "review"),
        ("No problems at all, works perfectly!", PRAISE, ""),
        ("Just a great app, use it all the time", PRAISE, "review"),
        ("I'm addicted to this app!", PRAISE, "review"),
        ("Works as advertised", PRAISE, "review"),
        ("Exactly what I needed", PRAISE, "review"),
        # A result told as a result is praise, in a problem's words.
        ("We switched from spreadsheets and our month-end is a full day shorter.", PRAISE, ""),
        ("The new approval flow saves us hours every week.", PRAISE, "email"),
        ("The vendor portal has been a hit with our suppliers.", PRAISE, "interview"),
        (
            "Before Ledgerly, invoices lived in an inbox. Now I can actually tell my CFO what "
            "we owe on any given day. That alone was worth it.",
            PRAISE,
            "interview",
        ),
        ("Honestly? The thing I like is how fast my clerks picked it up.", PRAISE, "interview"),
        ("The thing I like least is the export: it fails every month.", "problem", "interview"),
        ("Now I can only export to CSV, we need Excel.", "request", "survey"),
        ("Half the time it doesn't load the invoice list.", "problem", "support"),
        ("The month-end export needs to be faster.", "problem", "survey"),
        ("Love it, please add a dark mode.", "request", ""),
        ("Great app but it would be perfect with an export to CSV", "request", "review"),
        ("Oh great, another update that logs me out every hour. Love it.", "problem", "review"),
        ("It crashes every time I open the camera.", "problem", "review"),
        ("How do I change the email address my invoices go to?", "question", "support"),
        ("Peppol support", "request", "survey"),
        ("mobile!!", "request", "survey"),
    ],
)
def test_the_model_reads_hard_cases(text, kind, channel):
    found = kinds_of([text], channel=channel)[0]
    if kind == PRAISE:
        assert found == PRAISE
    else:
        # Problems, requests and questions all stay in the ranking; which one is secondary.
        assert found in RANKED, (text, found)


@needs_model
def test_stars_move_an_unsure_review():
    text = "Does what it says."
    five, one = kinds_of([text, text], [1.0, 0.0])
    assert five == PRAISE
    assert one in RANKED
