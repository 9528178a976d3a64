"""Customers' own words in a brief: which quotes, how they are attributed, and the small
wording helpers every part of a brief uses.

A quote is the evidence text verbatim (whitespace folded, clipped at a word with an ellipsis
when long: the link leads to the whole of it), who said it and from which account and segment,
and how it reached us (channel, date, first-hand or relayed by whom).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from problemspace.evidence.models import Evidence, Provenance
from problemspace.problems.models import Problem
from problemspace.workspaces.models import Workspace

QUOTE_CHARS = 320
# Enough candidates per problem to find a few from different customers.
QUOTE_CANDIDATES = 8


def path(name: str, *args: object) -> str:
    return reverse(name, args=args)


def money(amount: float) -> str:
    if amount >= 1_000_000:
        return f"${amount / 1_000_000:.1f}M"
    if amount >= 1_000:
        return f"${amount / 1_000:.0f}k"
    return f"${amount:.0f}"


def plural(count: int, noun: str, many: str = "") -> str:
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def clip(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def day(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y}"


def quote(evidence: Evidence, slug: str) -> dict[str, Any]:
    """One quote as a brief shows it; `evidence` with its account and contact loaded."""
    contact, account = evidence.contact, evidence.account
    who = ""
    if contact is not None and contact.name:
        who = contact.name + (f" ({contact.role})" if contact.role else "")
    elif contact is not None and contact.role:
        who = contact.role
    where = account.name if account is not None else ""
    segment = account.segment if account is not None else ""
    attribution = ", ".join(part for part in (who, where) if part) or "A customer"
    if segment:
        attribution += f" · {segment}"
    source = f"{evidence.get_channel_display()}, {day(evidence.occurred_at)}"
    if evidence.provenance == Provenance.RELAYED:
        source += f", relayed by {evidence.relayed_by}" if evidence.relayed_by else ", relayed"
    return {
        "id": evidence.pk,
        "text": clip(evidence.text),
        "url": path("evidence:detail", slug, evidence.pk),
        "who": who,
        "account": where,
        "segment": segment,
        "first_hand": evidence.provenance == Provenance.FIRST_HAND,
        "attribution": attribution,
        "source": source,
    }


def quotes_for(
    workspace: Workspace, problems: Iterable[Problem], per_problem: int
) -> dict[int, list[dict[str, Any]]]:
    """Up to `per_problem` of each problem's representative quotes (synthesis's, closest to
    the problem's centre first), from different customers where it can: one query for all."""
    problems = list(problems)
    wanted = {pk for p in problems for pk in (p.quote_ids or [])[:QUOTE_CANDIDATES]}
    found = (
        Evidence.objects.filter(workspace=workspace, pk__in=wanted)
        .select_related("account", "contact")
        .in_bulk()
    )
    chosen: dict[int, list[dict[str, Any]]] = {}
    for problem in problems:
        ids = (problem.quote_ids or [])[:QUOTE_CANDIDATES]
        candidates = [found[q] for q in ids if q in found]
        chosen[problem.pk] = [quote(e, workspace.slug) for e in pick(candidates, per_problem)]
    return chosen


def pick(candidates: Sequence[Evidence], count: int) -> list[Evidence]:
    """`count` quotes in the order given, one per customer while there are others; quotes from
    a named account or contact before anonymous ones."""
    named = [e for e in candidates if e.account_id or e.contact_id]
    pool = named + [e for e in candidates if not (e.account_id or e.contact_id)]
    picked: list[Evidence] = []
    seen: set[object] = set()
    for evidence in pool:
        who = evidence.account_id or evidence.contact_id or f"e{evidence.pk}"
        if who in seen:
            continue
        seen.add(who)
        picked.append(evidence)
        if len(picked) == count:
            return picked
    for evidence in pool:
        if len(picked) == count:
            break
        if evidence not in picked:
            picked.append(evidence)
    return picked
