"""The committed OpenAPI document (docs/openapi.json) is the one the code generates.

Other tools are built against the committed copy; when a route or a schema changes, this test
fails until the copy is regenerated with:

    problemspace manage export_openapi_schema --api problemspace.api.api --indent 2 \
        --sorted --output docs/openapi.json
"""

from __future__ import annotations

import json
from pathlib import Path

from django.test import SimpleTestCase

from problemspace.api import api

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


class OpenApiDocumentTestCase(SimpleTestCase):
    def test_the_committed_copy_is_current(self) -> None:
        generated = json.loads(json.dumps(api.get_openapi_schema(), sort_keys=True))
        committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
        self.assertEqual(
            generated,
            committed,
            "docs/openapi.json is out of date: regenerate it (see this test's docstring).",
        )
