"""Importing evidence from CSV and JSON Lines exports of other tools.

The pipeline, one module a stage: `sniff` (encoding, delimiter, what kind of file) →
`readers` (records with their line numbers, streamed) → `fields` (column mapping) → `rows`
(validation into clean values) → `writer` (accounts, contacts, tags and evidence in batches) →
`service` (one transaction per file, the report).
"""

from problemspace.evidence.importing.options import ImportOptions
from problemspace.evidence.importing.report import ImportReport, RowError
from problemspace.evidence.importing.service import ImportFileError, import_evidence

__all__ = ["ImportFileError", "ImportOptions", "ImportReport", "RowError", "import_evidence"]
