"""Turn a problem's wording into the text of one signal: channel, tone, relay and typos."""

from __future__ import annotations

import re
from random import Random

from problemspace.demo.wording import Wording
from problemspace.demo.wording import voice as v

SLOT = re.compile(r"\{(\w+)\}")
# [one|the other]: a phrasing alternative, drawn afresh every time a template is used.
ALTERNATIVES = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
APPROVERS = (
    "our CFO",
    "the controller",
    "my manager",
    "a department head",
    "our ops director",
    "the CEO",
)

# Words that may start a sentence and still read naturally after "Yeah, so ...".
_LOWERABLE = {
    "so",
    "what",
    "we",
    "the",
    "if",
    "our",
    "it's",
    "for",
    "honestly",
    "every",
    "before",
    "look",
    "right",
    "this",
    "there",
    "when",
    "it",
    "my",
    "they",
    "their",
    "close",
    "morning",
    "finding",
    "onboarding",
    "not",
    "audit",
}


class Filler:
    """Fills {slots} in templates, drawing each slot once per item so an item stays consistent.

    `facts` are fixed for the item (the account's ERP, the contact's name...); `choices` are the
    theme's own slot values; anything else comes from the generic generators below. An unknown
    slot is a bug in the wording, so it raises rather than printing braces to a demo user.
    """

    def __init__(self, rng: Random, facts: dict[str, str], choices: dict[str, tuple[str, ...]]):
        self.rng = rng
        self.values = dict(facts)
        self.choices = choices

    def __call__(self, template: str) -> str:
        template = ALTERNATIVES.sub(lambda m: self.rng.choice(m.group(1).split("|")), template)
        return SLOT.sub(lambda match: self.value(match.group(1)), template)

    def value(self, name: str) -> str:
        if name not in self.values:
            self.values[name] = self._draw(name)
        return self.values[name]

    def _draw(self, name: str) -> str:
        rng = self.rng
        if name in self.choices:
            return rng.choice(self.choices[name])
        generic: dict[str, tuple[str, ...]] = {
            "period": ("week", "month", "quarter"),
            "ordinal": ("second", "third", "fourth"),
            "approver": APPROVERS,
            "weekday": WEEKDAYS,
            "vendor": ("a supplier", "Staples", "our biggest vendor", "a courier"),
            "support_first": ("Marcus", "Leo"),
            "csm_first": ("Aisha", "Nora"),
        }
        if name in generic:
            return rng.choice(generic[name])
        numbers = {
            "n": (2, 6),
            "big_n": (25, 300),
            "hours": (3, 12),
            "minutes": (15, 55),
            "days": (4, 15),
            "ticket": (41_000, 98_000),
        }
        if name in numbers:
            return str(rng.randint(*numbers[name]))
        if name == "amount":
            return f"{rng.randint(800, 24_000):,}"
        raise KeyError(f"the demo wording uses an unknown slot {{{name}}}")


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def lead_into(lead: str, text: str) -> str:
    """Prefix `text` with a spoken lead, lowering its first word when that reads naturally."""
    if not lead:
        return text
    first = text.split(" ", 1)[0].strip(",.?!").lower()
    if first in _LOWERABLE:
        text = text[:1].lower() + text[1:]
    return lead + text


def first_hand(
    channel: str,
    wording: Wording,
    fill: Filler,
    rng: Random,
    tone: str,
    *,
    noise: bool = False,
    praise: bool = False,
) -> tuple[str, bool]:
    """The customer's own words on `channel`; also says whether they asked for something."""
    body = fill(rng.choice(wording.first_hand))
    if channel in ("interview", "sales_call"):  # said out loud, written down by the PM
        spoken = rng.sample(wording.spoken, k=2 if len(wording.spoken) > 1 else 1)
        text = lead_into(rng.choice(v.SPOKEN_LEADS), fill(spoken[0]))
        if len(spoken) > 1 and rng.random() < 0.25:
            text += " " + fill(spoken[1])
        return text, False
    if channel == "survey":
        return _survey_answer(wording, fill, rng, body, praise), False
    if channel == "review":
        return _review(wording, fill, rng, body, praise), False
    if channel == "community":
        if noise:
            return body, False
        if rng.random() < 0.25:
            return f"{rng.choice(v.COMMUNITY_REPLIES)} {fill(rng.choice(wording.short))}", False
        title = capitalise(fill(rng.choice(v.COMMUNITY_TITLES).replace("{topic}", wording.topic)))
        return f"{title}\n\n{body} {rng.choice(v.COMMUNITY_CLOSERS)}", False
    if channel == "portal" and wording.asks:
        request = capitalise(fill(rng.choice(wording.asks)))
        return f"{request}\n\n{body}", True
    asked = False
    text = body
    if not noise:
        parts = [body]
        if rng.random() < 0.35:
            parts.append(fill(rng.choice(wording.impacts or v.IMPACT)))
        if wording.asks and rng.random() < 0.4:
            parts.append(fill(rng.choice(v.ASK).replace("{ask}", rng.choice(wording.asks))))
            asked = True
        text = " ".join(parts)
        if tone == "angry":
            text = f"{rng.choice(v.ANGRY_OPENERS)} {text} {rng.choice(v.ANGRY_CLOSERS)}"
        elif tone == "constructive":
            opener, closer = rng.choice(v.CONSTRUCTIVE_OPENERS), rng.choice(v.CONSTRUCTIVE_CLOSERS)
            text = f"{opener} {text} {closer}"
    if channel in ("support", "email"):
        text = _letter(channel, text, fill, rng)
    return text, asked


