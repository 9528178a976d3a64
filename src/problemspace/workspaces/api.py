"""Members and invitations over the API: who is in a workspace, and inviting someone by email."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from problemspace.workspaces import invitations
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member, Role

router = Router()


class MemberOut(Schema):
    id: int
    name: str
    email: str
    role: Role
    joined_at: datetime

    @staticmethod
    def resolve_name(obj: Member) -> str:
        return obj.display_name

    @staticmethod
    def resolve_email(obj: Member) -> str:
        return obj.user.email or obj.user.get_username()

    @staticmethod
    def resolve_joined_at(obj: Member) -> datetime:
        return obj.created_at


class InvitationIn(Schema):
    # Optional in the schema so that access is checked before the body (a stranger's request
    # gets 404 whatever it sends); the operation answers 422 when it is missing.
    email: str = Field("", max_length=254, description="required: where the link is sent")
    role: Role = Role.CONTRIBUTOR


class InvitationOut(Schema):
    id: int
    email: str
    role: Role
    expires_at: datetime
    renewed: bool = Field(
        description="true when an open invitation to this address got a new link instead"
    )
    email_sent: bool = Field(
        description="false when the mail server refused the email; resend from settings"
    )


class Problem(Schema):
    detail: str


@router.get("/w/{slug}/members", response=list[MemberOut], summary="The workspace's members")
def list_members(request: HttpRequest, slug: str) -> list[Member]:
    member = get_member(request, slug)
    return list(
        Member.objects.filter(workspace_id=member.workspace_id)
        .select_related("user")
        .order_by("user__username")
    )


@router.post(
    "/w/{slug}/invitations",
    response={201: InvitationOut, 422: Problem, 429: Problem},
    summary="Invite someone by email (owners)",
)
def create_invitation(request: HttpRequest, slug: str, payload: InvitationIn) -> Status:
    """Email `email` a link to join as `role`. An address that already has an open invitation
    gets a fresh link (the old one stops working); an existing member is refused with 422."""
    member = get_member(request, slug, Role.OWNER)
    try:
        sent = invitations.invite(member, payload.email, payload.role)
    except invitations.TooManyInvitations as exc:
        return Status(429, {"detail": str(exc)})
    except invitations.InvitationError as exc:
        return Status(422, {"detail": str(exc)})
    invitation = sent.invitation
    body = {
        "id": invitation.pk,
        "email": invitation.email,
        "role": invitation.role,
        "expires_at": invitation.expires_at,
        "renewed": sent.renewed,
        "email_sent": sent.delivered,
    }
    return Status(201, body)
