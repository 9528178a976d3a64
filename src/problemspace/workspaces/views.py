"""Workspace settings (name, members, invitations), accepting an invitation, and API keys."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces import invitations
from problemspace.workspaces.access import (
    get_api_token_for_user,
    get_invitation_for_member,
    get_member,
    get_workspace_member,
)
from problemspace.workspaces.forms import (
    AcceptInvitationForm,
    ApiKeyForm,
    InviteForm,
    RoleForm,
    WorkspaceNameForm,
)
from problemspace.workspaces.models import (
    INVITATION_LIFETIME,
    ROLE_DESCRIPTIONS,
    ROLE_ORDER,
    ApiToken,
    Invitation,
    Member,
    Role,
)
from problemspace.workspaces.services import (
    WorkspaceError,
    change_role,
    remove_member,
    rename_workspace,
)
from problemspace.workspaces.tokens import create_token

# --- Settings -------------------------------------------------------------------------------


def _settings_url(member: Member, anchor: str = "") -> str:
    url = reverse("workspaces:settings", kwargs={"slug": member.workspace.slug})
    return f"{url}#{anchor}" if anchor else url


def _settings_page(
    request: HttpRequest,
    member: Member,
    *,
    name_form: WorkspaceNameForm | None = None,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> TemplateResponse:
    people = list(Member.objects.filter(workspace_id=member.workspace_id).select_related("user"))
    # Owners first, then by name: the people who can change things are the ones looked for.
    rank = {role: index for index, role in enumerate(reversed(ROLE_ORDER))}
    people.sort(key=lambda m: (rank[Role(m.role)], m.display_name.lower()))
    owners = sum(1 for m in people if m.role == Role.OWNER)
    open_invitations = list(
        Invitation.objects.filter(
            workspace_id=member.workspace_id, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("invited_by")
        .order_by("email")
    )
    context = {
        "member": member,
        "active": "settings",
        "name_form": name_form or WorkspaceNameForm(initial={"name": member.workspace.name}),
        "invite_form": invite_form or InviteForm(),
        "people": [(m, m.role == Role.OWNER and owners == 1) for m in people],
        "invitations": [(i, invitations.state(i).value) for i in open_invitations],
        "roles": [(role.value, role.label, ROLE_DESCRIPTIONS[role]) for role in reversed(Role)],
    }
    return TemplateResponse(request, "workspaces/settings.html", context, status=status)


@login_required
def workspace_settings(request: AuthenticatedHttpRequest, slug: str) -> TemplateResponse:
    member = get_member(request, slug, Role.OWNER)
    return _settings_page(request, member)


@login_required
@require_POST
def rename(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug, Role.OWNER)
    form = WorkspaceNameForm(request.POST)
    if form.is_valid():
        try:
            rename_workspace(member.workspace, form.cleaned_data["name"])
        except WorkspaceError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, "The workspace's name is saved.")
            return redirect(_settings_url(member))
    return _settings_page(request, member, name_form=form)


@login_required
@require_POST
def invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    member = get_member(request, slug, Role.OWNER)
    form = InviteForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            sent = invitations.invite(member, form.cleaned_data["email"], form.cleaned_data["role"])
        except invitations.TooManyInvitations as exc:
            form.add_error(None, str(exc))
            status = 429
        except invitations.InvitationError as exc:
            form.add_error(exc.field or None, str(exc))
        else:
            _tell_sent(request, sent)
            return redirect(_settings_url(member, "invitations"))
    return _settings_page(request, member, invite_form=form, status=status)


def _tell_sent(request: HttpRequest, sent: invitations.Sent) -> None:
    email = sent.invitation.email
    if not sent.delivered:
        messages.error(
            request,
            f"The invitation to {email} is saved, but the email could not be sent. Check the "
            "mail settings (PROBLEMSPACE_EMAIL_HOST) and use Resend.",
        )
    elif sent.renewed:
        messages.success(request, f"A new invitation link is on its way to {email}.")
    else:
        messages.success(request, f"Invitation sent to {email}.")


@login_required
@require_POST
def resend_invitation(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug, Role.OWNER)
    invitation = get_invitation_for_member(member, pk)
    try:
        sent = invitations.resend(member, invitation)
    except invitations.InvitationError as exc:
        messages.error(request, str(exc))
    else:
        _tell_sent(request, sent)
    return redirect(_settings_url(member, "invitations"))


@login_required
@require_POST
def revoke_invitation(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug, Role.OWNER)
    invitation = get_invitation_for_member(member, pk)
    if invitations.revoke(invitation):
        messages.success(request, f"The invitation to {invitation.email} no longer works.")
    else:
        messages.error(request, f"The invitation to {invitation.email} was already used.")
    return redirect(_settings_url(member, "invitations"))


@login_required
@require_POST
def set_role(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member(request, slug, Role.OWNER)
    other = get_workspace_member(member, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles in the list.")
        return redirect(_settings_url(member, "members"))
    try:
        change_role(other, form.cleaned_data["role"])
    except WorkspaceError as exc:
        messages.error(request, str(exc))
        return redirect(_settings_url(member, "members"))
    role = invitations.role_phrase(other.role)
    if other.pk == member.pk and other.role != Role.OWNER:
        # They can no longer see the settings page; send them where they still can go.
        messages.success(request, f"You are now {role} of {member.workspace.name}.")
        return redirect("workspace", slug=member.workspace.slug)
    messages.success(request, f"{other.display_name} is now {role}.")
    return redirect(_settings_url(member, "members"))


@login_required
@require_http_methods(["GET", "POST"])
def remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks to confirm (removing is not undone by a click); POST removes."""
    member = get_member(request, slug, Role.OWNER)
    other = get_workspace_member(member, pk)
    if request.method == "POST":
        leaving = other.pk == member.pk
        try:
            remove_member(other)
        except WorkspaceError as exc:
            messages.error(request, str(exc))
            return redirect(_settings_url(member, "members"))
        if leaving:
            messages.success(request, f"You have left {member.workspace.name}.")
            return redirect("home")
        messages.success(request, f"{other.display_name} is no longer a member.")
        return redirect(_settings_url(member, "members"))
    context = {"member": member, "active": "settings", "other": other}
    return TemplateResponse(request, "workspaces/remove_member.html", context)


