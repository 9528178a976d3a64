"""API keys: made once, stored as a hash, checked in constant time by looking up the hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from problemspace.workspaces.models import ApiToken

PREFIX = "ps_"
# Writing last_used_at on every request would make every API read a write.
TOUCH_EVERY = timedelta(minutes=5)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the key is returned this once and never stored."""
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:80] or "API key", prefix=key[:10], key_hash=_hash(key)
    )
    return token, key


def user_for_key(key: str) -> User | None:
    """The active user a key belongs to, or None for an unknown, revoked or malformed key."""
    if not key.startswith(PREFIX) or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
