"""Rate limits kept in the database: a token bucket per (scope, key), no extra service needed.

Each key starts with `capacity` tokens; every allowed attempt takes one, and tokens flow back at
`capacity / per_seconds` a second, up to `capacity`. So "10 per 15 minutes" allows a burst of 10
and then one more every 90 seconds. A bucket is read and written inside one transaction, with
the row locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions hold the
write lock from the start), so two requests at once never both spend the last token.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from problemspace.web.models import TokenBucket


@dataclass(frozen=True)
class Decision:
    allowed: bool
    # Seconds until the next attempt would be allowed; 0 when this one was.
    retry_after: float = 0.0

    @property
    def retry_minutes(self) -> int:
        """Whole minutes to wait, rounded up, for a message to the person."""
        return max(1, math.ceil(self.retry_after / 60))


@dataclass(frozen=True)
class Limit:
    """A named rate: `capacity` attempts per `per_seconds`, counted separately for each key."""

    scope: str
    capacity: int
    per_seconds: int

    def take(self, key: str) -> Decision:
        return take(self.scope, key, self.capacity, self.per_seconds)

    def peek(self, key: str) -> Decision:
        return peek(self.scope, key, self.capacity, self.per_seconds)


def _key_hash(key: str) -> str:
    # Hashed with the secret key, so a copy of the table cannot be matched against a list of
    # addresses or emails.
    material = f"{settings.SECRET_KEY}\x00{key}".encode()
    return hashlib.sha256(material).hexdigest()


def _check(capacity: int, per_seconds: float) -> float:
    if capacity < 1 or per_seconds <= 0:
        raise ValueError("A rate limit needs a capacity of at least 1 and a positive period.")
    return capacity / per_seconds


def _refilled(bucket: TokenBucket, capacity: int, rate: float, now: datetime) -> float:
    elapsed = max(0.0, (now - bucket.updated_at).total_seconds())
    return min(float(capacity), bucket.tokens + elapsed * rate)


def take(scope: str, key: str, capacity: int, per_seconds: float) -> Decision:
    """Spend one token of the bucket (scope, key) if it has one; say when it will otherwise."""
    rate = _check(capacity, per_seconds)
    key_hash = _key_hash(key)
    now = timezone.now()
    with transaction.atomic():
        bucket = (
            TokenBucket.objects.select_for_update().filter(scope=scope, key_hash=key_hash).first()
        )
        if bucket is None:
            # A bucket untouched for a whole period is full again, the same as no bucket: drop
            # those of this scope while here, so the table holds only keys that are limited.
            stale = now - timedelta(seconds=per_seconds)
            TokenBucket.objects.filter(scope=scope, updated_at__lt=stale).delete()
            try:
                with transaction.atomic():
                    TokenBucket.objects.create(
                        scope=scope, key_hash=key_hash, tokens=capacity - 1, updated_at=now
                    )
                return Decision(True)
            except IntegrityError:
                # Another request created it between our read and our insert.
                bucket = TokenBucket.objects.select_for_update().get(scope=scope, key_hash=key_hash)
        tokens = _refilled(bucket, capacity, rate, now)
        if tokens < 1:
            # A refused attempt costs nothing, so waiting the time we name is always enough.
            return Decision(False, (1 - tokens) / rate)
        bucket.tokens = tokens - 1
        bucket.updated_at = now
        bucket.save(update_fields=["tokens", "updated_at"])
        return Decision(True)


def peek(scope: str, key: str, capacity: int, per_seconds: float) -> Decision:
    """Whether `take` would allow an attempt now, without spending anything.

    Sign-in checks this before trying a password and takes a token only when the password was
    wrong, so people who type theirs correctly are never limited.
    """
    rate = _check(capacity, per_seconds)
    bucket = TokenBucket.objects.filter(scope=scope, key_hash=_key_hash(key)).first()
    if bucket is None:
        return Decision(True)
    tokens = _refilled(bucket, capacity, rate, timezone.now())
    if tokens < 1:
        return Decision(False, (1 - tokens) / rate)
    return Decision(True)


def allow(scope: str, key: str, capacity: int, per_seconds: float) -> bool:
    """True when an attempt for `key` in `scope` is within `capacity` per `per_seconds`."""
    return take(scope, key, capacity, per_seconds).allowed


def client_ip(request: HttpRequest) -> str:
    """The address the request came from.

    Behind a reverse proxy (PROBLEMSPACE_BEHIND_PROXY) REMOTE_ADDR is the proxy's; the proxy
    appends the real client to X-Forwarded-For, so its last entry is the one to trust (earlier
    ones are whatever the client sent).
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", ""))
