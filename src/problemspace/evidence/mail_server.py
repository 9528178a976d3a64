"""The SMTP receiver behind `problemspace mail-in`: a team's mail server relays customer emails
(or a member forwards them) to `<workspace>@<domain>`, and each becomes evidence.

aiosmtpd speaks SMTP; this handler decides. A recipient that is no workspace is refused at
RCPT, before any data is sent; a message too large is refused by the server (552) before it is
read; a message that cannot be read, or whose items are not valid, is refused with the reason
and nothing of it is stored, for any recipient.
"""

from __future__ import annotations

import logging
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.db import connections, transaction

from problemspace.evidence.capture import CaptureError
from problemspace.evidence.mail import MAX_MESSAGE_BYTES, MailError, read_message
from problemspace.evidence.mail_in import store_mail
from problemspace.workspaces.lookups import members_by_email
from problemspace.workspaces.models import Workspace

logger = logging.getLogger(__name__)


class MailIn:
    """The aiosmtpd handler: recipients are workspaces, messages become their evidence."""

    def __init__(self, domain: str = "") -> None:
        self.domain = domain.lower().strip()

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        slug = await sync_to_async(self._recipient)(address)
        if slug is None:
            return f"550 5.1.1 No workspace receives mail at {address}"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        return str(await sync_to_async(self._store)(list(envelope.rcpt_tos), raw))

    def _recipient(self, address: str) -> str | None:
        try:
            return self._workspace_slug(address)
        finally:
            # The receiver's thread keeps no connection between messages: a database restart
            # never leaves it a dead one, and a test database can always be dropped.
            connections.close_all()

    def _workspace_slug(self, address: str) -> str | None:
        # Never closes the connection: it runs inside _store's transaction too.
        local, _, domain = address.strip().strip("<>").rpartition("@")
        if not local or (self.domain and domain.lower() != self.domain):
            return None
        slug = local.lower()
        return slug if Workspace.objects.filter(slug=slug).exists() else None

    def _store(self, recipients: list[str], raw: bytes) -> str:
        stored: list[str] = []
        try:
            with transaction.atomic():
                for address in recipients:
                    slug = self._workspace_slug(address)
                    workspace = Workspace.objects.filter(slug=slug).first() if slug else None
                    if workspace is None:
                        raise MailError(f"no workspace receives mail at {address} any more")
                    members = members_by_email(workspace.pk)
                    mail = read_message(raw, members)
                    if not mail.items:
                        raise MailError("it holds no words from a customer")
                    result = store_mail(workspace, mail, members)
                    stored.append(
                        f"{result.created} new in {workspace.slug}"
                        + (f" ({result.unchanged} already there)" if result.unchanged else "")
                    )
        except MailError as exc:
            return f"550 5.6.0 Not stored: {_one_line(str(exc))}"
        except CaptureError as exc:
            return f"550 5.6.0 Not stored: {_one_line(str(exc))}"
        except Exception:
            # The database or the disk failed us, not the message: the sending server keeps it
            # and tries again later, so nothing is lost.
            logger.exception("mail-in could not store a message")
            return "451 4.3.0 Not stored this time; try again later"
        finally:
            connections.close_all()
        return "250 2.0.0 Stored: " + "; ".join(stored)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:400]


def controller(host: str, port: int, domain: str = "") -> Controller:
    """The receiver, ready to start(): it listens on `host`:`port` in a thread of its own."""
    kwargs: dict[str, Any] = {"data_size_limit": MAX_MESSAGE_BYTES, "decode_data": False}
    return Controller(MailIn(domain), hostname=host, port=port, **kwargs)
