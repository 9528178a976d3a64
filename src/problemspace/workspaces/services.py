"""Creating workspaces and members; used by the CLI, the demo and (later) the settings pages."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from problemspace.workspaces.models import Member, Role, Workspace


class WorkspaceError(ValueError):
    """A workspace or member cannot be created as asked; the message says why."""


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "workspace"
    slug, n = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_workspace(name: str, slug: str | None = None) -> Workspace:
    name = name.strip()
    if not name:
        raise WorkspaceError("A workspace needs a name.")
    if slug is None:
        slug = unique_slug(name)
    elif slug != slugify(slug):
        raise WorkspaceError(
            f"{slug!r} cannot be used in web addresses; use lowercase letters, digits and dashes."
        )
    elif Workspace.objects.filter(slug=slug).exists():
        raise WorkspaceError(f"A workspace called {slug!r} already exists.")
    return Workspace.objects.create(name=name, slug=slug)


@transaction.atomic
def create_user(
    email: str, password: str | None, *, name: str = "", is_staff: bool = False
) -> AbstractBaseUser:
    """Create a sign-in for `email`. Without a password the account cannot sign in until reset."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    if User.objects.filter(username__iexact=email).exists():
        raise WorkspaceError(f"There is already a user {email!r}.")
    first, _, last = name.strip().partition(" ")
    user = User.objects.create_user(
        username=email, email=email, password=password, first_name=first, last_name=last
    )
    if is_staff:
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


def add_member(workspace: Workspace, user: AbstractBaseUser, role: Role | str) -> Member:
    member, created = Member.objects.get_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    if not created and member.role != role:
        member.role = role
        member.save(update_fields=["role"])
    return member
