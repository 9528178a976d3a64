"""Adding a few evidence items at once: the quick-capture form, pasted notes, the API.

The same validation and writing as a file import (importing.rows and importing.writer), so an
item pushed by another tool, typed in a form or imported from a file obeys one set of rules,
matches accounts and contacts the same way, and is recognised when it arrives again: an item
with the same source and external id (or, without one, the same text, date and customer) is
not stored twice. All items of one call are stored, or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from problemspace.evidence.importing.options import ImportOptions
from problemspace.evidence.importing.report import ImportReport, RowError
from problemspace.evidence.importing.rows import Row, RowValidator, fingerprint
from problemspace.evidence.importing.writer import EvidenceWriter
from problemspace.evidence.models import Evidence
from problemspace.evidence.signals import evidence_captured
from problemspace.integrations import events
from problemspace.workspaces.models import Member, Workspace

DEFAULT_SOURCE = "manual"


class CaptureError(ValueError):
    """Some items are invalid; nothing was stored. `errors` says which (line = item number)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Captured:
    evidence: list[Evidence] = field(default_factory=list)  # in the order given
    created: int = 0
    unchanged: int = 0


def capture(
    member: Member, records: Sequence[dict[str, Any]], *, source: str = DEFAULT_SOURCE
) -> Captured:
    """Validate every record (field -> value, as an import row), then store them together.

    A record without a date is dated now; without captured_by it is captured by `member`.
    Item numbers in errors count from 1. New items are announced (evidence.signals), and the
    problems app places them.
    """
    captured = capture_in(member.workspace, records, source=source, captured_by=member)
    if captured.created:
        evidence_captured.send(sender=Member, member=member, evidence=captured.evidence)
    return captured


def capture_in(
    workspace: Workspace,
    records: Sequence[dict[str, Any]],
    *,
    source: str = DEFAULT_SOURCE,
    captured_by: Member | None = None,
) -> Captured:
    """`capture` for items no member captured, such as what a customer posted on the portal
    themselves (`captured_by` None): the same rules, the same matching, all or nothing."""
    now = timezone.now()
    validator = RowValidator(ImportOptions(source=source), source, now)
    rows: list[Row] = []
    errors: list[RowError] = []
    seen: set[tuple[str, str]] = set()
    for number, record in enumerate(records, start=1):
        by = captured_by.user.email if captured_by is not None else ""
        raw = {"occurred_at": now.isoformat(), "captured_by": by, **record}
        if not raw.get("occurred_at"):
            raw["occurred_at"] = now.isoformat()
        row, problems = validator.validate(number, raw)
        errors.extend(problems)
        if row is None:
            continue
        if not row.external_id:
            row = row._replace(external_id=fingerprint(row))
        if (row.source, row.external_id) in seen:
            continue  # the same item twice in one call: stored once
        seen.add((row.source, row.external_id))
        rows.append(row)
    if errors:
        raise CaptureError(errors)
    report = ImportReport(path="", source=source)
    with transaction.atomic():
        writer = EvidenceWriter(workspace, report, dry_run=False)
        writer.write(rows)
    stored = {
        (e.source, e.external_id): e
        for e in Evidence.objects.filter(
            workspace=workspace,
            source__in={row.source for row in rows},
            external_id__in=[row.external_id for row in rows],
        ).select_related("account", "contact")
    }
    captured = Captured(
        evidence=[stored[(row.source, row.external_id)] for row in rows],
        created=report.created,
        unchanged=report.unchanged,
    )
    _announce(workspace, captured, source, since=now)
    return captured


def _announce(workspace: Workspace, captured: Captured, source: str, *, since: datetime) -> None:
    """Tell webhooks about the items this call added (not those already there): one
    evidence.added each, or one evidence.imported with counts for a large push."""
    new = [e for e in captured.evidence if e.created_at >= since]
    if len(new) > events.MAX_ITEM_EVENTS:
        events.emit(
            workspace.pk,
            events.EVIDENCE_IMPORTED,
            {
                "filename": "",
                "source": source,
                "rows": len(captured.evidence),
                "created": len(new),
                "unchanged": captured.unchanged,
                "url": events.link("evidence:inbox", workspace.slug),
            },
        )
        return
    events.emit_many(workspace.pk, events.EVIDENCE_ADDED, [_payload(workspace, e) for e in new])


def _payload(workspace: Workspace, evidence: Evidence) -> dict[str, Any]:
    return {
        "evidence": {
            "id": evidence.pk,
            "text": evidence.text,
            "channel": evidence.channel,
            "provenance": evidence.provenance,
            "source": evidence.source,
            "external_id": evidence.external_id,
            "occurred_at": evidence.occurred_at,
            "account": evidence.account.name if evidence.account else None,
            "contact": evidence.contact.name if evidence.contact else None,
            "url": events.link("evidence:detail", workspace.slug, evidence.pk),
        }
    }
