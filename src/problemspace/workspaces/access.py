"""Who may see what: every page and API route fetches workspace data through these functions.

The rules are answered here once and tested once:

- someone who is not a member of a workspace gets 404 for it and for everything in it, so the
  response does not even confirm that the workspace or the object exists;
- a member whose role is too low for what they asked gets 403;
- an object is looked up inside the member's own workspace only, so an id from another
  workspace is a 404 even when typed into a URL of a workspace the user belongs to.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Evidence
from problemspace.jobs.heartbeat import fail_abandoned, with_live_progress
from problemspace.jobs.models import Job
from problemspace.problems.models import Problem
from problemspace.workspaces.models import ApiToken, Invitation, Member, Role


def get_member(request: HttpRequest, slug: str, role: Role = Role.VIEWER) -> Member:
    """The signed-in user's membership of workspace `slug`, with the workspace and user loaded.

    `role` is the least role the caller needs: viewers read, contributors add evidence, editors
    curate, owners manage members.
    """
    if not request.user.is_authenticated:
        raise Http404("No such workspace.")
    member = (
        Member.objects.select_related("workspace", "user")
        .filter(workspace__slug=slug, user_id=request.user.pk)
        .first()
    )
    if member is None:
        raise Http404("No such workspace.")
    if not member.can(role):
        raise PermissionDenied(f"This needs the {Role(role).label.lower()} role or higher.")
    return member


def get_evidence_for_member(member: Member, pk: int, *, write: bool = False) -> Evidence:
    """One piece of evidence of the member's workspace, with what its page shows loaded;
    `write` (triage: correcting its kind or provenance) needs the editor role (403 below it)."""
    evidence = (
        Evidence.objects.select_related("account", "contact", "captured_by__user")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if evidence is None:
        raise Http404("No such evidence.")
    if write and not member.can(Role.EDITOR):
        raise PermissionDenied("Triaging evidence needs the editor role or higher.")
    return evidence


def get_account_for_member(member: Member, pk: int) -> Account:
    """One customer account of the member's workspace."""
    account = Account.objects.filter(workspace_id=member.workspace_id, pk=pk).first()
    if account is None:
        raise Http404("No such account.")
    return account


def get_job_for_member(member: Member, pk: int) -> Job:
    """One job of the member's workspace, as it stands: failed if its worker died."""
    fail_abandoned(member.workspace_id)
    job = Job.objects.filter(workspace_id=member.workspace_id, pk=pk).first()
    if job is None:
        raise Http404("No such job.")
    return with_live_progress(job)


def get_contact_for_member(member: Member, pk: int) -> Contact:
    contact = (
        Contact.objects.select_related("account")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if contact is None:
        raise Http404("No such contact.")
    return contact


def get_problem_for_member(member: Member, pk: int, *, write: bool = False) -> Problem:
    """One problem of the member's workspace; `write` needs the editor role (403 below it)."""
    problem = Problem.objects.filter(workspace_id=member.workspace_id, pk=pk).first()
    if problem is None:
        raise Http404("No such problem.")
    if write and not member.can(Role.EDITOR):
        raise PermissionDenied("Curating problems needs the editor role or higher.")
    return problem


def get_workspace_member(member: Member, pk: int) -> Member:
    """Someone else's membership of the member's workspace, to manage it: owners only."""
    other = (
        Member.objects.select_related("user", "workspace")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if other is None:
        raise Http404("No such member.")
    if not member.can(Role.OWNER):
        raise PermissionDenied("Managing members needs the owner role.")
    return other


def get_invitation_for_member(member: Member, pk: int) -> Invitation:
    """An invitation into the member's workspace, to resend or revoke it: owners only."""
    invitation = (
        Invitation.objects.select_related("workspace")
        .filter(workspace_id=member.workspace_id, pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    if not member.can(Role.OWNER):
        raise PermissionDenied("Managing invitations needs the owner role.")
    return invitation


def get_api_token_for_user(user: User, pk: int) -> ApiToken:
    """One of the user's own API keys; anyone else's is a 404, whatever their role."""
    token = ApiToken.objects.filter(user_id=user.pk, pk=pk).first()
    if token is None:
        raise Http404("No such API key.")
    return token
