"""What links to a problem from other apps (an initiative's or an assumption's link, a portal
post), found through the model's relations, so that this app need not import those apps."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import models

from problemspace.problems.models import Problem, ProblemEvidence


def links_to_problems() -> Iterator[tuple[type[models.Model], str]]:
    """(model, field name) of every foreign key to a problem, except its evidence's."""
    for relation in Problem._meta.related_objects:
        model = relation.related_model
        if not relation.one_to_many or isinstance(model, str) or model is ProblemEvidence:
            continue
        yield model, relation.field.name
