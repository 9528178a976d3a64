"""Sending one portal email, in plain text and HTML, through Django's email framework."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def send(
    to: str,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
    connection: BaseEmailBackend | None = None,
) -> bool:
    """Render `template` (.txt, .html, _subject.txt) and send it; False when sending failed."""
    context = {**context, "site_url": site_url()}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send %s to a portal visitor", template)
        return False
    return True
