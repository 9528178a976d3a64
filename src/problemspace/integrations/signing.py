"""Signing deliveries, in the style of Stripe's and Standard Webhooks' schemes.

Header `Problemspace-Signature: t=<unix seconds>,v1=<hex>` where the hex is
HMAC-SHA256(key=the endpoint's secret as UTF-8, message=f"{t}.".encode() + raw body). The
timestamp inside the signed message lets a receiver refuse old replays; `v1` names the scheme
so a second one can be added next to it during a change.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Problemspace-Signature"
ID_HEADER = "Problemspace-Delivery-Id"
EVENT_HEADER = "Problemspace-Event"
TOLERANCE_SECONDS = 300


class BadSignature(ValueError):
    pass


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return mac.hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> int:
    """Check a signature header against the raw body; the signed timestamp if it is good.

    The same check a receiver makes (docs/integrations.md shows it standalone).
    """
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        raise BadSignature("The signature header has no timestamp.") from None
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        raise BadSignature("The signature is too old (or from the future).")
    expected = sign(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, given) for given in parts.get("v1", [])):
        raise BadSignature("The signature does not match the body.")
    return timestamp
