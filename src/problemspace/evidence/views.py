"""The evidence inbox with its triage, the page of one piece of evidence, and search."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from problemspace.customers.queries import segments
from problemspace.evidence import kinds, search, triage
from problemspace.evidence.forms import TriageForm, split_tags
from problemspace.evidence.models import Channel, Evidence, Kind, Provenance, Tag
from problemspace.evidence.queries import (
    FilterError,
    Page,
    filter_evidence,
    page_after,
    parse_cursor,
    parse_filter,
)
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.problems.models import Problem, ProblemEvidence
from problemspace.problems.search import (
    MODEL_GONE_NOTE,
    MODES,
    NO_SYNTHESIS_NOTE,
    embedder_for,
    search_evidence,
    synthesis_model,
)
from problemspace.workspaces.access import (
    get_evidence_for_member,
    get_member,
    get_problem_for_member,
)
from problemspace.workspaces.models import Member, Role

# The triage bar offers every problem in a select; tags come as suggestions.
TAGS_SUGGESTED = 300
SEARCH_RESULTS = 30
SEARCH_HINT = (
    'Search for words, "a phrase", word*, this OR that; put - before a word to leave it out.'
)


def _attach_problems(items: Iterable[Evidence]) -> None:
    """Set `assigned_problem` on each item: one query for the whole page, none per card."""
    items = list(items)
    if not items:
        return
    links = ProblemEvidence.objects.filter(evidence_id__in=[e.pk for e in items]).select_related(
        "problem"
    )
    by_evidence = {
        link.evidence_id: link.problem
        for link in links.only("evidence_id", "problem__id", "problem__title", "problem__candidate")
    }
    for evidence in items:
        evidence.assigned_problem = by_evidence.get(evidence.pk)  # type: ignore[attr-defined]


def _triage_context(member: Member) -> dict[str, object]:
    """What the triage controls offer: the workspace's problems and its tags."""
    if not member.can(Role.EDITOR):
        return {"can_triage": False}
    problems = list(
        Problem.objects.filter(workspace=member.workspace, dismissed=False)
        .order_by("candidate", "title")
        .values_list("pk", "title", "candidate")
    )
    tags = list(
        Tag.objects.filter(workspace=member.workspace)
        .order_by("name")
        .values_list("name", flat=True)[:TAGS_SUGGESTED]
    )
    return {"can_triage": True, "problems": problems, "tag_names": tags, "kinds": Kind.choices}


