"""The demo's brief, made when a synthesis of the demo finishes (see demo.py). A failure is
logged, never raised: it must not fail the synthesis that triggered it."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from problemspace.problems.models import RunStatus, SynthesisRun

logger = logging.getLogger(__name__)


def _after_synthesis(sender: type[SynthesisRun], instance: SynthesisRun, **kwargs: Any) -> None:
    if instance.status != RunStatus.DONE:
        return
    from problemspace.briefs import demo

    try:
        # A savepoint: on PostgreSQL a failed query would otherwise spoil the caller's
        # transaction even though the error is caught.
        with transaction.atomic():
            demo.brief_after_synthesis(instance.workspace_id)
    except Exception:
        logger.exception("Could not make the demo brief of workspace %s", instance.workspace_id)


def connect() -> None:
    post_save.connect(_after_synthesis, sender=SynthesisRun, dispatch_uid="briefs-demo")
