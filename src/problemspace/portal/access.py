"""Who may see and moderate the portal's posts and comments, from the team's side.

As problemspace.workspaces.access: another workspace's post is a 404; everyone in the
workspace reads posts; editors and owners moderate, link posts to problems and change the
portal's settings (403 below that).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from problemspace.portal.models import Comment, Post
from problemspace.workspaces.models import Member, Role

WRITE_ROLE = Role.EDITOR


def check_write(member: Member) -> None:
    if not member.can(WRITE_ROLE):
        raise PermissionDenied("Moderating the portal needs the editor role or higher.")


def get_post_for_member(member: Member, pk: int, *, write: bool = False) -> Post:
    post = (
        Post.objects.select_related(
            "workspace", "contact__account", "problem", "merged_into", "evidence"
        )
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    if write:
        check_write(member)
    return post


def get_comment_for_member(member: Member, pk: int, *, write: bool = False) -> Comment:
    comment = (
        Comment.objects.select_related("post__workspace", "contact")
        .filter(post__workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if comment is None:
        raise Http404("No such comment.")
    if write:
        check_write(member)
    return comment
