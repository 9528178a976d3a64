"""CSV files that issue trackers import: problems and roadmap initiatives as tickets.

Two shapes:

- jira: Summary, Issue Type, Priority, Description, then one "Labels" column per label (Jira's
  CSV importer reads repeated columns as a multi-value field). Descriptions in Jira's wiki
  markup ("h3.", "bq.", [text|url]).
- github: title, body, labels, priority, state, url — the shape GitHub-issue CSV tools and
  Linear's and similar importers map from; bodies in Markdown, labels comma-separated.

Each description holds the problem statement and the customers' own top quotes, each with a
link back to its evidence in problemspace, so whoever picks up the ticket can read the source.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import reverse

from problemspace.evidence.models import Evidence
from problemspace.integrations.outbox import absolute
from problemspace.problems.models import Problem, Status
from problemspace.workspaces.models import Workspace

FORMATS = ("jira", "github")
WHATS = ("problems", "initiatives")
QUOTES = 3
MAX_QUOTE = 500
# Labels per ticket, each a "Labels" column for Jira (where a label cannot hold a space).
MAX_LABELS = 6
# Characters that make a spreadsheet read a cell as a formula; such cells get a leading '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(ValueError):
    pass


@dataclass
class Quote:
    text: str
    who: str
    url: str


@dataclass
class Ticket:
    title: str
    url: str
    summary: str
    facts: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    priority: str = "Medium"
    state: str = "open"
    issue_type: str = "Story"


def tickets(workspace: Workspace, what: str) -> list[Ticket]:
    if what == "problems":
        return problem_tickets(workspace)
    if what == "initiatives":
        return initiative_tickets(workspace)
    raise ExportError(f"Export problems or initiatives, not {what!r}.")


def initiatives_available() -> bool:
    return apps.is_installed("problemspace.roadmap")


# --- problems ---------------------------------------------------------------------------


def problem_tickets(workspace: Workspace) -> list[Ticket]:
    """The ranked problems (not dismissed, candidates or praise), most important first."""
    problems = list(
        Problem.objects.filter(
            workspace=workspace, dismissed=False, candidate=False, praise=False
        ).order_by("-pinned", "-score", "id")
    )
    quotes = _quotes(workspace, {pk for p in problems for pk in (p.quote_ids or [])[:QUOTES]})
    result = []
    for rank, problem in enumerate(problems):
        profile = problem.profile or {}
        facts = [f"Status: {problem.get_status_display()}"]
        if profile.get("account_count"):
            facts.append(f"Accounts affected: {profile['account_count']}")
        if problem.explanation:
            facts.append(problem.explanation)
        result.append(
            Ticket(
                title=problem.title,
                url=absolute(reverse("problems:detail", args=[workspace.slug, problem.pk])),
                summary=problem.statement or problem.title,
                facts=facts,
                quotes=[quotes[pk] for pk in (problem.quote_ids or [])[:QUOTES] if pk in quotes],
                labels=["customer-problem", f"status-{problem.status}"],
                priority="High" if problem.pinned else _priority(rank, len(problems)),
                state="closed" if problem.status == Status.SOLVED else "open",
                issue_type="Story",
            )
        )
    return result


def _priority(rank: int, count: int) -> str:
    """By place in the ranking: the top fifth High, the next two fifths Medium, the rest Low."""
    share = rank / max(count, 1)
    return "High" if share < 0.2 else "Medium" if share < 0.6 else "Low"


def _quotes(workspace: Workspace, ids: Iterable[int]) -> dict[int, Quote]:
    rows = Evidence.objects.filter(workspace=workspace, pk__in=list(ids)).select_related(
        "account", "contact"
    )
    return {
        e.pk: Quote(
            text=_clip(" ".join(e.text.split()), MAX_QUOTE),
            who=_who(e),
            url=absolute(reverse("evidence:detail", args=[workspace.slug, e.pk])),
        )
        for e in rows
    }


def _who(evidence: Evidence) -> str:
    parts = []
    if evidence.contact is not None and evidence.contact.name:
        parts.append(evidence.contact.name)
    if evidence.account is not None:
        parts.append(evidence.account.name)
    who = ", ".join(parts) or "a customer"
    return f"{who} ({evidence.get_channel_display().lower()}, {evidence.occurred_at:%Y-%m-%d})"


# --- initiatives ------------------------------------------------------------------------


def initiative_tickets(workspace: Workspace) -> list[Ticket]:
    """The roadmap's initiatives by horizon (now, next, later) then score."""
    if not initiatives_available():
        raise ExportError("The roadmap is not installed here, so there are no initiatives.")
    from problemspace.roadmap.models import Initiative

    order = {"now": 0, "next": 1, "later": 2}
    initiatives = sorted(
        Initiative.objects.filter(workspace=workspace).prefetch_related("problems", "goals"),
        key=lambda i: (order.get(i.horizon, 3), -_score(i), i.pk),
    )
    quote_ids = {
        pk for i in initiatives for p in i.problems.all() for pk in (p.quote_ids or [])[:1]
    }
    quotes = _quotes(workspace, quote_ids)
    return [_initiative_ticket(workspace, i, quotes) for i in initiatives]


def _score(initiative: Any) -> float:
    override = initiative.score_override
    return float(override if override is not None else initiative.score)


