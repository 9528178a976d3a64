"""One HTTP POST to a receiver, with a short timeout, never following redirects.

Only the background worker calls this, so a receiver that hangs or fails costs a worker a few
seconds and never a person's request. Addresses on private, loopback and link-local networks
are refused unless PROBLEMSPACE_WEBHOOKS_ALLOW_PRIVATE is set: a workspace owner must not be
able to make the server probe its own network.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from problemspace import __version__

USER_AGENT = f"problemspace-webhooks/{__version__}"
EXCERPT = 500


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None = None
    excerpt: str = ""
    error: str = ""
    duration_ms: int = 0


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is reported as the 3xx it is: following it would resend a signed body to an
    address the owner never entered."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects())


def refused_address(url: str) -> str:
    """Why `url` may not be called (an empty string when it may)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return "Only http:// and https:// addresses can receive webhooks."
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return ""
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return f"The host {parts.hostname} could not be found."
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            return (
                f"{parts.hostname} is on a private network ({address}). Your administrator "
                "can allow such addresses with PROBLEMSPACE_WEBHOOKS_ALLOW_PRIVATE=true."
            )
    return ""


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
    """POST `body` as JSON; a 2xx answer is success, anything else (or no answer) is not."""
    refused = refused_address(url)
    if refused:
        return Outcome(ok=False, error=refused)
    request = urllib.request.Request(  # noqa: S310 (http and https only, checked above)
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
    )
    started = time.monotonic()
    try:
        with _opener.open(request, timeout=timeout) as response:
            excerpt = _excerpt(response.read(EXCERPT))
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        excerpt = _error_body(exc)
        error = f"The receiver answered HTTP {exc.code}."
        return Outcome(False, exc.code, excerpt, error, _since(started))
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError):
            error = f"No answer within {timeout:g} seconds."
        else:
            error = f"Could not connect: {reason}"[:EXCERPT]
        return Outcome(False, None, "", error, _since(started))
    ok = 200 <= status < 300
    error = "" if ok else f"The receiver answered HTTP {status}."
    return Outcome(ok, status, excerpt, error, _since(started))


def _error_body(exc: urllib.error.HTTPError) -> str:
    """The start of an error answer's body; an answer without one (or cut off) gives ""."""
    try:
        excerpt = _excerpt(exc.read(EXCERPT))
        exc.close()
    except (OSError, ValueError, AttributeError, http.client.HTTPException):
        return ""
    return excerpt


def _excerpt(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")[:EXCERPT]


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
