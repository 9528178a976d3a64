"""Inviting people into a workspace by email, and accepting: used by the settings page and API.

A link carries a random token; the database keeps only its hash. A link works once, for a
week, unless the owner revokes it or sends a new one. Accepting is one conditional UPDATE
("still open and unexpired?"), so a link clicked twice at once makes one member, not two.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from problemspace.web.ratelimit import Decision, Limit
from problemspace.workspaces.models import (
    INVITATION_LIFETIME,
    ROLE_DESCRIPTIONS,
    Invitation,
    Member,
    Role,
)
from problemspace.workspaces.services import add_member, create_user

logger = logging.getLogger(__name__)

# Enough for an owner bringing a whole team in one sitting, not enough to use the server for
# bulk mail. Resending counts: each one is an email.
INVITATIONS_PER_SENDER = Limit("invitations:sender", capacity=30, per_seconds=60 * 60)
INVITATIONS_PER_WORKSPACE = Limit("invitations:workspace", capacity=100, per_seconds=24 * 60 * 60)


class InvitationError(ValueError):
    """An invitation cannot be sent or changed as asked; the message says why and what to do."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class TooManyInvitations(InvitationError):
    def __init__(self, decision: Decision) -> None:
        minutes = decision.retry_minutes
        super().__init__(
            "Too many invitations sent for now. Try again in "
            f"{minutes} minute{'s' if minutes != 1 else ''}."
        )
        self.retry_after = decision.retry_after


class State(Enum):
    PENDING = "pending"
    EXPIRED = "expired"
    REVOKED = "revoked"
    ACCEPTED = "accepted"


@dataclass(frozen=True)
class Sent:
    invitation: Invitation
    # False when the mail server refused it: the invitation stands, and can be resent.
    delivered: bool
    # True when an open invitation to this address was renewed rather than a new one made.
    renewed: bool


def _field_names(fields: dict[str, object]) -> list[str]:
    return [name.removesuffix("_id") for name in fields]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def role_phrase(role: Role | str) -> str:
    """'an editor', 'a viewer': the role as it reads in a sentence."""
    label = Role(role).label.lower()
    return f"an {label}" if label[:1] in "aeiou" else f"a {label}"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def state(invitation: Invitation) -> State:
    if invitation.accepted_at is not None:
        return State.ACCEPTED
    if invitation.revoked_at is not None:
        return State.REVOKED
    if invitation.is_expired(timezone.now()):
        return State.EXPIRED
    return State.PENDING


def find(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, in whatever state it is; None if unknown."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("workspace", "invited_by")
        .filter(token_hash=_hash(token))
        .first()
    )


def users_with_email(email: str) -> list[AbstractBaseUser]:
    # Sign-in names are email addresses here, and older accounts may only have one of the two.
    User = get_user_model()
    return list(User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)))


def _spend(sender: Member) -> None:
    for limit, key in (
        (INVITATIONS_PER_SENDER, str(sender.user_id)),
        (INVITATIONS_PER_WORKSPACE, str(sender.workspace_id)),
    ):
        decision = limit.take(key)
        if not decision.allowed:
            raise TooManyInvitations(decision)


def invite(sender: Member, email: str, role: Role | str) -> Sent:
    """Invite `email` into the sender's workspace as `role` and email them the link.

    An address with an open invitation gets a fresh link (the old one stops working) with the
    role now chosen. The caller checks that `sender` is an owner.
    """
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise InvitationError(
            "That is not an email address; check it and try again.", field="email"
        ) from None
    if role not in Role.values:
        raise InvitationError("Choose one of the roles in the list.", field="role")
    existing = Member.objects.filter(
        Q(user__email__iexact=email) | Q(user__username__iexact=email),
        workspace_id=sender.workspace_id,
    ).first()
    if existing is not None:
        raise InvitationError(
            f"{email} is already a member of {sender.workspace.name}, as "
            f"{existing.get_role_display().lower()}. Change their role in the members list.",
            field="email",
        )
    _spend(sender)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    fields = {
        "role": role,
        "token_hash": _hash(token),
        "invited_by_id": sender.user_id,
        "sent_at": now,
        "expires_at": now + INVITATION_LIFETIME,
    }
    with transaction.atomic():
        open_one = (
            Invitation.objects.select_for_update()
            .filter(
                workspace_id=sender.workspace_id,
                email=email,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
            )
            .first()
        )
        if open_one is None:
            try:
                with transaction.atomic():
                    invitation = Invitation.objects.create(
                        workspace_id=sender.workspace_id, email=email, created_at=now, **fields
                    )
                renewed = False
            except IntegrityError:
                # Another owner invited the same address at the same moment; renew theirs.
                open_one = Invitation.objects.select_for_update().get(
                    workspace_id=sender.workspace_id,
                    email=email,
                    accepted_at__isnull=True,
                    revoked_at__isnull=True,
                )
        if open_one is not None:
            for name, value in fields.items():
                setattr(open_one, name, value)
            open_one.save(update_fields=_field_names(fields))
            invitation, renewed = open_one, True
    invitation.workspace = sender.workspace
    return Sent(invitation, _deliver(invitation, token, sender), renewed)


def resend(sender: Member, invitation: Invitation) -> Sent:
    """Email a fresh link for an invitation that was not used or revoked; the old link dies."""
    current = state(invitation)
    if current in (State.ACCEPTED, State.REVOKED):
        raise InvitationError(
            f"The invitation to {invitation.email} was {current.value}; invite them again instead."
        )
    return invite(sender, invitation.email, invitation.role)


def revoke(invitation: Invitation) -> bool:
    """Stop an open invitation's link from working. False when it was already used or revoked."""
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    return updated == 1


def _deliver(invitation: Invitation, token: str, sender: Member) -> bool:
    site_url = settings.SITE_URL.rstrip("/")
    context = {
        "invitation": invitation,
        "workspace": invitation.workspace,
        "inviter": sender.display_name,
        "inviter_email": sender.user.email,
        "role": role_phrase(invitation.role),
        "role_description": ROLE_DESCRIPTIONS[Role(invitation.role)],
        "accept_url": site_url + reverse("workspaces:accept", args=[token]),
        "site_url": site_url,
        "days": INVITATION_LIFETIME.days,
    }
    subject = render_to_string("workspaces/email/invitation_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("workspaces/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
        reply_to=[sender.user.email] if sender.user.email else None,
    )
    message.attach_alternative(
        render_to_string("workspaces/email/invitation.html", context), "text/html"
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the invitation email to %s", invitation.email)
        return False
    return True


class AcceptError(ValueError):
    """The invitation cannot be accepted now; the message says why."""


def _claim(invitation: Invitation, user: AbstractBaseUser) -> Member:
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(accepted_at=now, accepted_by=user)
    if claimed != 1:
        raise AcceptError("This invitation was used, revoked or expired a moment ago.")
    member = Member.objects.filter(workspace_id=invitation.workspace_id, user_id=user.pk).first()
    if member is not None:
        # Someone who joined by another way keeps the role they have.
        return member
    return add_member(invitation.workspace, user, invitation.role)


@transaction.atomic
def accept_as(invitation: Invitation, user: AbstractBaseUser) -> Member:
    """A signed-in user whose email the invitation was sent to joins the workspace."""
    return _claim(invitation, user)


@transaction.atomic
def accept_new(invitation: Invitation, name: str, password: str) -> Member:
    """Make an account for the invited address with this name and password, and join.

    All or nothing: if the link was used meanwhile, no account is left behind.
    """
    user = create_user(invitation.email, password, name=name)
    return _claim(invitation, user)
