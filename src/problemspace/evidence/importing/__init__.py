"""Importing evidence from CSV and JSON Lines exports of other tools.

The pipeline, one module a stage: `sniff` (encoding, delimiter, what kind of file) →
`readers` (records with their line numbers, streamed) → `sources` (the tool an export comes
from) and `layout` (which column fills which field, decided from the first records and shown
before anything is written) → `rows`
(validation into clean values) → `writer` (accounts, contacts, tags and evidence in batches) →
`service` (one transaction per file, the report).
"""

from problemspace.evidence.importing.options import ImportOptions
from problemspace.evidence.importing.report import ImportReport, RowError
from problemspace.evidence.importing.service import ImportFileError, import_evidence, preview

__all__ = [
    "ImportFileError",
    "ImportOptions",
    "ImportReport",
    "RowError",
    "import_evidence",
    "preview",
]
