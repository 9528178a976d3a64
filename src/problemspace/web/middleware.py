"""Headers added to every response: how long the server took, and what the page may load."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


class ServerTimingMiddleware:
    """Report how long the server spent on each response, in the standard Server-Timing header.

    Browsers' developer tools show it next to each request, and load tests read it to tell the
    server's own time from time spent queueing or on the network.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response


class CspNonce:
    """A per-response nonce, made only when a template asks for it (`{{ request.csp_nonce }}`).

    Server-drawn charts carry their own <style> element; the nonce lets exactly those through
    while every other inline style and script stays blocked.
    """

    def __init__(self) -> None:
        self.value = ""

    def __str__(self) -> str:
        if not self.value:
            self.value = secrets.token_urlsafe(18)
        return self.value


class ContentSecurityPolicyMiddleware:
    """Send a strict Content-Security-Policy with every response.

    Only our own origin may provide scripts, styles, images (and data: images), frames may not
    embed our pages, and forms may only post back to us. Pages therefore carry no inline script
    or style: behaviour lives in static files. That holds for the interactive API docs too:
    django-ninja's Swagger UI page starts from a static script (swagger-ui-init.js) that reads
    its settings from a JSON block, and sets styles through the DOM, which the policy allows;
    it was checked in Chromium (browsing, "Try it out", authorizing) with no violation, so
    /api/docs needs no exception.
    """

    POLICY = {
        "default-src": "'self'",
        "img-src": "'self' data:",
        "style-src": "'self'",
        "script-src": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'self'",
        "object-src": "'none'",
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        nonce = CspNonce()
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy(nonce.value)
        return response

    def policy(self, nonce: str) -> str:
        directives = dict(self.POLICY)
        if nonce:
            directives["style-src"] = f"'self' 'nonce-{nonce}'"
        return "; ".join(f"{name} {value}" for name, value in directives.items())