# --- Accepting an invitation -----------------------------------------------------------------


_GONE = {
    invitations.State.EXPIRED: (
        "This invitation has expired",
        "Invitation links work for {days} days. Ask {inviter} to send you a new one.",
    ),
    invitations.State.REVOKED: (
        "This invitation was withdrawn",
        "The workspace owner revoked it. Ask {inviter} if you should still join.",
    ),
    invitations.State.ACCEPTED: (
        "This invitation was already used",
        "Each link works once. If you accepted it, sign in to reach the workspace.",
    ),
}


def _invitation_problem(
    request: HttpRequest, status: int, heading: str, text: str, **extra: Any
) -> TemplateResponse:
    context = {"heading": heading, "text": text, **extra}
    return TemplateResponse(request, "workspaces/invitation_problem.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation email links to.

    Joining always takes a POST: mail scanners open links in emails to check them, and a GET
    that joined would spend the invitation before its owner ever saw it.
    """
    invitation = invitations.find(token)
    if invitation is None:
        return _invitation_problem(
            request,
            404,
            "This invitation link is not valid",
            "Check that you opened the whole link from the email, or ask the person who "
            "invited you to send a new invitation.",
        )
    current = invitations.state(invitation)
    if current is not invitations.State.PENDING:
        heading, text = _GONE[current]
        inviter = _inviter_name(invitation, "the workspace owner")
        text = text.format(days=INVITATION_LIFETIME.days, inviter=inviter)
        return _invitation_problem(request, 410, heading, text, show_sign_in=True)
    context: dict[str, Any] = {
        "invitation": invitation,
        "workspace": invitation.workspace,
        "role_with_article": invitations.role_phrase(invitation.role),
        "role_description": ROLE_DESCRIPTIONS[Role(invitation.role)],
        "inviter": _inviter_name(invitation, "A workspace owner"),
    }
    if request.user.is_authenticated:
        return _accept_signed_in(request, invitation, context)
    if invitations.users_with_email(invitation.email):
        # An existing account: its owner signs in and comes back here, never a second account.
        context["sign_in_url"] = reverse("login") + "?next=" + request.path
        return TemplateResponse(request, "workspaces/accept_sign_in.html", context)
    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None, email=invitation.email
    )
    if request.method == "POST" and form.is_valid():
        try:
            joined = invitations.accept_new(
                invitation, form.cleaned_data["name"], form.cleaned_data["password1"]
            )
        except (invitations.AcceptError, WorkspaceError) as exc:
            return _invitation_problem(request, 410, "This invitation cannot be used", str(exc))
        login(request, joined.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to {joined.workspace.name}.")
        return redirect("workspace", slug=joined.workspace.slug)
    context["form"] = form
    return TemplateResponse(request, "workspaces/accept.html", context)


def _inviter_name(invitation: Invitation, nobody: str) -> str:
    user = invitation.invited_by
    if user is None:
        return nobody
    return user.get_full_name() or user.get_username()


def _accept_signed_in(
    request: HttpRequest, invitation: Invitation, context: dict[str, Any]
) -> HttpResponse:
    user = request.user
    emails = {getattr(user, "email", "").lower(), user.get_username().lower()}
    if invitation.email not in emails:
        context["signed_in_as"] = user.get_username()
        return TemplateResponse(request, "workspaces/accept_other_user.html", context, status=403)
    if request.method == "POST":
        try:
            joined = invitations.accept_as(invitation, user)  # type: ignore[arg-type]
        except invitations.AcceptError as exc:
            return _invitation_problem(request, 410, "This invitation cannot be used", str(exc))
        messages.success(request, f"You joined {joined.workspace.name}.")
        return redirect("workspace", slug=joined.workspace.slug)
    return TemplateResponse(request, "workspaces/accept_join.html", context)


# --- API keys -----------------------------------------------------------------------------


def _api_keys_page(
    request: AuthenticatedHttpRequest,
    *,
    form: ApiKeyForm | None = None,
    new_key: str = "",
    status: int = 200,
) -> TemplateResponse:
    memberships = list(
        Member.objects.filter(user=request.user)
        .select_related("workspace")
        .order_by("workspace__name")
    )
    context = {
        "active": "api-keys",
        "keys": list(ApiToken.objects.filter(user=request.user).order_by("-created_at")),
        "form": form or ApiKeyForm(),
        "new_key": new_key,
        "memberships": memberships,
        "site_url": settings.SITE_URL.rstrip("/"),
        "example_slug": memberships[0].workspace.slug if memberships else "your-workspace",
    }
    response = TemplateResponse(request, "workspaces/api_keys.html", context, status=status)
    if new_key:
        # The key is on this page once: no browser or proxy cache may keep a copy.
        add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def api_keys(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Your own API keys: they act as you, in every workspace you belong to, with your roles."""
    if request.method == "POST":
        form = ApiKeyForm(request.POST)
        if form.is_valid():
            token, key = create_token(request.user, form.cleaned_data["name"])
            messages.success(request, f"The key “{token.name}” is made. Copy it now.")
            return _api_keys_page(request, new_key=key)
        return _api_keys_page(request, form=form)
    return _api_keys_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def revoke_api_key(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (tools using the key stop working); POST revokes."""
    token = get_api_token_for_user(request.user, pk)
    if request.method == "POST":
        token.delete()
        messages.success(request, f"The key “{token.name}” no longer works.")
        return redirect("workspaces:api_keys")
    context = {"active": "api-keys", "token": token}
    return TemplateResponse(request, "workspaces/revoke_api_key.html", context)
