"""Storing customer emails as evidence, whether they arrive over SMTP (`problemspace mail-in`)
or as .eml and mbox files (`problemspace import`).

Each item of a message (mail.py reads them) is stored through capture: the same validation,
matching and all-or-nothing writing as any other evidence. The message id makes delivery safe
to repeat: a message sent twice, or an mbox imported twice, is stored once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from problemspace.customers.matching import account_for_email
from problemspace.evidence.capture import Captured, capture, capture_in
from problemspace.evidence.mail import Mail
from problemspace.evidence.models import Channel, Provenance
from problemspace.workspaces.models import Member, Workspace

SOURCE = "email"


@dataclass(frozen=True)
class Stored:
    created: int
    unchanged: int
    account: str  # the account the sender's domain pointed to, or ""


def store_mail(workspace: Workspace, mail: Mail, members: dict[str, Member]) -> Stored:
    """Store the message's items in `workspace`; a forward by a member is captured by them
    (and placed among the problems as they are)."""
    if not mail.items:
        return Stored(0, 0, "")
    customer = mail.customer
    account = account_for_email(workspace.pk, customer.email) if customer.email else None
    sent_at = _aware(mail.sent_at) if mail.sent_at else timezone.now()
    key = (
        mail.message_id
        or "sha1:"
        + hashlib.sha1(
            "\x1f".join(
                [customer.email, sent_at.isoformat(), *(i.text for i in mail.items)]
            ).encode(),
            usedforsecurity=False,
        ).hexdigest()
    )
    records: list[dict[str, Any]] = []
    for n, item in enumerate(mail.items, start=1):
        record: dict[str, Any] = {
            "text": item.text,
            "occurred_at": min(sent_at, timezone.now()).isoformat(),
            "channel": Channel.EMAIL,
            "external_id": f"{key}#{n}" if len(mail.items) > 1 else key,
            "contact_email": customer.email,
            "contact_name": customer.name,
            "account": account.name if account else "",
        }
        if mail.relayed_by:
            record["provenance"] = Provenance.RELAYED
            record["relayed_by"] = mail.relayed_by.label[:200]
        records.append(record)
    forwarder = members.get(mail.relayed_by.email) if mail.relayed_by else None
    captured: Captured
    if forwarder is not None:
        captured = capture(forwarder, records, source=SOURCE)
    else:
        captured = capture_in(workspace, records, source=SOURCE)
    return Stored(captured.created, captured.unchanged, account.name if account else "")


def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
