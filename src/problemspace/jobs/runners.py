"""What each kind of job does: the same service functions the CLI calls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage

from problemspace.evidence.importing import (
    ImportFileError,
    ImportOptions,
    ImportReport,
    import_evidence,
)
from problemspace.jobs.models import Job, Kind
from problemspace.jobs.progress import JobProgress
from problemspace.problems import services as problem_services

# Errors shown to people as they are (their messages are written for them).
USER_ERRORS: tuple[type[Exception], ...] = (ImportFileError,)


class Outcome:
    def __init__(self, message: str, result: dict[str, Any], failed: bool = False) -> None:
        self.message = message
        self.result = result
        self.failed = failed


def import_options(params: dict[str, Any]) -> ImportOptions:
    """An import job's parameters (as the upload page and its preview set them) as options."""
    dayfirst = params.get("dayfirst")
    return ImportOptions(
        mapping=dict(params.get("mapping") or {}),
        ignore=tuple(params.get("ignore") or ()),
        source=params.get("source") or None,
        channel=params.get("channel") or "",
        provenance=params.get("provenance") or "",
        relayed_by=params.get("relayed_by") or "",
        score_scale=params.get("score_scale") or "",
        # True or False when a person chose; None: read from the file's dates.
        dayfirst=True if dayfirst is True else False if dayfirst is False else None,
    )


def run_import(job: Job, progress: JobProgress) -> Outcome:
    params = job.params
    stored = params["stored_name"]
    options = import_options(params)
    progress.stage("reading and checking rows")
    try:
        report = import_evidence(
            job.workspace,
            Path(default_storage.path(stored)),
            options,
            progress=lambda done, total: progress.set(done, total),
            shown_name=params.get("filename") or "",
        )
    finally:
        # The upload has served its purpose, imported or refused; the report keeps what matters.
        default_storage.delete(stored)
    result = {
        "file": params.get("filename", ""),
        "rows": report.rows,
        "created": report.created,
        "unchanged": report.unchanged,
        "accounts_created": report.accounts_created,
        "contacts_created": report.contacts_created,
        "error_count": report.error_count,
        "errors": [
            {
                "line": e.line,
                "field": e.field,
                "column": _column(report, e.field),
                "reason": e.reason,
            }
            for e in report.errors[:50]
        ],
    }
    name = params.get("filename") or "the file"
    if not report.ok:
        return Outcome(
            f"Nothing was imported: {report.error_count:,} row(s) of {name} need fixing "
            "(listed below). Correct them and upload the file again.",
            result,
            failed=True,
        )
    return Outcome(
        f"Imported {report.created:,} new evidence item(s) from {name}"
        f" ({report.unchanged:,} already there).",
        result,
    )


def _column(report: ImportReport, field: str) -> str:
    """The file's own name for the column a field came from, when it is not the field's."""
    column = report.columns.get(field, "")
    return "" if column == field else column


def run_synthesis(job: Job, progress: JobProgress) -> Outcome:
    hooks = problem_services.Progress(
        start_embedding=lambda total: progress.stage("embedding evidence", total),
        embedded=progress.advance,
        stage=lambda name: progress.stage(name),
    )
    run = problem_services.synthesize_workspace(
        job.workspace,
        full=bool(job.params.get("full")),
        granularity=job.params.get("granularity") or None,
        progress=hooks,
    )
    counts = run.counts
    message = (
        f"Synthesized {counts.get('items', 0):,} evidence item(s) into "
        f"{counts.get('problems', 0):,} problem(s)"
        + (
            f", {counts['candidates']:,} new-problem candidate(s)"
            if counts.get("candidates")
            else ""
        )
        + "."
    )
    return Outcome(message, {"run": run.pk, "counts": counts, "notes": run.notes})


def run_refresh(job: Job, progress: JobProgress) -> Outcome:
    from problemspace.problems.edits import CachedFirstEmbedder

    run = problem_services.synthesize_workspace(
        job.workspace,
        refresh_only=True,
        embedder=CachedFirstEmbedder(job.workspace),
        progress=problem_services.Progress(stage=lambda name: progress.stage(name)),
    )
    return Outcome(
        "Titles, quotes and scores of the problems are up to date with your edits.",
        {"run": run.pk, "counts": run.counts, "notes": run.notes},
    )


RUNNERS: dict[str, Callable[[Job, JobProgress], Outcome]] = {
    Kind.IMPORT: run_import,
    Kind.SYNTHESIS: run_synthesis,
    Kind.REFRESH: run_refresh,
}
