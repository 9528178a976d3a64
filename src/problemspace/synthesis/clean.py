"""What a customer said, without the wrapping their words arrive in.

Support tickets open with "Hi team," and close with "Thanks, Nicole"; survey answers start with
"Score: 7/10."; review sites wrap every review in the same questions ("What do you like best?
... What do you dislike? ..."); relayed notes begin "Call with Lauren at Northmark:". Embedded
as they are, texts group by their wrapping — every survey answer with every other — instead
of by the problem they describe. `essence` strips the wrapping before a text is embedded (the
stored evidence is never changed), and `sentences` gives the cleaned sentences that titles are
chosen from.

In review forms, the answer to "what do you like best?" is praise, not a problem: it is left
out of the essence when the review also says what the customer dislikes, so a review groups
with the problem it reports rather than with every other review.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

# Sentence ends; the CJK full stop and full-width marks need no space after them. A colon
# before a capital ends one too: "Overall we love it, one thing though: Our exports fail."
SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"'\u2019\u201d)]?\s+|(?<=[\u3002\uff01\uff1f])|\n+|(?<=:)\s+(?=[A-Z])"
)
GREETING = re.compile(
    r"^(hi|hello|hey|dear|good (morning|afternoon|evening))\b[^,.!?]*[,.!?]\s*", re.IGNORECASE
)
# Survey and review boilerplate in front of the words: "Score: 9/10", "★★★☆☆", "NPS 7 -".
RATING = re.compile(
    r"^((score|rating|nps|csat)\s*:?\s*\d+(\s*/\s*\d+)?|[★☆*]+)\s*[-:.\u2013\u2014]?\s*",
    re.IGNORECASE,
)
# How relayed notes begin: "Customer says they need...", "Allison at Northmark mentioned again
# that...", "Halvorsen's CFO says...": the messenger, then the customer's words.
RELAYED = re.compile(
    r"^([\w'\u2019&.-]+ ){0,6}(says?|said|mentioned|mentions|reports?|reported|noted|"
    r"told us|asked( us)?)( again)?( that)?[,:]?\s+",
    re.IGNORECASE,
)
# How notes of a conversation begin: "Call with Lauren (VP Finance) at Northmark:", "FYI from the
# Atlas call:", "EBR notes, Emsland:", "Forwarding from Yolanda at Atlas:". The words after it
# are the customer's; the frame names the messenger.
FRAME = re.compile(
    r"^((fyi|note|notes|heads[- ]up)\b[^:]{0,80}:|"
    r"(call|meeting|chat|demo|ebr|qbr|sync|health check|check-in|renewal|escalat\w*)( notes)?"
    r"\b[^:]{0,80}:|"
    r"from (a|an|my|our|the) [^:]{0,60}:|"
    r"forward(ing|ed)?( from| by)?\b[^:]{0,80}:)\s*",
    re.IGNORECASE,
)
# The questions of review and survey forms, which the customer did not write.
TEMPLATE_QUESTION = re.compile(
    r"(what do you (like|dislike)( best| least| most)?|what problems? (is|are) .{0,40}solving"
    r"( and how is that benefiting you)?|recommendations to others considering .{0,40})\??\s*",
    re.IGNORECASE,
)
_PRAISE_QUESTION = re.compile(r"what do you like( best| most)?\??", re.IGNORECASE)
_COMPLAINT_QUESTION = re.compile(r"what do you dislike|what do you like least", re.IGNORECASE)
# A closing line on its own: "Thanks, Nicole", "Best regards,", "Cheers!", "Sent from my iPhone".
SIGN_OFF = re.compile(
    r"^(thanks|thank you|many thanks|thx|cheers|best|best regards|kind regards|regards|"
    r"all the best|sent from my \w+)\b[\s,.!]*([A-Z][\w.'-]*( [A-Z][\w.'-]*)?)?[\s,.!]*$",
    re.IGNORECASE,
)
_QUOTE_MARKS = "\"'\u2018\u2019\u201c\u201d"
BULLET = re.compile(rf"^[\s\-*\u2022>{_QUOTE_MARKS}]+|[\s{_QUOTE_MARKS}]+$")


# Words that say something is wrong, missing or wanted. A title in the customers' words should
# name the problem, so sentences with one of these make better titles than praise or context.
PROBLEM_CUE = re.compile(
    r"\b(need|needs|can'?t|cannot|won'?t|doesn'?t|don'?t|isn'?t|not|no|never|fails?|failing|"
    r"failed|broken|breaks|bug|errors?|missing|misses|wish|stuck|problems?|wrong|hard|manual(ly)?|"
    r"duplicates?|again|instead|without|lost|lose|blocked|blocker|waste[sd]?|chasing|late|"
    r"slow|mess|twice|by hand|keeps?|crash(es|ed|ing)?|freez(e|es|ing)|frozen|glitch(es|y)?|"
    r"lag(s|gy|ging)?|drains?|logs? (me )?out|logged out|annoying|useless|uninstall(ed|ing)?)\b",
    re.IGNORECASE,
)
# Praise said with the words of a problem: "no problems at all", "can't live without it",
# "never had an issue", "nothing to complain about", "a hit", or a result told as a result ("our
# month-end is a full day shorter", "saves us hours", "in half the time"). They are left out
# before looking for a need, so the praise reads as praise.
PRAISE_IDIOM = re.compile(
    r"\b(no (problems?|issues?|complaints?|bugs?|crash(es)?)( at all| whatsoever| so far)?|"
    r"(never|haven'?t|have not) (had|seen|found) (a |any |an )?(problems?|issues?|bugs?|"
    r"crash(es)?)|never (crashes|fails|lets? (me|us) down)|"
    r"(can'?t|cannot|couldn'?t|could not) (live|do|work|imagine (life|working)) without( it)?|"
    r"wouldn'?t be without( it)?|nothing (to complain about|to improve|wrong( with it)?|bad)|"
    r"(can'?t|couldn'?t) (be happier|ask for more|recommend it enough|complain)|"
    r"not (a single|one) (problem|issue|complaint)|no need to look (any )?further|"
    r"(i'?m |so |very |highly |really )?addict(ed|ive|ing)|(been|is|was) a (big |huge |real )?hit|"
    r"(is|are|was|were|now|got) (now )?(a |an |one |two |three |half an? |\d+ )?(full |whole )?"
    r"(days?|hours?|minutes?|weeks?) (shorter|faster|quicker)|"
    r"sav(es|ed|ing) (us|me|them|our team|the team) (a |an |one |two |three |\d+ |several |"
    r"many |so many |so much |a lot of |hours|days|time)|(in|takes?|took) (me |us )?half the time|"
    r"cut (our|the|my) [\w -]{1,30} in half|"
    # What they like, said as such, and what they can do now that they could not before.
    r"(the (one )?(thing|part)|what) (i|we) (like|love|liked|loved)( most| best)? (is|was|about)|"
    r"now (i|we) can (actually |finally |just |easily |quickly )?(?!only\b|no\b|not\b|never\b)\w+|"
    r"(alone )?(was|is|were|are) (well |totally |so |more than )?worth it)\b",
    re.IGNORECASE,
)


# A name or a name and a title on its own line: "Matteo", "Anouk Moreau, Controller".
_NAME_LINE = re.compile(r"[A-Z][\w.'-]*( [A-Z][\w.'-]*){0,3}(,? [\w&.' -]{0,60})?")


def _without_praise(text: str) -> str:
    """A review's text minus its "what do you like best?" answer, when it has a complaint."""
    if not (_PRAISE_QUESTION.search(text) and _COMPLAINT_QUESTION.search(text)):
        return text
    parts = TEMPLATE_QUESTION.split(text)
    # split() with groups interleaves the captured groups; rebuild (question, answer) pairs.
    # What comes before the first question is the review's own title ("Great product with one
    # real weakness"): a verdict, not the problem.
    kept: list[str] = []
    index = 1
    while index < len(parts):
        question = parts[index] or ""
        answer_index = index + TEMPLATE_QUESTION.groups
        answer = parts[answer_index] if answer_index < len(parts) else ""
        if not _PRAISE_QUESTION.fullmatch(question.strip()):
            kept.append(answer or "")
        index = answer_index + 1
    return "\n".join(part for part in kept if part and part.strip())


