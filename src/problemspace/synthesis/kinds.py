"""What a piece of feedback is: a problem, a request, a question, praise, or nothing at all.

Real feedback is mostly not problems. App-store reviews are largely praise ("Just a great app,
use it all the time"); survey answers include "n/a" and "no comment". Grouped and ranked by
reach, praise rises to the top (happy customers are many), and a PM who sees it there stops
trusting the ranking. So each item gets a kind before it is grouped, and only problems,
requests and questions become ranked problems (RANKED).

How a kind is decided, in this order:

1. **Nothing said** (`content_free`): no words once greetings, sign-offs and ratings are left
   out, or a stock non-answer ("n/a", "no comment", "test", "hi"). Rules, not the model: there
   is nothing for a model to read.
2. **With the sentence model**: logistic regressions over the vector synthesis groups the
   item by (its essence, see clean.py), its tone (`text_features`: VADER, cue words), its
   words and letter runs (grams.py: the vectors read "Exactly what I needed" close to a
   request for what was needed; the words "exactly what" do not) and its score when it has
   one (a 5-star rating makes praise likelier, a 1-star one a problem). One decides whether
   the item belongs in the ranking at all, the other which kind it is. The weights are
   trained by bench/kinds/train.py from labelled examples (the team's own and openly licensed
   real feedback; bench/kinds/data/README.md) and ship with the package as plain arrays. The
   ranking thresholds (one for items with a score, one without) keep 95% of problems and
   requests in the ranking on held-out data: a bug report misread as praise is lost from
   view, which costs a PM more than one praise item too many. Praise must also sound like
   praise (`KindModel.decide`), and what the words say outright wins over the model
   (`_with_the_obvious`): something broken is a problem, "can't live without it" is praise.
3. **Without the model** (the word-hashing fallback, which cannot read meaning): `rule_kind`,
   the earlier VADER rule for praise plus the form of questions and requests.

A person's correction always wins; the Django layer never passes a corrected item here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from problemspace.synthesis.clean import (
    PRAISE_IDIOM,
    PROBLEM_CUE,
    customer_sentences,
    is_praise_sentence,
    names_a_need,
    polarity,
    sentiment_shares,
)
from problemspace.synthesis.grams import Grams

PROBLEM, REQUEST, QUESTION, PRAISE, OTHER = "problem", "request", "question", "praise", "other"
KINDS = (PROBLEM, REQUEST, QUESTION, PRAISE, OTHER)
# The kinds that are grouped into ranked problems.
RANKED = frozenset({PROBLEM, REQUEST, QUESTION})
# The models whose vectors the packaged weights read: the int8 model's vectors are within
# cosine 0.98 of the full model's (docs/synthesis.md), close enough for a linear classifier.
MODEL_FAMILY = frozenset({"all-MiniLM-L6-v2", "all-MiniLM-L6-v2-int8"})
WEIGHTS_FILE = "kinds-all-MiniLM-L6-v2.npz"


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: str
    # The probability of `kind`; 1.0 for what a rule decides outright.
    confidence: float
    # The probability that the item is a problem, request or question (1.0 or 0.0 for rules).
    ranked: float


# The whole answer is a non-answer: "N/A", "no comment", "Nothing.", "test", "-", "Comment".
_NON_ANSWER = re.compile(
    r"(n/?a|none|nil|null|nothing|nope|no|not applicable|no comments?|comments?|no feedback|"
    r"nothing to (add|say|report|comment)|none (at this time|so far|for now)|idk|dunno|"
    r"test(ing)?( \d+)?|asdf\w*|qwerty|hi|hello|hey|ok|okay|k|thanks|thank you|thx|ty|"
    r"see above|same as (above|before)|as above|\W*)",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")


def _plain(text: str) -> str:
    """Lower case, spaces collapsed, punctuation at both ends dropped."""
    return " ".join(text.split()).strip(" .,!?;:'\"()[]\u2013\u2014-").lower()


def content_free(text: str) -> bool:
    """Nothing said: no words besides greetings, sign-offs and ratings, or a non-answer."""
    said = [s for s in customer_sentences(text) if _LETTER.search(s)]
    if not said:
        return True
    return all(_NON_ANSWER.fullmatch(_plain(sentence)) for sentence in said)


# A question about using the product, not a request for a change.
_QUESTION_START = re.compile(
    r"^(how|what|where|when|why|who|which|is|are|do|does|did|can i|can we|can you|could you "
    r"tell|will|should i|should we)\b",
    re.IGNORECASE,
)
# Something broken, said outright: never praise, however warm the words around it ("Love
# it. Crashes every time I open the camera", "Great, another update that logs me out").
_BROKEN = re.compile(
    r"\b(crash\w*|freez\w*|frozen|bugs?|buggy|glitch\w*|errors?|broken|fails?|failing|failed|"
    r"logs? (me )?out|logged out|not working|(doesn'?t|does not|won'?t|will not) (work|open|load|"
    r"start|sync)|stopped working|force clos\w*)\b",
    re.IGNORECASE,
)


def says_broken(text: str) -> bool:
    return bool(_BROKEN.search(PRAISE_IDIOM.sub(" ", text)))


def praised_in_idiom(text: str) -> bool:
    """Praise in a problem's words ("can't live without it", "no problems at all"), with
    nothing wrong or wanted besides."""
    return bool(PRAISE_IDIOM.search(text)) and not any(
        names_a_need(sentence) for sentence in customer_sentences(text)
    )


_HOW_START = re.compile(r"^(how|what|where|when|who|which)\b", re.IGNORECASE)
# A request for a change: "please add", "would be great if", "any plans for", "we need".
_REQUEST_CUE = re.compile(
    r"\b(please (add|make|bring|let|allow|support|include|give|fix)|would (be|love) "
    r"(nice|great|good|helpful|awesome)|would love|i wish|we wish|wish (it|there|you|i)|"
    r"any plans?|(we|i) (need|want|would like)|feature request|should (have|add|support|let|allow)"
    r"|add (a|an|the|support|more|option)|option to|ability to|support for|integrat\w+ with)\b",
    re.IGNORECASE,
)


def rule_kind(text: str, score: float | None = None) -> Verdict:
    """The kind by rules alone, for installs without the model.

    `score` is the item's score as a share of its scale (0 the worst, 1 the best).
    """
    if content_free(text):
        return Verdict(OTHER, 1.0, 0.0)
    said = customer_sentences(text)
    praised = any(is_praise_sentence(s) for s in said)
    needs = any(names_a_need(s) for s in said)
    if score is not None and score <= 0.25:
        praised = False  # a 1-star "great, another update that logs me out" is no praise
    elif score is not None and score >= 0.75:
        praised = praised or not needs
    if praised and not needs:
        return Verdict(PRAISE, 1.0, 0.0)
    asks = bool(said) and said[-1].rstrip().endswith("?")
    if asks and _HOW_START.match(said[0]):
        return Verdict(QUESTION, 1.0, 1.0)  # "How do I add a user?" asks, it does not request
    if _REQUEST_CUE.search(" ".join(said)):
        return Verdict(REQUEST, 1.0, 1.0)
    if asks and _QUESTION_START.match(said[0]):
        return Verdict(QUESTION, 1.0, 1.0)
    return Verdict(PROBLEM, 1.0, 1.0)


def score_features(scores: Sequence[float | None]) -> npt.NDArray[np.float32]:
    """What the model reads of a score: whether there is one, and where on its scale it lies.

    The square lets the model treat the middle of a scale apart from its ends (a 3-star review
    is neither praise nor a rant).
    """
    out = np.zeros((len(scores), 3), dtype=np.float32)
    for row, score in enumerate(scores):
        if score is not None:
            fraction = min(max(score, 0.0), 1.0)
            out[row] = (1.0, fraction, fraction * fraction)
    return out


TEXT_FEATURES = 20
# Words that turn a review ("but", "only problem", "wish") and words that ask for something.
_CONTRAST = re.compile(r"\b(but|however|except|only (problem|issue|thing)|wish|though)\b", re.I)
_ASK = re.compile(r"\b(please|add|would be|could you|should|need|want)\b", re.IGNORECASE)


def text_features(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """What the sentence vectors read poorly: the text's tone and its form.

    VADER (overall; its most and least positive sentence, its first and last; the positive,
    negative and neutral shares of the words; the share of clearly positive and of negative
    sentences), how much of it is praise, whether it names a need (and how often), asks
    something, turns ("but", "only problem"), exclaims, or praises in a problem's words ("no
    problems at all", "can't live without it"), and how long it is. The vectors carry what it
    is about; these, how it is said.
    """
    out = np.zeros((len(texts), TEXT_FEATURES), dtype=np.float32)
    for row, text in enumerate(texts):
        said = customer_sentences(text) or [" ".join(text.split())]
        whole = " ".join(said)
        tones = [polarity(sentence) for sentence in said]
        words = sentiment_shares(whole)
        cues = len(PROBLEM_CUE.findall(PRAISE_IDIOM.sub(" ", whole)))
        out[row] = (
            polarity(whole),
            max(tones),
            min(tones),
            sum(is_praise_sentence(sentence) for sentence in said) / len(said),
            float(any(names_a_need(sentence) for sentence in said)),
            float("?" in text),
            min(len(text.split()), 50) / 50,
            float(bool(PRAISE_IDIOM.search(text))),
            words["pos"],
            words["neg"],
            words["neu"],
            sum(tone >= 0.5 for tone in tones) / len(tones),
            sum(tone <= -0.3 for tone in tones) / len(tones),
            tones[0],
            tones[-1],
            min(cues, 5) / 5,
            float("!" in whole),
            float(bool(_CONTRAST.search(whole))),
            float(bool(_ASK.search(whole))),
            min(len(said), 6) / 6,
        )
    return out


# Where feedback was left changes what short words mean: "Encryption" in an app review praises
# the app; "Peppol support" answering a survey asks for something. Public reviews and posts
# are told apart from what customers say to the team directly (tickets, email, surveys,
# calls, interviews), which the model treats as the default.
PUBLIC_REVIEW = frozenset({"review", "social"})
COMMUNITY = frozenset({"community", "portal"})


def channel_features(channels: Sequence[str]) -> npt.NDArray[np.float32]:
    out = np.zeros((len(channels), 2), dtype=np.float32)
    for row, channel in enumerate(channels):
        out[row] = (channel in PUBLIC_REVIEW, channel in COMMUNITY)
    return out


def features(
    texts: Sequence[str],
    vectors: npt.NDArray[np.float32],
    scores: Sequence[float | None],
    channels: Sequence[str],
) -> npt.NDArray[np.float64]:
    """[vector, tone, score, channel, tone x score]: the last lets a high or low score change
    what a tone means (a warm 2-star review is not praise), zero without a score."""
    tone = text_features(texts)
    score = score_features(scores)
    centred = score[:, 1:2] - 0.5 * score[:, 0:1]
    parts = [vectors, tone, score, channel_features(channels), centred * tone]
    return np.hstack(parts).astype(np.float64)


def own_columns(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The tone, score and channel columns of `features` rows (after the vector)."""
    start = x.shape[1] - (TEXT_FEATURES + 3 + 2 + TEXT_FEATURES)
    return x[:, start : start + TEXT_FEATURES + 3 + 2]


