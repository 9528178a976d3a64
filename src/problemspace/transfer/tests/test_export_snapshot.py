from __future__ import annotations

import json

import pytest
from django.db import connection

from problemspace.evidence.models import Evidence
from problemspace.transfer.tests.builders import T0, export_text
from problemspace.workspaces.models import Workspace


@pytest.mark.django_db(transaction=True)
def test_it_exports_from_one_snapshot_outside_a_transaction() -> None:
    # Outside a test transaction, PostgreSQL exports in a read-only REPEATABLE READ one and
    # SQLite in none; both must give the whole workspace and leave no transaction open.
    workspace = Workspace.objects.create(name="Snap", slug="snap")
    Evidence.objects.bulk_create(
        Evidence(workspace=workspace, text=f"item {n}", occurred_at=T0) for n in range(2000)
    )
    document = json.loads(export_text(workspace))
    assert [item["text"] for item in document["evidence"]] == [f"item {n}" for n in range(2000)]
    assert not connection.in_atomic_block
    Evidence.objects.create(workspace=workspace, text="after", occurred_at=T0)
