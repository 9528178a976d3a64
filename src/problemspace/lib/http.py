"""Request types for views, so mypy knows what `request.user` is behind `@login_required`."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """A request that `@login_required` has let through: `user` is a real, signed-in User."""

    user: User