# Columns of `features` the decision reads itself (counted from the text features): the most
# positive sentence's tone, the share of clearly positive sentences (clean.is_praise_sentence),
# whether there is a score and where it lies, and the two channel columns.
_MOST_POSITIVE, _PRAISE_SENTENCES, _PRAISE_IDIOM = 1, 3, 7
_HAS_SCORE, _SCORE = TEXT_FEATURES, TEXT_FEATURES + 1
_PUBLIC = slice(TEXT_FEATURES + 3, TEXT_FEATURES + 5)
# VADER's authors call a compound score of -0.05 or less negative.
NEGATIVE_TONE = -0.05
HIGH_SCORE = 0.75


def _softmax(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    logits = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    out: npt.NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
    return out


@dataclass(frozen=True)
class KindModel:
    """Two logistic regressions over `features` and, when it has them, the text's `grams`,
    stored as arrays.

    `ranked_*` (binary: problem, request or question against praise) decides whether an item
    belongs in the ranking, the decision that matters most; `kind_*` (multinomial over
    `classes`) which ranked kind it is. The `*_gram_coef` weigh the words and letter runs.
    """

    classes: tuple[str, ...]
    kind_coef: npt.NDArray[np.float32]  # (classes, features)
    kind_intercept: npt.NDArray[np.float32]  # (classes,)
    ranked_coef: npt.NDArray[np.float32]  # (features,)
    ranked_intercept: float
    # The item is ranked when its probability of being a problem, request or question
    # reaches this; `scored_threshold` instead when it has a score (a score makes the
    # probability surer, so the same share of problems is kept at a higher threshold).
    ranked_threshold: float
    scored_threshold: float | None = None
    grams: Grams | None = None
    kind_gram_coef: npt.NDArray[np.float32] | None = None  # (classes, grams.width)
    ranked_gram_coef: npt.NDArray[np.float32] | None = None  # (grams.width,)

    def _gram_rows(self, texts: Sequence[str] | None, rows: int) -> Any:
        if self.grams is None:
            return None
        if texts is None or len(texts) != rows:
            raise ValueError("this model reads the texts' words: pass one text per row")
        return self.grams.rows(texts)

    def ranked_probability(
        self, x: npt.NDArray[np.float64], texts: Sequence[str] | None = None
    ) -> npt.NDArray[np.float64]:
        logit = x @ self.ranked_coef.astype(np.float64) + self.ranked_intercept
        grams = self._gram_rows(texts, len(x))
        if grams is not None and self.ranked_gram_coef is not None:
            logit = logit + grams @ self.ranked_gram_coef.astype(np.float64)
        out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-logit))
        return out

    def kind_probabilities(
        self, x: npt.NDArray[np.float64], texts: Sequence[str] | None = None
    ) -> npt.NDArray[np.float64]:
        logits = x @ self.kind_coef.T.astype(np.float64) + self.kind_intercept
        grams = self._gram_rows(texts, len(x))
        if grams is not None and self.kind_gram_coef is not None:
            logits = logits + np.asarray(grams @ self.kind_gram_coef.T.astype(np.float64))
        return _softmax(logits)

    def decide(
        self, x: npt.NDArray[np.float64], texts: Sequence[str] | None = None
    ) -> list[Verdict]:
        """Ranked, and then the likeliest ranked kind; or praise. The model never says
        "nothing said": that is for the rules, which run first (`classify`). `texts` are the
        rows' texts, needed when the model reads words.

        Praise must sound like praise, or come with a high score. In a public review or post,
        a sentence that is not negative will do ("Works as advertised", "Just what I need":
        VADER finds no tone in either); what customers tell the team directly (tickets,
        surveys, calls, email) needs a clearly positive sentence or a praise idiom ("can't
        live without it"): there, terse words are usually a need ("Peppol support" answering
        a survey is a request, not a compliment), and praise is said outright.
        """
        if not len(x):
            return []
        ranked = self.ranked_probability(x, texts)
        kinds = self.kind_probabilities(x, texts)
        columns = [self.classes.index(kind) for kind in self.classes if kind in RANKED]
        tail = own_columns(x)
        verdicts = []
        for p_ranked, p_kind, own in zip(ranked, kinds, tail, strict=True):
            public = bool(own[_PUBLIC].any())
            scored = bool(own[_HAS_SCORE])
            sounds_positive = (
                own[_MOST_POSITIVE] > NEGATIVE_TONE
                if public
                else own[_PRAISE_SENTENCES] > 0 or own[_PRAISE_IDIOM] > 0
            ) or (scored and own[_SCORE] >= HIGH_SCORE)
            threshold = self.ranked_threshold
            if scored and self.scored_threshold is not None:
                threshold = self.scored_threshold
            if p_ranked < threshold and sounds_positive:
                verdicts.append(Verdict(PRAISE, float(1.0 - p_ranked), float(p_ranked)))
                continue
            best = max(columns, key=lambda column: p_kind[column])
            share = p_kind[best] / max(float(p_kind[columns].sum()), 1e-12)
            verdicts.append(Verdict(self.classes[best], float(p_ranked * share), float(p_ranked)))
        return verdicts

    def save(self, path: Path, **about: str) -> None:
        """Plain arrays (never pickle), with `about` (what it was trained on) kept beside."""
        arrays: dict[str, npt.NDArray[np.generic]] = {
            "classes": np.array(self.classes),
            "kind_coef": self.kind_coef.astype(np.float32),
            "kind_intercept": self.kind_intercept.astype(np.float32),
            "ranked_coef": self.ranked_coef.astype(np.float32),
            "ranked_intercept": np.array(self.ranked_intercept),
            "ranked_threshold": np.array(self.ranked_threshold),
        }
        if self.scored_threshold is not None:
            arrays["scored_threshold"] = np.array(self.scored_threshold)
        if self.grams is not None:
            assert self.kind_gram_coef is not None and self.ranked_gram_coef is not None
            arrays.update(self.grams.arrays())
            arrays["kind_gram_coef"] = self.kind_gram_coef.astype(np.float32)
            arrays["ranked_gram_coef"] = self.ranked_gram_coef.astype(np.float32)
        arrays.update({f"about_{key}": np.array(value) for key, value in about.items()})
        np.savez_compressed(path, allow_pickle=False, **arrays)

    @classmethod
    def load(cls, path: Path) -> KindModel:
        with np.load(path, allow_pickle=False) as data:
            grams = Grams.from_arrays(data)
            return cls(
                classes=tuple(str(name) for name in data["classes"]),
                kind_coef=data["kind_coef"],
                kind_intercept=data["kind_intercept"],
                ranked_coef=data["ranked_coef"],
                ranked_intercept=float(data["ranked_intercept"]),
                ranked_threshold=float(data["ranked_threshold"]),
                scored_threshold=(
                    float(data["scored_threshold"]) if "scored_threshold" in data else None
                ),
                grams=grams,
                kind_gram_coef=data["kind_gram_coef"] if grams else None,
                ranked_gram_coef=data["ranked_gram_coef"] if grams else None,
            )


