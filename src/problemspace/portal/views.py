"""The team's portal pages: the moderation queue, every post, one post (moderate it, link it
to a problem) and the portal's settings.

Everyone in the workspace reads posts; editors and owners moderate, link and change the
settings. A mistake re-renders the page with the message next to its field (422); a done
change redirects with a message, so reloading never repeats it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.portal import queries, services
from problemspace.portal.access import check_write, get_comment_for_member, get_post_for_member
from problemspace.portal.models import Access, Post, PostStatus
from problemspace.portal.similar import similar_posts
from problemspace.problems.models import Problem
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member, Role

PER_PAGE = 50
# Problems offered in the link form: the head of the ranking; others by their number.
PROBLEM_CHOICES = 200


def _base(member: Member, **extra: Any) -> dict[str, Any]:
    return {
        "member": member,
        "active": "portal",
        "can_edit": member.can(Role.EDITOR),
        "portal": services.settings_for(member.workspace),
        "counts": queries.counts(member.workspace),
        **extra,
    }


@login_required
def queue(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    """Posts and comments waiting for an editor, oldest first, each with its likely
    duplicates among the published posts."""
    member = get_member(request, slug, Role.EDITOR)
    pending = list(queries.posts(member.workspace, PostStatus.PENDING).order_by("created_at")[:50])
    items = [
        {
            "post": post,
            "similar": [
                s.post
                for s in similar_posts(
                    member.workspace, f"{post.title}\n\n{post.body}", limit=3, exclude=post.pk
                )
            ],
        }
        for post in pending
    ]
    comments = list(queries.pending_comments(member.workspace)[:100])
    context = _base(member, items=items, comments=comments, view="queue")
    return TemplateResponse(request, "portal/queue.html", context)


@login_required
def posts(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug)
    status = request.GET.get("status", "")
    if status not in PostStatus.values:
        status = ""
    page = Paginator(queries.posts(member.workspace, status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = _base(member, page=page, status=status, statuses=PostStatus.choices, view="posts")
    return TemplateResponse(request, "portal/posts.html", context)


def _problems(member: Member, post: Post) -> list[Problem]:
    problems = list(
        Problem.objects.filter(workspace_id=member.workspace_id, dismissed=False, praise=False)
        .order_by("-pinned", "-score", "id")
        .only("pk", "title")[:PROBLEM_CHOICES]
    )
    if post.problem is not None and post.problem.pk not in {p.pk for p in problems}:
        problems.append(post.problem)
    return problems


def _detail(
    request: AuthenticatedHttpRequest,
    member: Member,
    post: Post,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> TemplateResponse:
    can_edit = member.can(Role.EDITOR)
    merge_choices: list[Post] = []
    if can_edit and post.status in (PostStatus.PENDING, PostStatus.PUBLISHED):
        merge_choices = [
            s.post
            for s in similar_posts(
                member.workspace, f"{post.title}\n\n{post.body}", limit=5, exclude=post.pk
            )
        ]
    context = _base(
        member,
        post=post,
        comments=list(post.comments.select_related("contact").all()),
        voters=list(post.votes.select_related("contact__account").order_by("created_at")[:200]),
        problems=_problems(member, post) if can_edit else [],
        merge_choices=merge_choices,
        merged=list(post.merged_posts.all()),
        errors=errors or {},
        public_url=reverse("portal_public:post", args=[member.workspace.slug, post.pk]),
    )
    return TemplateResponse(request, "portal/post_detail.html", context, status=status)


@login_required
def post_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> TemplateResponse:
    member = get_member(request, slug)
    return _detail(request, member, get_post_for_member(member, pk))


def _int(value: str) -> int | None:
    value = value.strip().lstrip("#")
    return int(value) if value.isdigit() and len(value) < 19 else None


@login_required
@require_POST
def moderate(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    post = get_post_for_member(member, pk, write=True)
    action = request.POST.get("action", "")
    into = None
    if action == "merge":
        into_id = _int(request.POST.get("into", ""))
        into = (
            Post.objects.filter(workspace_id=member.workspace_id, pk=into_id).first()
            if into_id
            else None
        )
    try:
        services.moderate_post(member, post, action, into)
    except services.PortalError as error:
        return _detail(request, member, post, errors=error.errors, status=422)
    done = {
        "approve": "Published: it is on the portal now.",
        "reject": "Rejected: it stays off the portal.",
        "merge": "Merged: its votes count for the other post now.",
    }[action]
    messages.success(request, f"{done} The customer will hear about it by email.")
    if request.POST.get("next") == "queue":
        return redirect("portal:queue", slug=slug)
    return redirect("portal:post", slug=slug, pk=post.pk)


@login_required
@require_POST
def link(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    post = get_post_for_member(member, pk, write=True)
    raw = request.POST.get("problem", "")
    problem = None
    if raw.strip():
        problem_id = _int(raw)
        problem = (
            Problem.objects.filter(workspace_id=member.workspace_id, pk=problem_id).first()
            if problem_id
            else None
        )
        if problem is None:
            errors = {"problem": "There is no such problem in this workspace; pick one listed."}
            return _detail(request, member, post, errors=errors, status=422)
    services.link_problem(post, problem)
    if problem is None:
        messages.success(request, "The post is no longer linked to a problem.")
    else:
        messages.success(
            request,
            f"Linked to “{problem.title}”: its voters hear when the problem is solved or ships.",
        )
    return redirect("portal:post", slug=slug, pk=post.pk)


@login_required
@require_POST
def moderate_comment(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug)
    comment = get_comment_for_member(member, pk, write=True)
    try:
        services.moderate_comment(comment, request.POST.get("action", ""))
    except services.PortalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Comment {comment.get_status_display().lower()}.")
    if request.POST.get("next") == "queue":
        return redirect("portal:queue", slug=slug)
    return redirect("portal:post", slug=slug, pk=comment.post_id)


@login_required
@require_http_methods(["GET", "POST"])
def portal_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug)
    check_write(member)
    portal = services.settings_for(member.workspace)
    template = "portal/settings.html"
    public_url = reverse("portal_public:index", args=[slug])
    if request.method == "GET":
        current = {
            "enabled": portal.enabled,
            "access": portal.access,
            "moderation": portal.moderation,
            "title": portal.title,
            "intro": portal.intro,
        }
        context = _base(
            member,
            values=current,
            errors={},
            accesses=Access.choices,
            public_url=public_url,
            view="settings",
        )
        return TemplateResponse(request, template, context)
    data = request.POST
    values: dict[str, Any] = {
        "enabled": data.get("enabled") == "on",
        "access": data.get("access", ""),
        "moderation": data.get("moderation") == "on",
        "title": data.get("title", "")[:500],
        "intro": data.get("intro", "")[:5000],
    }
    try:
        services.save_settings(member.workspace, **values)
    except services.PortalError as error:
        context = _base(
            member,
            values=values,
            errors=error.errors,
            accesses=Access.choices,
            public_url=public_url,
            view="settings",
        )
        return TemplateResponse(request, template, context, status=422)
    messages.success(
        request, "Portal settings saved." + (" The portal is open." if values["enabled"] else "")
    )
    return redirect("portal:settings", slug=slug)
