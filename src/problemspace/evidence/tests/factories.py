"""Small builders for test data, so each test states only the fields it is about."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Evidence, EvidenceTag, Tag
from problemspace.workspaces.models import Workspace

# A fixed "now" keeps dates in assertions readable and the tests independent of the clock.
BASE_TIME = datetime(2025, 3, 15, 12, 0, tzinfo=UTC)


def make_account(workspace: Workspace, name: str, **fields: Any) -> Account:
    return Account.objects.create(workspace=workspace, name=name, **fields)


def make_contact(workspace: Workspace, email: str, **fields: Any) -> Contact:
    return Contact.objects.create(workspace=workspace, email=email, **fields)


def make_evidence(
    workspace: Workspace, text: str = "It is slow.", *, tags: Sequence[str] = (), **fields: Any
) -> Evidence:
    fields.setdefault("occurred_at", BASE_TIME)
    evidence = Evidence.objects.create(workspace=workspace, text=text, **fields)
    for name in tags:
        tag, _ = Tag.objects.get_or_create(workspace=workspace, name=name)
        EvidenceTag.objects.create(evidence=evidence, tag=tag)
    return evidence
