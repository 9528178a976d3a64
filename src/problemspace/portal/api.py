"""The portal over the API, for the team: list and read posts, moderate them (publish,
reject, merge into another), and link them to a customer problem.

Everyone in the workspace reads; editors and owners moderate and link. Rules broken answer
422 with a sentence saying what to do; nothing is half-written. Customers use the portal's
pages, not this API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from problemspace.lib.ids import Id
from problemspace.portal import queries, services
from problemspace.portal.access import get_post_for_member
from problemspace.portal.models import Post
from problemspace.problems.models import Problem
from problemspace.workspaces.access import get_member

router = Router()

StatusName = Literal["pending", "published", "rejected", "merged"]


class PostContactOut(Schema):
    id: int
    name: str
    email: str | None
    account: str | None


class PostOut(Schema):
    id: int
    title: str
    body: str
    kind: str = Field(description="problem or idea")
    status: str = Field(description="pending, published, rejected or merged")
    votes: int
    contact: PostContactOut | None = Field(description="the customer who posted it")
    evidence_id: int | None = Field(description="its first-hand portal evidence")
    problem_id: int | None = Field(description="the customer problem it is linked to")
    merged_into_id: int | None
    created_at: datetime
    published_at: datetime | None


class PostPage(Schema):
    count: int
    items: list[PostOut]
    next_offset: int | None = Field(description="the offset of the next page; null on the last")


class PostFilters(Schema):
    status: StatusName | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**9)


# Fields are optional in the schemas so that access is checked before the body (a stranger
# gets 404 whatever it sends); the service answers 422 for what is missing.
class ModerationIn(Schema):
    action: Literal["approve", "reject", "merge"] | None = Field(None, description="required")
    into_id: Id | None = Field(None, description="the published post to merge into (merge)")


class ProblemLinkIn(Schema):
    problem_id: Id | None = Field(None, description="a problem of the workspace; null unlinks")


def _post(post: Post) -> dict[str, Any]:
    contact = post.contact
    return {
        "id": post.pk,
        "title": post.title,
        "body": post.body,
        "kind": post.kind,
        "status": post.status,
        "votes": post.vote_count,
        "contact": None
        if contact is None
        else {
            "id": contact.pk,
            "name": contact.name,
            "email": contact.email,
            "account": contact.account.name if contact.account else None,
        },
        "evidence_id": post.evidence_id,
        "problem_id": post.problem_id,
        "merged_into_id": post.merged_into_id,
        "created_at": post.created_at,
        "published_at": post.published_at,
    }


def _unprocessable(exc: services.PortalError) -> HttpError:
    return HttpError(422, " ".join(f"{field}: {text}" for field, text in exc.errors.items()))


@router.get("/w/{slug}/portal/posts", response=PostPage, summary="The portal's posts")
def list_posts(request: HttpRequest, slug: str, filters: Query[PostFilters]) -> dict[str, Any]:
    """Newest first; filter by status (pending posts wait for moderation)."""
    member = get_member(request, slug)
    rows = queries.posts(member.workspace, filters.status or "")
    count = rows.count()
    chosen = list(rows[filters.offset : filters.offset + filters.limit])
    end = filters.offset + len(chosen)
    return {
        "count": count,
        "items": [_post(p) for p in chosen],
        "next_offset": end if end < count else None,
    }


@router.get("/w/{slug}/portal/posts/{int:pk}", response=PostOut, summary="One portal post")
def get_post(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    member = get_member(request, slug)
    return _post(get_post_for_member(member, pk))


@router.post(
    "/w/{slug}/portal/posts/{int:pk}/moderation",
    response=PostOut,
    summary="Publish, reject, or merge a post into another",
)
def moderate_post(request: HttpRequest, slug: str, pk: int, body: ModerationIn) -> dict[str, Any]:
    """The submitter and voters are emailed about the change. Rejecting removes the post's
    evidence; merging moves its voters to the post it joins."""
    member = get_member(request, slug)
    post = get_post_for_member(member, pk, write=True)
    into = None
    if body.action == "merge" and body.into_id is not None:
        into = Post.objects.filter(workspace_id=member.workspace_id, pk=body.into_id).first()
    try:
        post = services.moderate_post(member, post, body.action or "", into)
    except services.PortalError as exc:
        raise _unprocessable(exc) from None
    return _post(get_post_for_member(member, post.pk))


@router.put(
    "/w/{slug}/portal/posts/{int:pk}/problem",
    response=PostOut,
    summary="Link a post to a customer problem (or unlink it)",
)
def link_problem(request: HttpRequest, slug: str, pk: int, body: ProblemLinkIn) -> dict[str, Any]:
    """The post's evidence joins the problem, and its voters hear when the problem is solved
    or work on it ships."""
    member = get_member(request, slug)
    post = get_post_for_member(member, pk, write=True)
    problem = None
    if body.problem_id is not None:
        problem = Problem.objects.filter(
            workspace_id=member.workspace_id, pk=body.problem_id
        ).first()
        if problem is None:
            raise HttpError(422, "problem_id: there is no such problem in this workspace.")
    services.link_problem(post, problem)
    return _post(get_post_for_member(member, post.pk))
