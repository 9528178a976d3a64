"""Finding the sign-in of a restored member, or creating one that must reset its password."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model

from problemspace.transfer.errors import RestoreError

if TYPE_CHECKING:
    from django.contrib.auth.models import User
else:
    User = get_user_model()


class UserMatcher:
    """Matches members of an export to users of this installation by email, ignoring case.

    People sign in with their email here (it is also their username), so the email is what
    identifies a person across installations; a member exported without an email is matched
    by username. Users created here get no usable password, so nobody can sign in as them until
    they reset it by email.
    """

    def __init__(self) -> None:
        self.created: list[str] = []

    def find_or_create(self, values: dict[str, Any], where: str) -> User:
        email: str = values["user__email"]
        username: str = values["user__username"]
        if not email and not username:
            raise RestoreError(f"{where} has neither an email nor a username; it needs one.")
        user = self._find(email, username)
        if user is None:
            user = self._create(values, email, username, where)
        return user

    @staticmethod
    def _find(email: str, username: str) -> User | None:
        if not email:
            return User.objects.filter(username=username).first()
        candidates = list(User.objects.filter(email__iexact=email).order_by("pk")[:10])
        # Several users may share an email; the one who signs in with it is the person.
        for candidate in candidates:
            if candidate.username.lower() == email.lower():
                return candidate
        for candidate in candidates:
            if candidate.username == username:
                return candidate
        return candidates[0] if candidates else None

    def _create(self, values: dict[str, Any], email: str, username: str, where: str) -> User:
        for name in (username, email):
            if name and not User.objects.filter(username__iexact=name).exists():
                break
        else:
            raise RestoreError(
                f"{where} is {email or username!r}, who has no sign-in here, and the username"
                f" {username!r} belongs to someone else; rename one of them and try again."
            )
        user = User(
            username=name,
            email=email,
            first_name=values["user__first_name"],
            last_name=values["user__last_name"],
            date_joined=values["user__date_joined"],
        )
        user.set_unusable_password()
        user.save()
        self.created.append(email or name)
        return user