def sentences(text: str) -> list[str]:
    """The customer's own sentences in `text`, without greetings, ratings, frames and forms."""
    out = []
    signed_off = False
    # A line break ends a sentence: review titles and form answers often have no full stop.
    for line in text.splitlines():
        line = GREETING.sub("", RATING.sub("", " ".join(line.split())))
        if SIGN_OFF.fullmatch(line):
            signed_off = True
            continue
        if signed_off and _NAME_LINE.fullmatch(line):
            continue  # the name under "Thanks,"
        for part in SENTENCE_END.split(FRAME.sub("", line)):
            part = RELAYED.sub("", BULLET.sub("", part))
            if part and not TEMPLATE_QUESTION.fullmatch(part) and not SIGN_OFF.fullmatch(part):
                part = TEMPLATE_QUESTION.sub("", part).strip()
                if part.startswith("(") and part.endswith(")"):
                    part = part[1:-1].strip()  # a post's "(approvals when someone is away)"
                out.extend(_clauses(part) if part else [])
    return out


# VADER's compound score runs from -1 to 1; its authors call >= 0.05 positive. Praise must be
# clearly positive, so polite problems ("Please add SSO, thanks!") stay problems.
POSITIVE = 0.5
# Asking for something is not praise, however politely: "Please add SSO, thanks!".
_REQUEST = re.compile(r"\b(please|add|could|can|would|should|how|why|when)\b|\?", re.IGNORECASE)


