"""Creating and managing workspaces and members: for the CLI, the demo and the settings pages."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from problemspace.workspaces.models import Member, Role, Workspace

WORKSPACE_NAME_MAX = 120


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


def rename_workspace(workspace: Workspace, name: str) -> Workspace:
    """Give the workspace a new name; its address (slug) stays, so shared links keep working."""
    name = name.strip()
    if not name:
        raise WorkspaceError("A workspace needs a name.")
    if len(name) > WORKSPACE_NAME_MAX:
        raise WorkspaceError(f"Keep the name to {WORKSPACE_NAME_MAX} characters or fewer.")
    workspace.name = name
    workspace.save(update_fields=["name"])
    return workspace


def _owners_locked(workspace_id: int) -> list[int]:
    # Locking the owners' rows makes two owners who demote each other at the same moment
    # queue up, so the second one sees that only one owner is left.
    return list(
        Member.objects.select_for_update()
        .filter(workspace_id=workspace_id, role=Role.OWNER)
        .values_list("pk", flat=True)
    )


def _last_owner_message(member: Member, action: str) -> str:
    return (
        f"{member.display_name} is the only owner of {member.workspace.name}, so you cannot "
        f"{action}. Make someone else an owner first."
    )


@transaction.atomic
def change_role(member: Member, role: Role | str) -> Member:
    """Give `member` another role; a workspace always keeps at least one owner."""
    if role not in Role.values:
        raise WorkspaceError("Choose one of the roles in the list.")
    owners = _owners_locked(member.workspace_id)
    member.refresh_from_db(fields=["role"])
    if member.role == Role.OWNER and role != Role.OWNER and owners == [member.pk]:
        raise WorkspaceError(_last_owner_message(member, "change their role"))
    if member.role != role:
        member.role = role
        member.save(update_fields=["role"])
    return member


@transaction.atomic
def remove_member(member: Member) -> None:
    """Take `member` out of the workspace. Evidence they captured stays, without their name."""
    owners = _owners_locked(member.workspace_id)
    member.refresh_from_db(fields=["role"])
    if member.role == Role.OWNER and owners == [member.pk]:
        raise WorkspaceError(_last_owner_message(member, "remove them"))
    member.delete()
