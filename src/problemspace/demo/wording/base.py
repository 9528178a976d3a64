"""The shape of one problem's wording; the themes fill it in, compose.py turns it into text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Wording:
    """Ways customers and colleagues put one problem into words.

    Templates hold {slots}: the account's own facts ({erp}, {currency}, {idp}, {account}), the
    theme's `slots`, or generic ones ({n}, {period}, {approver}...; see compose.py). One value
    is drawn per slot per item, so a slot used twice in an item says the same thing twice.
    [this|that] is a phrasing alternative, drawn afresh each time, so that two customers who
    hit the same problem do not write the identical sentence.

    - `first_hand`: written by the customer (ticket, email, review, portal post), first person.
    - `spoken`: said in an interview, conversational.
    - `short`: a survey answer or a one-line request.
    - `gists`: the problem retold by a colleague, third person ("they", "their"), as a clause
      that fits after "Customer says ..." and starts in lower case.
    - `asks`: what they ask for, as a noun phrase ("a backup approver on each step").
    - `impacts`: what it costs them, one sentence, first person.
    - `topic`: a noun phrase for titles ("invoice scanning").
    """

    topic: str
    first_hand: tuple[str, ...]
    spoken: tuple[str, ...]
    short: tuple[str, ...]
    gists: tuple[str, ...]
    asks: tuple[str, ...] = ()
    impacts: tuple[str, ...] = ()
    slots: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
