"""A brief's content (compose.py) as a web page's context, a standalone HTML document, a PDF,
Markdown, and a chat message.

Links: the content keeps paths; `linked` gives every linked thing an `href`, relative on the
site's own page and absolute (the content's `site_url`, PROBLEMSPACE_SITE_URL when it was made)
everywhere else, so a link in a PDF, an email or a Markdown file opens the page it names.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string

from problemspace.briefs.quotes import day
from problemspace.integrations import chat

PDF_MEDIA_TYPE = "application/pdf"


class RenderError(RuntimeError):
    """The brief cannot be rendered in this format here; the message says what to install."""


def linked(content: dict[str, Any], base: str) -> dict[str, Any]:
    """A copy of `content` in which every dict with a `url` also has `href`: `base` + the path
    (a full URL, such as an initiative's issue-tracker link, is kept as it is)."""
    result = copy.deepcopy(content)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            url = node.get("url")
            if isinstance(url, str) and url:
                node["href"] = base + url if url.startswith("/") else url
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result


def made(content: dict[str, Any]) -> str:
    """When the brief was made, as people write a date: "30 Nov 2026"."""
    try:
        return day(datetime.fromisoformat(str(content.get("generated_at"))))
    except ValueError:
        return ""


def site_url(content: dict[str, Any]) -> str:
    return str(content.get("site_url") or "").rstrip("/")


def document_html(content: dict[str, Any], *, note: str = "") -> str:
    """The brief as one self-contained HTML document with absolute links: the PDF's source
    and an email's HTML part. `note` is a line above the brief (why an email came)."""
    return render_to_string(
        "briefs/document.html",
        {"brief": linked(content, site_url(content)), "note": note, "made": made(content)},
    )


def pdf(content: dict[str, Any]) -> bytes:
    """The brief as a PDF (A4), its links clickable, through WeasyPrint."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        # OSError: WeasyPrint is installed but the Pango libraries it loads are not.
        raise RenderError(
            "PDF briefs need WeasyPrint and the Pango library: `pip install weasyprint` and, "
            f"on Debian or Ubuntu, `apt-get install libpango-1.0-0 libpangoft2-1.0-0` ({exc})."
        ) from None
    document = HTML(string=document_html(content), base_url=site_url(content) or None)
    data = document.write_pdf()
    assert isinstance(data, bytes)
    return data


# Characters that Markdown would read as formatting, links or HTML in text a person wrote.
# (Whitespace is folded and every line starts with the brief's own prefix, so characters that
# only matter at the start of a line, such as # or -, stay as they are.)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")


def md_escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def md_link(text: str, href: str) -> str:
    return f"[{md_escape(text)}]({href.replace(' ', '%20').replace(')', '%29')})"


def markdown(content: dict[str, Any]) -> str:
    """The brief in Markdown, every claim a link to the page behind it."""
    brief = linked(content, site_url(content))
    lines = [f"# {md_escape(brief['title'])}", ""]
    lines.append(
        f"{md_escape(brief['workspace']['name'])} · for {md_escape(brief['audience_label'])} · "
        f"{md_escape(brief['period']['label'])} ({md_escape(brief['period']['dates'])})"
    )
    lines.append("")
    if brief["empty"]:
        lines += [f"**{md_escape(brief['empty_text'])}**", ""]
    for row in brief["highlights"]:
        lines.append(f"- {md_link(row['text'], row['href'])}")
    if brief["highlights"]:
        lines.append("")
    for section in brief["sections"]:
        lines += [f"## {md_escape(section['heading'])}", ""]
        if section.get("intro"):
            lines += [f"_{md_escape(section['intro'])}_", ""]
        lines += _MARKDOWN_SECTIONS[section["kind"]](section["items"])
        if section.get("more"):
            lines += [f"{md_link(section['more']['text'], section['more']['href'])} →", ""]
    if brief["quiet"]:
        lines += ["## Quiet in this period", ""]
        lines += [f"- {md_escape(text)}" for text in brief["quiet"]]
        lines.append("")
    lines.append(" · ".join(md_link(link["text"], link["href"]) for link in brief["links"]))
    lines.append("")
    return "\n".join(lines)


def _md_quotes(quotes: list[dict[str, Any]], indent: str = "") -> list[str]:
    lines = []
    for q in quotes:
        lines.append(f"{indent}> “{md_escape(q['text'])}”")
        lines.append(
            f"{indent}> — {md_escape(q['attribution'])}, {md_escape(q['source'])} "
            f"({md_link('evidence', q['href'])})"
        )
        lines.append("")
    return lines


def _md_problems(items: list[dict[str, Any]]) -> list[str]:
    lines = []
    for p in items:
        facts = [p["movement"], p["explanation"]]
        if p["in_period"]:
            facts.append(f"{p['in_period']} new signals in the period")
        said = "; ".join(md_escape(f) for f in facts if f)
        lines.append(f"{p['place']}. **{md_link(p['title'], p['href'])}** — {said}")
        lines.append("")
        lines += _md_quotes(p["quotes"], "   ")
    return lines


def _md_loud(items: list[dict[str, Any]]) -> list[str]:
    lines = [
        f"- {md_link(p['title'], p['href'])} (ranked #{p['place']}): {md_escape(p['said'])}"
        for p in items
    ]
    return [*lines, ""]


def _md_initiatives(items: list[dict[str, Any]]) -> list[str]:
    lines = []
    for i in items:
        state = f"{i['horizon_label']}, {i['status_label'].lower()}"
        if i.get("shipped_in_period"):
            state = "shipped in this period"
        lines += [f"### {md_link(i['title'], i['href'])} ({md_escape(state)})", ""]
        if i["goals"]:
            goals = ", ".join(md_link(g["objective"], g["href"]) for g in i["goals"])
            lines += [f"Serves: {goals}", ""]
        if not i["problems"]:
            lines += ["No customer problem is linked to it yet.", ""]
        for p in i["problems"]:
            lines.append(
                f"- Solves {md_link(p['title'], p['href'])}: {md_escape(p['explanation'])}"
            )
            lines.append("")
            lines += _md_quotes(p["quotes"], "  ")
    return lines


def _md_goals(items: list[dict[str, Any]]) -> list[str]:
    lines = []
    for g in items:
        progress = f", {g['progress']}% of the way" if g["progress"] is not None else ""
        lines.append(f"- **{md_link(g['objective'], g['href'])}** ({g['status_label']}{progress})")
        if not g["initiatives"]:
            lines.append("  - No initiative serves this goal.")
        for i in g["initiatives"]:
            problems = ", ".join(md_link(p["title"], p["href"]) for p in i["problems"])
            why = f" — for {problems}" if problems else ""
            lines.append(
                f"  - {md_link(i['title'], i['href'])} "
                f"({i['horizon_label']}, {i['status_label'].lower()}){why}"
            )
    lines.append("")
    return lines


def _md_assumptions(items: list[dict[str, Any]]) -> list[str]:
    lines = []
    for a in items:
        when = f", {a['date']}" if a["date"] else ""
        lines.append(
            f"- **{a['verdict_label']}{when}:** {md_link(a['statement'], a['href'])} "
            f"({md_escape(a['kind_label'].lower())})"
        )
        if a["learning"]:
            lines.append(f"  - Learned: {md_escape(a['learning'])}")
        if a["problems"]:
            lines.append(
                "  - About: " + ", ".join(md_link(p["title"], p["href"]) for p in a["problems"])
            )
    lines.append("")
    return lines


def _md_moves(items: list[dict[str, Any]]) -> list[str]:
    lines = []
    for m in items:
        by = f" by {md_escape(m['by'])}" if m["by"] else ""
        lines.append(
            f"- {m['date']}: {md_link(m['title'], m['href'])} {md_escape(m['change'])}{by}"
        )
        if m["reason"]:
            lines.append(f"  - Why: {md_escape(m['reason'])}")
    lines.append("")
    return lines


def _md_segments(items: list[dict[str, Any]]) -> list[str]:
    lines = []
    for s in items:
        lines += [f"### {md_escape(s['segment'])}", ""]
        for p in s["problems"]:
            lines.append(f"- {md_link(p['title'], p['href'])} ({p['accounts']} accounts)")
            lines.append("")
            lines += _md_quotes(p["quotes"], "  ")
    return lines


def _md_exposure(items: list[dict[str, Any]]) -> list[str]:
    lines = []
    for e in items:
        hours = f"{e['total_hours']} hours"
        lines.append(
            f"- {md_link(hours, e['href'])} with customers across "
            f"{e['members']} members; {e['at_target']} at {e['target_hours']} hours or more."
        )
        if e["under"]:
            under = ", ".join(f"{md_escape(u['name'])} ({u['said']})" for u in e["under"])
            lines.append(f"- Under {e['target_hours']} hours: {under}")
    lines.append("")
    return lines


_MARKDOWN_SECTIONS = {
    "problems": _md_problems,
    "loud": _md_loud,
    "initiatives": _md_initiatives,
    "goals": _md_goals,
    "assumptions": _md_assumptions,
    "moves": _md_moves,
    "segments": _md_segments,
    "exposure": _md_exposure,
}


def chat_brief(content: dict[str, Any], url: str) -> chat.Brief:
    """The brief for integrations.chat: a section per part, with its links."""
    brief = linked(content, site_url(content))
    subtitle = (
        f"{brief['audience_label']} · {brief['period']['label']} ({brief['period']['dates']})"
    )
    sections = []
    if brief["empty"]:
        sections.append(chat.Section(heading="", text=brief["empty_text"]))
    elif brief["highlights"]:
        sections.append(
            chat.Section(
                heading="In this period",
                links=[chat.Link(row["text"], row["href"]) for row in brief["highlights"]],
            )
        )
    for section in brief["sections"]:
        sections.append(_chat_section(section))
    return chat.Brief(title=brief["title"], url=url, subtitle=subtitle, sections=sections)


def _chat_section(section: dict[str, Any]) -> chat.Section:
    kind, items = section["kind"], section["items"]
    links: list[chat.Link] = []
    if kind == "problems":
        for p in items:
            links.append(
                chat.Link(f"{p['place']}. {p['title']} ({p['movement'] or 'ranked'})", p["href"])
            )
            links += [
                chat.Link(f"“{q['text']}” — {q['attribution']}", q["href"]) for q in p["quotes"][:1]
            ]
    elif kind == "loud":
        links = [chat.Link(f"{p['title']}: {p['said']}", p["href"]) for p in items]
    elif kind == "initiatives":
        for i in items:
            links.append(chat.Link(f"{i['title']} ({i['status_label'].lower()})", i["href"]))
    elif kind == "goals":
        for g in items:
            served = f"{len(g['initiatives'])} initiatives" if g["initiatives"] else "no initiative"
            links.append(chat.Link(f"{g['objective']} ({served})", g["href"]))
    elif kind == "assumptions":
        links = [chat.Link(f"{a['verdict_label']}: {a['statement']}", a["href"]) for a in items]
    elif kind == "moves":
        links = [chat.Link(f"{m['title']}: {m['change']}", m["href"]) for m in items]
    elif kind == "segments":
        for s in items:
            links += [chat.Link(f"{s['segment']}: {p['title']}", p["href"]) for p in s["problems"]]
    elif kind == "exposure":
        links = [
            chat.Link(
                f"{e['total_hours']} hours with customers; {len(e['under'])} under "
                f"{e['target_hours']} hours",
                e["href"],
            )
            for e in items
        ]
    return chat.Section(heading=section["heading"], text=section.get("intro", ""), links=links)


def filename(content: dict[str, Any], extension: str) -> str:
    """ "executives-brief-2026-11-30.pdf": the audience and the period's last day."""
    return f"{content['audience']}-brief-{content['period']['last_day']}.{extension}"
