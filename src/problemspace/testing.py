"""A shared test base: every feature gets its access tests for free.

alice owns workspace "acme"; bob edits there; carol contributes; vic only views; charlie owns
another workspace and must never see acme's data.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import TestCase

from problemspace.workspaces.models import Member, Role, Workspace

PASSWORD = "correct horse battery staple"  # noqa: S105 (test users only)


class BaseTestCase(TestCase):
    workspace: Workspace
    other_workspace: Workspace
    alice: User
    bob: User
    carol: User
    vic: User
    charlie: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.workspace = Workspace.objects.create(name="Acme Product", slug="acme")
        cls.other_workspace = Workspace.objects.create(name="Other Team", slug="other")
        cls.alice = cls._user("alice", cls.workspace, Role.OWNER)
        cls.bob = cls._user("bob", cls.workspace, Role.EDITOR)
        cls.carol = cls._user("carol", cls.workspace, Role.CONTRIBUTOR)
        cls.vic = cls._user("vic", cls.workspace, Role.VIEWER)
        cls.charlie = cls._user("charlie", cls.other_workspace, Role.OWNER)

    @staticmethod
    def _user(name: str, workspace: Workspace, role: Role) -> User:
        user = User.objects.create_user(
            username=f"{name}@example.org", email=f"{name}@example.org", password=PASSWORD
        )
        Member.objects.create(workspace=workspace, user=user, role=role)
        return user

    def member(self, user: User) -> Member:
        return Member.objects.get(user=user)

    def api_key(self, user: User) -> dict[str, str]:
        """Headers that authenticate an API request as `user`, with a fresh key."""
        from problemspace.workspaces.tokens import create_token

        _, key = create_token(user, "tests")
        return {"Authorization": f"Bearer {key}"}
