"""Configuration mistakes that Django's own checks cannot see, reported by `manage check --deploy`.

Invitation and password-reset emails link to SITE_URL, so a SITE_URL that the server does not
answer to, or one on plain http behind HTTPS, sends people to a page that fails.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.http.request import validate_host


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            Error(
                f"PROBLEMSPACE_SITE_URL is {settings.SITE_URL!r}, not a web address.",
                hint="Set it to the address people open, e.g. https://problemspace.example.com.",
                id="problemspace.E001",
            )
        ]
    messages: list[CheckMessage] = []
    if not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        messages.append(
            Warning(
                f"Links in emails go to {parts.hostname} (PROBLEMSPACE_SITE_URL), which is not "
                "among the host names this server answers to.",
                hint="Add it to PROBLEMSPACE_ALLOWED_HOSTS, or correct PROBLEMSPACE_SITE_URL.",
                id="problemspace.W001",
            )
        )
    if settings.HTTPS and parts.scheme != "https":
        messages.append(
            Warning(
                f"The server is set up for HTTPS, but PROBLEMSPACE_SITE_URL is "
                f"{settings.SITE_URL}, so links in emails start with http://.",
                hint="Set PROBLEMSPACE_SITE_URL to the https:// address people open.",
                id="problemspace.W002",
            )
        )
    return messages