def _initiative_ticket(workspace: Workspace, initiative: Any, quotes: dict[int, Quote]) -> Ticket:
    problems = list(initiative.problems.all())
    goals = list(initiative.goals.all())
    facts = [
        f"Horizon: {initiative.get_horizon_display()}",
        f"Status: {initiative.get_status_display()}",
        f"Score: {_score(initiative):.1f}"
        + (" (set by hand)" if initiative.score_override is not None else ""),
    ]
    if initiative.score_override is not None and initiative.override_reason:
        facts.append(f"Why the score was set by hand: {initiative.override_reason}")
    facts.extend(f"Serves the goal: {goal.objective}" for goal in goals)
    links = [
        (f"Problem: {p.title}", absolute(reverse("problems:detail", args=[workspace.slug, p.pk])))
        for p in problems
    ]
    if initiative.external_url:
        links.append(("Tracked at", initiative.external_url))
    horizon_priority = {"now": "High", "next": "Medium"}
    return Ticket(
        title=initiative.title,
        url=_initiative_url(workspace, initiative),
        summary=initiative.description or initiative.title,
        facts=facts,
        quotes=[quotes[pk] for p in problems for pk in (p.quote_ids or [])[:1] if pk in quotes][
            :QUOTES
        ],
        links=links,
        labels=["roadmap", f"horizon-{initiative.horizon}"],
        priority=horizon_priority.get(initiative.horizon, "Low"),
        state="closed" if initiative.status in {"shipped", "dropped"} else "open",
        issue_type="Epic",
    )


def _initiative_url(workspace: Workspace, initiative: Any) -> str:
    from django.urls import NoReverseMatch

    try:
        return absolute(reverse("roadmap:initiative", args=[workspace.slug, initiative.pk]))
    except NoReverseMatch:
        return ""


# --- writing ----------------------------------------------------------------------------


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def _label(value: str) -> str:
    return "-".join(value.split())


def jira_description(ticket: Ticket) -> str:
    """Jira wiki markup; customer words inside {quote} blocks, which Jira shows as text."""
    lines = [ticket.summary.replace("{", "(").replace("}", ")"), ""]
    lines.extend(f"* {fact}" for fact in ticket.facts)
    if ticket.quotes:
        lines += ["", "h3. In the customers' words"]
        for quote in ticket.quotes:
            text = quote.text.replace("{quote}", "(quote)")
            lines += ["{quote}", text, "{quote}", f"— {_jira_link(quote.who, quote.url)}"]
    if ticket.links:
        lines += ["", "h3. Links"]
        lines.extend(f"* {_jira_link(text, url)}" for text, url in ticket.links)
    if ticket.url:
        lines += ["", f"From problemspace: {_jira_link(ticket.title, ticket.url)}"]
    return "\n".join(lines)


def _jira_link(text: str, url: str) -> str:
    safe = text.replace("|", "/").replace("[", "(").replace("]", ")")
    return f"[{safe}|{url}]"


def markdown_description(ticket: Ticket) -> str:
    lines = [ticket.summary, ""]
    lines.extend(f"- {fact}" for fact in ticket.facts)
    if ticket.quotes:
        lines += ["", "### In the customers' words", ""]
        for quote in ticket.quotes:
            lines += [f"> {quote.text}", f"> — [{_md_text(quote.who)}]({quote.url})", ""]
    if ticket.links:
        lines += ["", "### Links", ""]
        lines.extend(f"- [{_md_text(text)}]({url})" for text, url in ticket.links)
    if ticket.url:
        lines += ["", f"From problemspace: [{_md_text(ticket.title)}]({ticket.url})"]
    return "\n".join(lines).strip() + "\n"


def _md_text(text: str) -> str:
    return text.replace("[", "(").replace("]", ")")


def rows(ticket_list: Sequence[Ticket], fmt: str) -> Iterator[list[str]]:
    """The header then one row per ticket."""
    if fmt == "jira":
        width = max((len(t.labels[:MAX_LABELS]) for t in ticket_list), default=1) or 1
        yield ["Summary", "Issue Type", "Priority", "Description", *["Labels"] * width]
        for t in ticket_list:
            labels = [_label(label) for label in t.labels[:MAX_LABELS]]
            yield [
                _cell(t.title),
                t.issue_type,
                t.priority,
                _cell(jira_description(t)),
                *labels,
                *[""] * (width - len(labels)),
            ]
    elif fmt == "github":
        yield ["title", "body", "labels", "priority", "state", "url"]
        for t in ticket_list:
            yield [
                _cell(t.title),
                _cell(markdown_description(t)),
                ",".join(t.labels),
                t.priority,
                t.state,
                t.url,
            ]
    else:
        raise ExportError(f"Choose the format jira or github, not {fmt!r}.")


def write_csv(ticket_list: Sequence[Ticket], fmt: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows(ticket_list, fmt))
    return buffer.getvalue()


def export(workspace: Workspace, what: str, fmt: str) -> str:
    """The CSV text of `what` (problems or initiatives) shaped for `fmt` (jira or github)."""
    if fmt not in FORMATS:
        raise ExportError(f"Choose the format jira or github, not {fmt!r}.")
    return write_csv(tickets(workspace, what), fmt)


def filename(workspace: Workspace, what: str, fmt: str) -> str:
    return f"{workspace.slug}-{what}-{fmt}.csv"
