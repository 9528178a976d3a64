"""Reading posts for the pages, the API and the CLI."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from problemspace.portal.models import Comment, CommentStatus, Post, PostStatus
from problemspace.workspaces.models import Workspace

SORTS = {"top": ["-vote_count", "-id"], "new": ["-created_at", "-id"]}


def published(workspace: Workspace, sort: str = "top") -> QuerySet[Post]:
    """The posts the public sees: top voted or newest first (each walks an index)."""
    return (
        Post.objects.filter(workspace=workspace, status=PostStatus.PUBLISHED)
        .annotate(
            comment_total=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED))
        )
        .order_by(*SORTS.get(sort, SORTS["top"]))
    )


def posts(workspace: Workspace, status: str = "") -> QuerySet[Post]:
    """All posts for the team, newest first, optionally of one status."""
    rows = Post.objects.filter(workspace=workspace).select_related(
        "contact__account", "problem", "merged_into"
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-id")


def pending_comments(workspace: Workspace) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(post__workspace=workspace, status=CommentStatus.PENDING)
        .select_related("post", "contact__account")
        .order_by("created_at", "id")
    )


def counts(workspace: Workspace) -> dict[str, int]:
    """How many posts of each status, and comments waiting."""
    found = dict(
        Post.objects.filter(workspace=workspace)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    result = {status: found.get(status, 0) for status in PostStatus.values}
    result["comments_pending"] = pending_comments(workspace).count()
    return result


def published_comments(post: Post) -> QuerySet[Comment]:
    return post.comments.filter(status=CommentStatus.PUBLISHED).select_related("contact")
