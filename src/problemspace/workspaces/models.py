"""The tenant boundary: a workspace, and the people of the company who work in it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Workspace(models.Model):
    """One product team's space. Nothing — evidence, customers, problems — crosses it."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    CONTRIBUTOR = "contributor", "Contributor"
    VIEWER = "viewer", "Viewer"


# What each role may do, from least to most. A role can do everything the roles before it can.
ROLE_ORDER = [Role.VIEWER, Role.CONTRIBUTOR, Role.EDITOR, Role.OWNER]

# Shown next to the roles wherever one is chosen or announced (settings page, invitation email).
ROLE_DESCRIPTIONS = {
    Role.OWNER: "manages members, invitations and settings, and does all an editor does",
    Role.EDITOR: "curates problems (rename, merge, split, move evidence) and adds evidence",
    Role.CONTRIBUTOR: "adds evidence and joins interviews, and reads everything",
    Role.VIEWER: "reads everything in the workspace",
}


class Member(models.Model):
    """A person of the company in a workspace, with one role.

    Owners manage members; editors (PMs) curate problems; contributors (sales, support,
    engineering) add evidence and join interviews; viewers (executives) read.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "user"], name="member_unique_per_workspace"
            )
        ]
        ordering = ["workspace", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.workspace}"

    def can(self, role: Role | str) -> bool:
        """True when this member's role is at least `role`."""
        return ROLE_ORDER.index(Role(self.role)) >= ROLE_ORDER.index(Role(role))

    @property
    def display_name(self) -> str:
        full = self.user.get_full_name()
        return full or self.user.get_username()


class ApiToken(models.Model):
    """A personal key for the JSON API, acting as its user with that user's roles.

    Only a hash is stored: the key itself is shown once, when it is made, like a password.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    # The first characters of the key, so people can tell their keys apart in a list.
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# An invitation link is a key to the workspace: it works for a week, then a new one is needed.
INVITATION_LIFETIME = timedelta(days=7)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self, now: datetime | None = None) -> InvitationQuerySet:
        """Invitations that can still be accepted: not used, not revoked, not expired."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        )


class Invitation(models.Model):
    """An owner's invitation for someone to join a workspace, sent by email.

    Only a hash of the link's token is stored, so a copy of the database cannot be used to
    join. One invitation per address is open at a time; sending again makes a new link and
    the old one stops working.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CONTRIBUTOR)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} as {self.role} in {self.workspace}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())
