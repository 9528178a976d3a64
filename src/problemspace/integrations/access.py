"""Who may do what with integrations, answered once for the pages, the API and the CLI.

- Owners add, change and delete endpoints, and see and rotate their signing secrets: an
  endpoint decides where the workspace's data goes, and its secret lets anyone forge events.
- Editors (PMs) see the endpoints and the delivery log, send test events and redeliver: the
  day-to-day work of keeping an integration running, which sends nothing new anywhere.
- Everyone in the workspace may download the issue-tracker exports: they hold what every
  member can already read.

Objects of another workspace are a 404; a role too low a 403 (problemspace.workspaces.access).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from problemspace.integrations.models import Delivery, Endpoint
from problemspace.workspaces.models import Member, Role

READ_ROLE = Role.EDITOR
MANAGE_ROLE = Role.OWNER


def check_read(member: Member) -> None:
    if not member.can(READ_ROLE):
        raise PermissionDenied("Integrations need the editor role or higher.")


def check_manage(member: Member) -> None:
    if not member.can(MANAGE_ROLE):
        raise PermissionDenied("Managing webhook endpoints needs the owner role.")


def get_endpoint_for_member(member: Member, pk: int, *, manage: bool = False) -> Endpoint:
    """One endpoint of the member's workspace; editors read it, `manage` needs an owner."""
    endpoint = (
        Endpoint.objects.select_related("workspace")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if endpoint is None:
        raise Http404("No such endpoint.")
    if manage:
        check_manage(member)
    else:
        check_read(member)
    return endpoint


def get_delivery_for_member(member: Member, pk: int) -> Delivery:
    delivery = (
        Delivery.objects.select_related("endpoint__workspace")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if delivery is None:
        raise Http404("No such delivery.")
    check_read(member)
    return delivery
