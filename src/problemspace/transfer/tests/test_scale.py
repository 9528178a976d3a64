from __future__ import annotations

import io
import json
import tracemalloc

import pytest

from problemspace.evidence.models import Evidence, EvidenceTag
from problemspace.transfer import restore_workspace
from problemspace.workspaces.models import Workspace


def synthetic_export(items: int) -> bytes:
    """A valid export of `items` evidence items, written without a database."""
    out = io.StringIO()
    out.write(
        '{"format": "problemspace-workspace", "version": 1,'
        ' "exported_at": "2025-06-01T00:00:00+00:00",\n"workspace": {"name": "Big",'
        ' "slug": "big", "created_at": "2024-01-01T00:00:00+00:00"},\n"members": [],\n'
        '"accounts": [{"id": 1, "name": "Globex", "segment": "", "plan": "", "revenue": "10.00",'
        ' "region": "", "lifecycle": "customer", "created_at": "2024-01-01T00:00:00+00:00"}],\n'
        '"contacts": [],\n"tags": [{"id": 1, "name": "pricing"}],\n"evidence": ['
    )
    for n in range(1, items + 1):
        item = {
            "id": n,
            "text": f"Customer {n} said something at some length about a problem. " * 4,
            "occurred_at": f"2025-01-01T00:00:{n % 60:02d}+00:00",
            "channel": "support",
            "account": 1,
            "contact": None,
            "captured_by": None,
            "provenance": "first_hand",
            "relayed_by": "",
            "source": "bench",
            "external_id": f"T{n}",
            "source_url": "",
            "tags": [1] if n % 3 == 0 else [],
            "created_at": "2025-01-02T00:00:00+00:00",
        }
        out.write(("\n" if n == 1 else ",\n") + json.dumps(item))
    out.write("\n]\n}\n")
    return out.getvalue().encode()


@pytest.mark.slow
@pytest.mark.django_db
def test_restore_memory_does_not_grow_with_the_file() -> None:
    peaks = []
    for items in (4_000, 12_000):
        workspace = Workspace.objects.create(name=f"Big {items}", slug=f"big-{items}")
        data = synthetic_export(items)
        tracemalloc.start()
        restore_workspace(workspace, io.BytesIO(data))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert Evidence.objects.filter(workspace=workspace).count() == items
        assert EvidenceTag.objects.filter(evidence__workspace=workspace).count() == items // 3
    # Three times the items, nearly the same peak: one batch at a time is held, not the file.
    assert peaks[1] < peaks[0] * 1.3