def _with_the_obvious(text: str, verdict: Verdict) -> Verdict:
    """What the words say outright overrides the model: something broken is a problem, and
    praise in a problem's words is praise."""
    if verdict.kind == PRAISE and says_broken(text):
        return Verdict(PROBLEM, 1.0, 1.0)
    if verdict.kind in RANKED and praised_in_idiom(text) and not says_broken(text):
        return Verdict(PRAISE, 1.0, 0.0)
    return verdict


@cache
def packaged_model() -> KindModel | None:
    """The weights shipped with problemspace, or None if this copy has none."""
    found = resources.files("problemspace.synthesis").joinpath("data", WEIGHTS_FILE)
    if not found.is_file():
        return None
    with resources.as_file(found) as path:
        return KindModel.load(path)


@cache
def decider_id(model_id: str) -> str:
    """Names what decides kinds for vectors of `model_id`: the packaged weights (by a hash of
    their bytes) or the rules. Kinds decided by the same decider need not be decided again."""
    found = resources.files("problemspace.synthesis").joinpath("data", WEIGHTS_FILE)
    if model_id not in MODEL_FAMILY or not found.is_file():
        return RULES_ID
    return "model-" + hashlib.blake2b(found.read_bytes(), digest_size=8).hexdigest()


RULES_ID = "rules-1"


