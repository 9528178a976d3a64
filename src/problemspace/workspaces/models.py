"""The tenant boundary: a workspace, and the people of the company who work in it."""

from __future__ import annotations

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