def _survey_answer(wording: Wording, fill: Filler, rng: Random, body: str, praise: bool) -> str:
    roll = rng.random()
    if roll < 0.55:
        text = fill(rng.choice(wording.short))
        return text.lower() if rng.random() < 0.25 else text
    if roll < 0.8:
        return body
    score = rng.randint(9, 10) if praise else rng.randint(3, 8)
    return f"Score: {score}/10. {fill(rng.choice(wording.short))}"


def _review(wording: Wording, fill: Filler, rng: Random, body: str, praise: bool) -> str:
    stars = rng.choice((4, 5, 5)) if praise else rng.choice((2, 3, 3, 4))
    title = rng.choice(v.PRAISE_TITLES if praise else v.REVIEW_TITLES)
    title = fill(title.replace("{topic}", wording.topic))
    rating = "★" * stars + "☆" * (5 - stars)
    if praise:
        return f"{rating} {title}\n\n{body}"
    like = fill(rng.choice(v.REVIEW_LIKES))
    return f"{rating} {title}\n\nWhat do you like best? {like}\nWhat do you dislike? {body}"


def _letter(channel: str, text: str, fill: Filler, rng: Random) -> str:
    greeting = ""
    if channel == "email":
        greeting = fill(rng.choice(("Hi {addressee},", "Hello {addressee},", "{addressee},")))
    elif rng.random() < 0.45:
        greeting = rng.choice(v.GREETINGS)
    signoffs: tuple[str, ...] = v.SIGNOFFS
    if "thank" in text.lower():  # no "Thanks for listening! Thanks!"
        signoffs = tuple(s for s in signoffs if "thank" not in s.lower() and s != "thx")
    signoff = fill(rng.choice(signoffs)) if rng.random() < 0.6 else ""
    if not (greeting or signoff) and rng.random() < 0.5:
        return text
    return "\n\n".join(piece for piece in (greeting, text, signoff) if piece)


def relayed(
    kind: str,
    wording: Wording,
    fill: Filler,
    rng: Random,
    *,
    gist: str,
    has_account: bool,
    has_contact: bool,
    at_risk: bool,
    stage: str = "customer",
    again: bool = False,
) -> tuple[str, bool, bool]:
    """A colleague's retelling. Returns (text, asked, at_risk).

    `stage` is "new" for prospects, trials and accounts in their first months, "customer" for
    the others: nobody holds a renewal call with a prospect, or a discovery call with a
    customer of three years. `again`: a second colleague retelling the same `gist`, which
    must then survive the new frame.
    """
    unfit = v.NEW_ONLY if stage == "customer" else v.CUSTOMERS_ONLY
    frames = [
        frame
        for frame in v.FRAMES[kind]
        if not any(word in frame for word in unfit)
        and (has_account or "{account}" not in frame)
        and (has_contact or "{contact" not in frame)
        and ("{quote}" not in frame or (has_contact and not again))
        and ("{ask}" not in frame or wording.asks)
        and not (again and "{account}" in frame and "{account}" in gist)
    ] or ["{Gist}."]
    frame = rng.choice(frames)
    # A gist that names the account reads oddly inside a frame that already does.
    if "{account}" in frame and "{account}" in gist:
        plain = [g for g in wording.gists if "{account}" not in g]
        gist = rng.choice(plain) if plain else gist
    # Slot values are written in the customer's voice ("our freight carrier"); retold, they
    # belong to the customer ("their freight carrier").
    filled_gist = re.sub(r"\b(our|my)\b", "their", fill(gist))
    risky = v.AT_RISK if stage == "customer" else v.AT_RISK_DEAL
    calm = [i for i in v.IMPACT_RELAYED if stage == "customer" or "renewal" not in i]
    impact = rng.choice(risky) if at_risk else rng.choice(calm)
    ask = (
        rng.choice(v.ASK_RELAYED).replace("{ask}", rng.choice(wording.asks)) if wording.asks else ""
    )
    quote = fill(rng.choice(wording.first_hand))
    text = frame.replace("{Gist}", capitalise(filled_gist)).replace("{gist}", filled_gist)
    text = text.replace("{impact}", impact).replace("{ask}", ask).replace("{quote}", quote)
    text = fill(text)
    return text, "{ask}" in frame, "{impact}" in frame and impact in risky


def follow_up(text: str, rng: Random, colleague: str = "") -> str:
    """The same complaint pasted into another ticket: verbatim, or with a line around it.

    `colleague`: the first name of whoever sent it first, when someone else sends it again.
    """
    if colleague:
        return rng.choice(v.COLLEAGUE_FOLLOW_UPS).replace("{first}", colleague) + text
    roll = rng.random()
    if roll < 0.5:
        return text
    if roll < 0.8:
        return rng.choice(v.FOLLOW_UPS) + text
    return text + rng.choice(v.FOLLOW_UP_TAILS)


def roughen(text: str, rng: Random) -> str:
    """One or two typing slips: a common misspelling, a dropped apostrophe, swapped letters."""
    for _ in range(rng.choice((1, 1, 2)) if len(text) > 80 else 1):
        words = text.split(" ")
        known = [i for i, word in enumerate(words) if word in v.MISSPELLINGS]
        if known and rng.random() < 0.7:
            i = rng.choice(known)
            words[i] = v.MISSPELLINGS[words[i]]
        else:
            candidates = [
                i for i, w in enumerate(words) if len(w) > 5 and w.isalpha() and w.islower()
            ]
            if not candidates:
                continue
            i = rng.choice(candidates)
            word = words[i]
            k = rng.randrange(1, len(word) - 2)
            words[i] = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
        text = " ".join(words)
    return text
