"""The words around a problem: greetings, sign-offs, tone, how colleagues frame what they relay.

Shared by every theme; compose.py picks from these so that the same complaint arrives as a
curt ticket, a long email, a three-star review or a line in a salesperson's call notes.
"""

from __future__ import annotations

GREETINGS = (
    "Hi,",
    "Hi team,",
    "Hello,",
    "Hi there,",
    "Hey Ledgerly team,",
    "Good morning,",
    "Hi support,",
    "Hello Ledgerly,",
)
SIGNOFFS = (
    "Thanks,\n{contact_first}",
    "Thanks!",
    "Cheers,\n{contact_first}",
    "Regards,\n{contact_name}\n{contact_role}, {account}",
    "Thank you",
    "Best,\n{contact_first}",
    "thx",
    "Kind regards,\n{contact_name}",
)
# Costs any problem can have; each theme adds its own (Wording.impacts).
IMPACT = (
    "Not urgent, but it's annoying.",
    "Pretty frustrating tbh.",
    "It's the number one complaint from my team.",
)
ASK = (
    "Could you add {ask}?",
    "Any chance of {ask}?",
    "What we really need is {ask}.",
    "Is anything like {ask} planned?",
    "We'd love {ask}.",
    "Please consider {ask}.",
)
ASK_RELAYED = (
    "They're asking for {ask}.",
    "Ask: {ask}.",
    "They'd be happy with {ask}.",
    "They asked if we're planning {ask}.",
    "What they want is {ask}.",
)
ANGRY_OPENERS = (
    "This is the third time I'm reporting this.",
    "Honestly, this is getting ridiculous.",
    "Not happy.",
    "I've raised this before and nothing has changed.",
    "Sorry, but this is unacceptable.",
    "AGAIN.",
)
ANGRY_CLOSERS = (
    "If this isn't fixed before our renewal we'll be looking at other options.",
    "Please escalate.",
    "We pay a lot for this product; it shouldn't be this hard.",
    "I need an answer this week.",
    "Very disappointed.",
)
CONSTRUCTIVE_OPENERS = (
    "Small suggestion:",
    "Quick bit of feedback.",
    "Overall we love Ledgerly, one thing though:",
    "Feedback from our team:",
    "One thing that would make a big difference for us:",
)
CONSTRUCTIVE_CLOSERS = (
    "Happy to test a beta.",
    "Happy to jump on a call if it helps.",
    "Thanks for listening!",
    "Otherwise loving it.",
    "Keep up the good work.",
)
FOLLOW_UPS = (
    "Following up on this, still happening:\n\n",
    "Re: ",
    "Resending in case this got lost. ",
    "Reopening: ",
)
FOLLOW_UP_TAILS = (" Any update?", " Still waiting on a fix.", " Same again today.")
# A colleague at the same customer sending the same complaint in again.
COLLEAGUE_FOLLOW_UPS = (
    "Same problem here, see {first}'s note below.\n\n",
    "My colleague {first} already sent this and we're still stuck:\n\n",
    "Fwd: ",
)

# Frames for relayed signals. {gist} is a third-person clause; {Gist} the same, capitalised.
FRAMES = {
    "sales": (
        "Customer says {gist}.",
        "{Gist}.",
        "Call with {contact_first} ({contact_role}) at {account}: {gist}.",
        "Heard from their {contact_role_lc} that {gist}.",
        "{account} call notes: {gist}. {impact}",
        "Demo follow-up with {account}. {Gist}.",
        "QBR with {account}: {gist}. {impact}",
        "Renewal call with {account}: {gist}.",
        "FYI from the {account} call: {gist}. {ask}",
        "Quick one from {account}: {gist}. Can we give them a timeline?",
        "{contact_first} at {account} mentioned again that {gist}.",
        "cust says {gist}",
        "fyi {account}: {gist}. {impact}",
        "Discovery call with {account}. {Gist}. {ask}",
    ),
    "support": (
        "Escalating ticket #{ticket}: {gist}.",
        "Customer reports that {gist}.",
        "Escalation from {account}: {gist}. Workaround given, customer not happy.",
        "Seen this a few times this week: {gist}. Latest one is {account}.",
        "From a support call with {contact_first} ({account}): {gist}.",
        "Passing this on from the queue: {gist}. {ask}",
        "{account} on chat today: {gist}.",
    ),
    "csm": (
        "From my check-in with {contact_first} at {account}: {gist}.",
        "{account} flagged in renewal prep that {gist}.",
        "Health check with {account}: {gist}. {impact}",
        'Forwarding from {contact_first} at {account}:\n\n"{quote}"',
        "EBR notes, {account}: {gist}. {ask}",
        "Onboarding session with {account}: {gist}.",
    ),
}
IMPACT_RELAYED = (
    "It came up on every call this month.",
    "They brought it up twice.",
    "Not a blocker yet, but they're annoyed.",
    "Could affect the renewal.",
    "Their CFO was on the call and raised it first.",
    "They were pretty frustrated.",
    "Said it's their biggest pain right now.",
    "Not sure how many others need it.",
)
# Impacts that put the account at risk; items that use them are tagged churn-risk.
AT_RISK = ("Could affect the renewal.", "They were pretty frustrated.")
AT_RISK_DEAL = ("Could cost us the deal.", "They were pretty frustrated.")
# Frames that only make sense for an account that already pays us, or one that does not yet.
CUSTOMERS_ONLY = ("Renewal", "renewal", "QBR", "EBR", "Health check", "Onboarding")
NEW_ONLY = ("Discovery call", "Onboarding")

REVIEW_TITLES = (
    "Solid AP tool, but {topic} needs work",
    "Good, not great",
    "Almost there",
    "Saves time, except for {topic}",
    "Would be five stars if not for {topic}",
    "Decent, with caveats",
    "Great product with one real weakness",
)
PRAISE_TITLES = (
    "Love it",
    "Our AP team's favourite tool",
    "Huge time saver",
    "Best AP software we've tried",
    "Does what it says",
)
REVIEW_LIKES = (
    "The approval rules are easy to set up.",
    "The {erp} sync saves us a lot of typing.",
    "Clean interface, my team picked it up in a day.",
    "Support answers quickly.",
    "Payment runs are simple.",
    "The invoice inbox keeps everything in one place.",
)
COMMUNITY_TITLES = (
    "Anyone else having trouble with {topic}?",
    "Workaround for {topic}?",
    "Is it just us? ({topic})",
    "Question about {topic}",
)
COMMUNITY_CLOSERS = (
    "Anyone found a workaround?",
    "Would love to hear how others handle this.",
    "+1 if you're seeing the same.",
    "Any tips appreciated!",
    "Is this on the roadmap?",
)
COMMUNITY_REPLIES = ("+1, same here.", "Same for us.", "Seeing this too.", "Following.")
SPOKEN_LEADS = ("", "", "", "Yeah, so ", "I mean, ", "Honestly? ", "Okay, the big one: ", "Um, ")

# Common slips of the keyboard; compose.roughen uses them before falling back to swapped letters.
MISSPELLINGS = {
    "receive": "recieve",
    "separate": "seperate",
    "definitely": "definately",
    "because": "becuase",
    "invoices": "invoces",
    "approval": "aproval",
    "approve": "aprove",
    "their": "thier",
    "which": "wich",
    "every": "evrey",
    "really": "realy",
    "until": "untill",
    "don't": "dont",
    "can't": "cant",
    "won't": "wont",
    "doesn't": "doesnt",
    "I'm": "Im",
    "they're": "theyre",
    "vendors": "venders",
}