@login_required
def inbox(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    """Every customer signal of the workspace, newest first, narrowed by the sidebar's filters."""
    member = get_member(request, slug)
    evidence_filter, errors = parse_filter(request.GET)
    cursor, cursor_errors = parse_cursor(request.GET)
    errors.update(cursor_errors)
    # What synthesis set aside as saying nothing ("n/a", a rating without words) stays out
    # of the inbox unless asked for; its own view is a tab away, with its count.
    set_aside = evidence_filter.kind == Kind.OTHER
    try:
        queryset = filter_evidence(member.workspace, evidence_filter)
        if not evidence_filter.kind:
            queryset = queryset.exclude(kind=Kind.OTHER)
        page = page_after(queryset, cursor, settings.INBOX_PAGE_SIZE)
    except FilterError as exc:
        errors.update(exc.errors)
        page = Page(items=[], next_cursor=None, is_first=True)
    _attach_problems(page.items)
    # Keep what the person typed, so a mistake can be corrected rather than retyped.
    jump_params = {k: v for k, v in evidence_filter.as_params().items() if k != "to"}
    context = {
        "member": member,
        "active": "inbox",
        "f": evidence_filter,
        "errors": errors,
        "page": page,
        "channels": Channel.choices,
        "provenances": Provenance.choices,
        "kind_choices": [(kind, label) for kind, label in Kind.choices if kind != Kind.OTHER],
        "set_aside": set_aside,
        "set_aside_count": Evidence.objects.filter(
            workspace=member.workspace, kind=Kind.OTHER
        ).count(),
        "segments": segments(member.workspace),
        "jump_params": jump_params,
        "workspace_url": reverse("workspace", args=[member.workspace.slug]),
        "can_capture": member.can(Role.CONTRIBUTOR),
        **_triage_context(member),
    }
    return TemplateResponse(request, "evidence/inbox.html", context)


def _linkable(url: str) -> bool:
    # Only web links become clickable: a javascript: or data: URL from an import must stay text.
    return urlsplit(url).scheme.lower() in {"http", "https"}


@login_required
def evidence_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> TemplateResponse:
    member = get_member(request, slug)
    evidence = get_evidence_for_member(member, pk)
    _attach_problems([evidence])
    context = {
        "member": member,
        "active": "inbox",
        "evidence": evidence,
        "tags": list(evidence.tags.all()),
        "source_url_is_link": _linkable(evidence.source_url),
        "workspace_url": reverse("workspace", args=[member.workspace.slug]),
        **_triage_context(member),
    }
    return TemplateResponse(request, "evidence/detail.html", context)


def _back_url(request: AuthenticatedHttpRequest, member: Member) -> str:
    """Where the action was asked from (the same inbox page and filters), if it is ours."""
    inbox_url = reverse("evidence:inbox", args=[member.workspace.slug])
    back = request.POST.get("next", "")
    if (
        back.startswith(f"/w/{member.workspace.slug}/")
        and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and "\\" not in back
    ):
        return back
    return inbox_url


@login_required
@require_POST
def triage_evidence(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseRedirect:
    """One triage action on the ticked items: all of them change, or none."""
    member = get_member(request, slug, Role.EDITOR)
    back = _back_url(request, member)
    form = TriageForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, f"Nothing changed: {error}")
        return redirect(back)
    ids: list[int] = form.cleaned_data["evidence"]
    workspace = member.workspace
    found = set(
        Evidence.objects.filter(workspace=workspace, pk__in=ids).values_list("pk", flat=True)
    )
    if found != set(ids):
        # Someone else's evidence, or deleted since the page was drawn: touch nothing.
        raise Http404("No such evidence.")
    action = form.cleaned_data["action"]
    with transaction.atomic():
        if action == "assign":
            problem = get_problem_for_member(member, form.cleaned_data["problem"], write=True)
            message = triage.assign(ids, problem)
        elif action == "tag":
            message = triage.add_tags(workspace, ids, split_tags(form.cleaned_data["tag"]))
        elif action == "relayed":
            message = triage.mark_relayed(workspace, ids, form.cleaned_data["relayed_by"])
        elif action == "kind":
            message = kinds.correct_kind(workspace, ids, form.cleaned_data["kind"])
        else:
            message = triage.mark_first_hand(workspace, ids)
    messages.success(request, message)
    return redirect(back)


# --- search ---------------------------------------------------------------------------------

# Loading a sentence model takes a second or two; a server process keeps the one it loaded.
_search_embedder = functools.lru_cache(maxsize=4)(embedder_for)


def highlight(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    """`text` escaped, with what `pattern` finds wrapped in <mark>."""
    if pattern is None:
        return escape(text)
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group()))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (every piece is escaped above)


def _search_note(note: str, workspace_model: str | None) -> str:
    """Search's notes speak to the command line; the page says the same for the browser."""
    if note == NO_SYNTHESIS_NOTE:
        return (
            "Matched by words only: meaning is searched too once the workspace's problems "
            "have been synthesized."
        )
    if workspace_model and note == MODEL_GONE_NOTE.format(model=workspace_model):
        return (
            f"Matched by words only: the model synthesis used ({workspace_model}) is not "
            "installed on this server, so meaning could not be searched."
        )
    return note


@login_required
def search_page(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    """Evidence by its words and its meaning together, best match first."""
    member = get_member(request, slug)
    workspace = member.workspace
    query = request.GET.get("q", "").strip()
    by = request.GET.get("by", "both")
    if by not in MODES:
        by = "both"
    error = ""
    notes: list[str] = []
    rows: list[dict[str, object]] = []
    semantic = False
    model = None
    if query:
        try:
            found = search_evidence(
                workspace,
                query,
                limit=SEARCH_RESULTS,
                mode=by,
                load_embedder=_search_embedder,
            )
        except search.SearchError as exc:
            error = str(exc)
        else:
            model = synthesis_model(workspace) if by != "words" else None
            notes = [_search_note(note, model) for note in found.notes]
            semantic = by != "words" and not found.notes
            pattern = search.highlight_pattern(query) if by != "meaning" else None
            _attach_problems(result.evidence for result in found.results)
            rows = [
                {
                    "found": result,
                    "evidence": result.evidence,
                    "snippet": highlight(search.snippet(result.evidence.text, query, 240), pattern),
                }
                for result in found.results
            ]
    context = {
        "member": member,
        "active": "search",
        "query": query,
        "by": by,
        "modes": [
            ("both", "Words and meaning"),
            ("words", "Words only"),
            ("meaning", "Meaning only"),
        ],
        "error": error,
        "notes": notes,
        "rows": rows,
        "semantic": semantic,
        "model": model,
        "search_hint": SEARCH_HINT,
        "workspace_url": reverse("workspace", args=[workspace.slug]),
    }
    return TemplateResponse(request, "evidence/search.html", context)