@cache
def _sentiment() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


# A word of emphasis asked, not a question: "Honestly? The thing I like is...".
_INTERJECTION = re.compile(
    r"\W*(honestly|really|seriously|frankly|truthfully|right|you know|know what)\W*",
    re.IGNORECASE,
)


def names_a_need(text: str) -> bool:
    """Says something is wrong or missing, or asks for something."""
    if _INTERJECTION.fullmatch(text):
        return False
    text = PRAISE_IDIOM.sub(" ", text)
    return bool(PROBLEM_CUE.search(text) or _REQUEST.search(text))


def is_praise_sentence(text: str) -> bool:
    """Clearly positive (VADER; Hutto & Gilbert, ICWSM 2014), naming nothing wrong or wanted."""
    if names_a_need(text):
        return False
    return polarity(text) >= POSITIVE


@lru_cache(maxsize=65536)
def _vader(text: str) -> tuple[float, float, float, float]:
    """VADER's scores of `text`: (compound, pos, neg, neu). Cached: synthesis asks for a
    sentence's score when it cleans the text and again when it decides the text's kind."""
    scores = _sentiment().polarity_scores(text)
    return (
        float(scores["compound"]),
        float(scores["pos"]),
        float(scores["neg"]),
        float(scores["neu"]),
    )


def sentiment_shares(text: str) -> dict[str, float]:
    """VADER's shares of positive, negative and neutral words in `text` ("pos", "neg", "neu")."""
    _, pos, neg, neu = _vader(text)
    return {"pos": pos, "neg": neg, "neu": neu}


def polarity(text: str) -> float:
    """VADER's compound score of `text`, from -1 (negative) to 1 (positive)."""
    return _vader(text)[0]


_BUT = re.compile(r",? but (?=\w)", re.IGNORECASE)


def _clauses(sentence: str) -> list[str]:
    """A long "X, but Y" as its two clauses: the complaint is usually Y, and makes a title."""
    parts = _BUT.split(sentence, maxsplit=1)
    if len(parts) == 2 and all(len(part.split()) >= 4 for part in parts):
        return [parts[0].strip(), parts[1][:1].upper() + parts[1][1:]]
    return [sentence]


def customer_sentences(text: str) -> list[str]:
    """`sentences` of a text, after leaving out a review's "what do you like best?" answer."""
    return sentences(_without_praise(text))


def essence(text: str) -> str:
    """The text to embed for `text`: the customer's sentences, or the text itself if none.

    Praise around a complaint ("Overall we love it, one thing though: ...") is left out, so the
    text groups with the complaint; a text that is only praise keeps it and groups as praise.
    """
    said = customer_sentences(text)
    complaint = [sentence for sentence in said if not is_praise_sentence(sentence)]
    cleaned = " ".join(complaint or said)
    return cleaned or " ".join(text.split())
