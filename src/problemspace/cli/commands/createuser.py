from __future__ import annotations

import argparse
import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from problemspace.cli.database import migrate_if_needed
from problemspace.cli.errors import UserError
from problemspace.cli.workspace_option import resolve_workspace
from problemspace.workspaces.models import Role
from problemspace.workspaces.services import WorkspaceError, add_member, create_user

HELP = "create a user who can sign in, optionally as a member of a workspace"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("email", help="the user's email address, also their sign-in name")
    parser.add_argument("--name", default="", help="full name")
    parser.add_argument("-w", "--workspace", metavar="SLUG", help="make them a member of this")
    parser.add_argument(
        "--role",
        choices=[r.value for r in Role],
        default=Role.EDITOR.value,
        help="their role in the workspace (default: editor)",
    )
    parser.add_argument("--admin", action="store_true", help="also give access to /admin/")
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of asking",
    )


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise UserError("No terminal to ask for a password on; pass it with --password-stdin.")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise UserError("The two passwords differ; nothing was created.")
    return first


def run(args: argparse.Namespace) -> int:
    migrate_if_needed()
    try:
        validate_email(args.email)
    except ValidationError:
        raise UserError(f"{args.email!r} is not an email address.") from None
    workspace = resolve_workspace(args.workspace) if args.workspace else None
    password = _read_password(args.password_stdin)
    try:
        validate_password(password)
    except ValidationError as exc:
        raise UserError("The password is too weak: " + " ".join(exc.messages)) from None
    try:
        user = create_user(args.email, password, name=args.name, is_staff=args.admin)
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    print(f"User {user.get_username()} created.")
    if workspace:
        add_member(workspace, user, args.role)
        print(f"Added to {workspace.slug} as {args.role}.")
    return 0
