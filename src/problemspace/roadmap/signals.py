"""Keeping initiatives' scores true to the evidence when it changes elsewhere.

A synthesis (full, incremental, or the refresh after a PM's edit) moves evidence between
problems; an experiment validates or kills an assumption about a linked problem. Either changes
what an initiative's score is made of, so its figures are counted again then. A failure here is
logged, never raised: it must not fail the synthesis or the experiment that triggered it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from problemspace.hypotheses.models import Hypothesis
from problemspace.problems.models import RunStatus, SynthesisRun

logger = logging.getLogger(__name__)


def _after_synthesis(sender: type[SynthesisRun], instance: SynthesisRun, **kwargs: Any) -> None:
    if instance.status != RunStatus.DONE:
        return
    from problemspace.roadmap import demo, services

    try:
        # A savepoint: on PostgreSQL a failed query would otherwise spoil the caller's
        # transaction even though the error is caught.
        with transaction.atomic():
            demo.link_after_synthesis(instance.workspace_id)
            services.refresh_workspace(instance.workspace_id)
    except Exception:
        logger.exception("Could not recount the roadmap of workspace %s", instance.workspace_id)


def _after_decision(
    sender: type[Hypothesis], instance: Hypothesis, update_fields: Any = None, **kwargs: Any
) -> None:
    # Status moves save only status and updated_at; other saves leave the counts as they were.
    if update_fields is not None and "status" not in update_fields:
        return
    from problemspace.roadmap import services

    try:
        with transaction.atomic():
            problems = instance.problems.values_list("pk", flat=True)
            services.refresh_for_problems(list(problems))
    except Exception:
        logger.exception("Could not recount initiatives after assumption %s", instance.pk)


def connect() -> None:
    post_save.connect(_after_synthesis, sender=SynthesisRun, dispatch_uid="roadmap-synthesis")
    post_save.connect(_after_decision, sender=Hypothesis, dispatch_uid="roadmap-decisions")
