"""What the web layer keeps in the database: the rate limiter's buckets."""

from __future__ import annotations

from django.db import models


class TokenBucket(models.Model):
    """How many more attempts one key (an address, a username, a workspace) has in one scope.

    The key itself is stored as a hash: the table says that someone was limited, not which
    address or email it was.
    """

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key_hash"], name="token_bucket_unique_key")
        ]
        indexes = [models.Index(fields=["scope", "updated_at"], name="token_bucket_age")]

    def __str__(self) -> str:
        return f"{self.scope}: {self.tokens:.2f} left"
