"""Who may see and change assumptions: the workspace getters of this app.

They follow problemspace.workspaces.access: an object of another workspace is a 404, a role
too low for a change a 403. Everyone in the workspace reads; editors (PMs) curate.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from problemspace.hypotheses.models import Experiment, Hypothesis
from problemspace.workspaces.models import Member, Role

WRITE_ROLE = Role.EDITOR


def check_write(member: Member) -> None:
    if not member.can(WRITE_ROLE):
        raise PermissionDenied("Curating assumptions and experiments needs the editor role.")


def get_hypothesis_for_member(member: Member, pk: int, *, write: bool = False) -> Hypothesis:
    hypothesis = (
        Hypothesis.objects.select_related("owner__user", "workspace")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if hypothesis is None:
        raise Http404("No such assumption.")
    if write:
        check_write(member)
    return hypothesis


def get_experiment_for_member(member: Member, pk: int, *, write: bool = False) -> Experiment:
    experiment = (
        Experiment.objects.select_related("hypothesis__workspace")
        .filter(hypothesis__workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if experiment is None:
        raise Http404("No such experiment.")
    if write:
        check_write(member)
    return experiment