def classify(
    texts: Sequence[str],
    vectors: npt.NDArray[np.float32] | None,
    scores: Sequence[float | None],
    *,
    model_id: str,
    channels: Sequence[str] | None = None,
    model: KindModel | None = None,
) -> list[Verdict]:
    """The kind of each text (row i of `vectors` is text i's essence vector).

    `scores` are each item's score as a share of its scale, or None; `channels` where each
    was said (evidence channels; direct contact when not given). The model is used when the
    vectors come from its family; otherwise (the fallback embedder) the rules decide.
    """
    channels = channels or [""] * len(texts)
    model = model or (packaged_model() if model_id in MODEL_FAMILY else None)
    verdicts: list[Verdict | None] = [
        Verdict(OTHER, 1.0, 0.0) if content_free(text) else None for text in texts
    ]
    rows = [row for row, verdict in enumerate(verdicts) if verdict is None]
    if model is not None and vectors is not None:
        x = features(
            [texts[row] for row in rows],
            vectors[rows],
            [scores[row] for row in rows],
            [channels[row] for row in rows],
        )
        decided = model.decide(x, [texts[row] for row in rows])
        for row, verdict in zip(rows, decided, strict=True):
            verdicts[row] = _with_the_obvious(texts[row], verdict)
    else:
        for row in rows:
            verdicts[row] = rule_kind(texts[row], scores[row])
    return [verdict or Verdict(OTHER, 1.0, 0.0) for verdict in verdicts]
