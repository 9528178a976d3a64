"""The interview guides every workspace starts with, editable there afterwards.

Written in the spirit of Customer Development and "The Mom Test": ask about what people did,
not what they would do; about their life, not your idea; for specifics in the past, not
generalities or opinions about the future. Compliments and hypotheticals are not evidence.
"""

from __future__ import annotations

from typing import NamedTuple


class DefaultGuide(NamedTuple):
    name: str
    kind: str
    body: str


PROBLEM_INTERVIEW = DefaultGuide(
    "Problem interview",
    "problem",
    """\
Goal: learn how this person handles the job today and what it costs them. Do not mention your
product or idea. You are here to learn, not to pitch.

BEFORE
- Write down the three things you most need to learn from this conversation.
- Decide who takes notes. Write what they say, in their words; mark your own interpretation
  with [brackets].

OPENING (2 min)
- Thank them. "We're trying to understand how teams like yours handle <the job>. There are no
  right answers, and we're not selling anything today."
- Ask for permission to take notes or record.

THEIR CONTEXT (5 min)
- What is your role? What does a normal week look like?
- Where does <the job> fit in it? Who else is involved?

THE LAST TIME (15 min) — specifics in the past, not generalities
- Tell me about the last time you <did the job>. When was it? Walk me through it.
- What was the hardest part? Why was it hard?
- What happened next? What did it cost you (time, money, mistakes, stress)?
- How often does that happen?

WHAT THEY HAVE TRIED (10 min) — behaviour, not opinion
- What are you doing about it today? What tools, spreadsheets or workarounds?
- What else have you tried? Why did you stop?
- Have you looked for (or paid for) a solution? How much did that cost?
- If they say it is a problem but have never tried to solve it, it may not be a big one.

CLOSING (5 min)
- Is there anything I should have asked but didn't?
- Who else should I talk to about this? Could you introduce me?
- May we follow up when we have something to show you?

AVOID
- "Would you use / buy / pay for ...?" (the future is optimistic; ask what they did)
- "Do you think it's a good idea?" (opinions and compliments are not evidence)
- Leading questions: "Isn't it annoying when ...?"
- Describing your solution. If they ask, say you'll gladly show it at the end.

DEBRIEF right after: What surprised you? Which assumptions did this confirm or contradict?
Highlight the quotes that state a problem in the customer's own words.
""",
)

SOLUTION_INTERVIEW = DefaultGuide(
    "Solution interview",
    "solution",
    """\
Goal: test whether a proposed solution fits a problem this person already told you they have.
Only hold one with someone whose problem you have heard first-hand.

BEFORE
- Write down the problem you believe they have, and the assumption this test should confirm
  or kill (e.g. "they would switch from spreadsheets for this").
- Prepare a demo, mock-up or description that takes no more than five minutes.

OPENING (3 min)
- Remind them of what they told you last time, in their words. "Is that still true?"
- If the problem has gone away or changed, spend the time on that instead.

THE PROBLEM, AGAIN (5 min)
- When did this last happen? What did you do about it?
- How are you handling it now?

THE SOLUTION (10 min) — watch what they do, not what they say
- Show it. Then stop talking.
- Ask them to walk through how they would have used it the last time the problem happened.
- Where do they hesitate? What do they ask about first?
- What would it replace? What would have to be true for them to switch?

COMMITMENT (5 min) — the real test; compliments are not evidence
- Ask for something that costs them: time for a pilot, an introduction to the decision
  maker, a letter of intent, a pre-order, data to try it with.
- Note exactly what they agreed to, or why not. "Sounds great, keep me posted" is a no.

CLOSING (2 min)
- Who else has this problem? Who decides on buying tools like this?
- Agree on the next step and the date.

AVOID
- Selling or defending the solution when they push back: the push-back is the data.
- Asking "Would you pay X?" — ask for a commitment instead.
- Counting polite enthusiasm as validation.

DEBRIEF right after: Which assumptions did this validate or invalidate? What commitment did
you get? Highlight the quotes that show fit or the lack of it.
""",
)

DEFAULT_GUIDES = (PROBLEM_INTERVIEW, SOLUTION_INTERVIEW)
