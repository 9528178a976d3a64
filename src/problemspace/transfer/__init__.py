"""Moving a workspace out and back in: a lossless JSON export and its restore, and evidence as CSV.

Plain modules rather than a Django app: transfer owns no models, it reads and writes those of
the domain apps. The format is described in docs/export-format.md.
"""

from __future__ import annotations

from problemspace.transfer.detect import is_workspace_export
from problemspace.transfer.errors import ExportError, RestoreError
from problemspace.transfer.evidence_csv import CSV_COLUMNS, export_evidence_csv
from problemspace.transfer.export import ExportSummary, export_workspace
from problemspace.transfer.restore import RestoreSummary, restore_workspace
from problemspace.transfer.schema import FORMAT, VERSION

__all__ = [
    "CSV_COLUMNS",
    "FORMAT",
    "VERSION",
    "ExportError",
    "ExportSummary",
    "RestoreError",
    "RestoreSummary",
    "export_evidence_csv",
    "export_workspace",
    "is_workspace_export",
    "restore_workspace",
]
