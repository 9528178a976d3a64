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

# Sentence ends; the CJK full stop and full-width marks need no space after them.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u2019\u201d)]?\s+|(?<=[\u3002\uff01\uff1f])|\n+")
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
    r"slow|mess|twice|by hand|keeps?)\b",
    re.IGNORECASE,
)


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
    # A line break ends a sentence: review titles and form answers often have no full stop.
    for line in text.splitlines():
        line = GREETING.sub("", RATING.sub("", " ".join(line.split())))
        if SIGN_OFF.fullmatch(line):
            continue
        for part in SENTENCE_END.split(FRAME.sub("", line)):
            part = RELAYED.sub("", BULLET.sub("", part))
            if part and not TEMPLATE_QUESTION.fullmatch(part) and not SIGN_OFF.fullmatch(part):
                part = TEMPLATE_QUESTION.sub("", part).strip()
                if part:
                    out.append(part)
    return out


def essence(text: str) -> str:
    """The text to embed for `text`: its sentences joined, or the text itself if none remain."""
    cleaned = " ".join(sentences(_without_praise(text)))
    return cleaned or " ".join(text.split())
