"""Who a portal visitor is: an email address, remembered in their session.

Portal visitors are customers, not members, so they have no account or password. In a
sign-in-only portal they prove their address by a link sent to it (signed, and good for
LINK_MAX_AGE); the session then holds the confirmed address. In a public portal they type
their address with their first post, vote or comment, and the session remembers it, not
confirmed, so the next vote is one click.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from problemspace.portal import mail
from problemspace.workspaces.models import Workspace

SESSION_KEY = "portal_visitors"
LINK_SALT = "problemspace.portal.sign-in"
LINK_MAX_AGE = 60 * 60  # an hour: long enough to find the email, short enough if forwarded


@dataclass(frozen=True)
class Visitor:
    email: str
    name: str = ""
    company: str = ""
    confirmed: bool = False


def current(request: HttpRequest, workspace: Workspace) -> Visitor | None:
    """The visitor this session knows in `workspace`'s portal, if any."""
    known = request.session.get(SESSION_KEY, {}).get(str(workspace.pk))
    if not isinstance(known, dict) or not known.get("email"):
        return None
    return Visitor(
        email=str(known["email"]),
        name=str(known.get("name", "")),
        company=str(known.get("company", "")),
        confirmed=bool(known.get("confirmed")),
    )


def remember(request: HttpRequest, workspace: Workspace, visitor: Visitor) -> None:
    known = current(request, workspace)
    if known is not None and known.confirmed and known.email.lower() != visitor.email.lower():
        # A confirmed address is not replaced by a typed one.
        return
    confirmed = visitor.confirmed or (
        known is not None and known.confirmed and known.email.lower() == visitor.email.lower()
    )
    visitors = dict(request.session.get(SESSION_KEY, {}))
    visitors[str(workspace.pk)] = {
        "email": visitor.email,
        "name": visitor.name,
        "company": visitor.company,
        "confirmed": confirmed,
    }
    request.session[SESSION_KEY] = visitors


def forget(request: HttpRequest, workspace: Workspace) -> None:
    visitors = dict(request.session.get(SESSION_KEY, {}))
    visitors.pop(str(workspace.pk), None)
    request.session[SESSION_KEY] = visitors


def safe_next(request: HttpRequest, workspace: Workspace, target: str) -> str:
    """`target` when it is a page of this portal; the portal's front page otherwise."""
    home = reverse("portal_public:index", args=[workspace.slug])
    if target.startswith(home) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return home


def sign_in_url(workspace: Workspace, visitor: Visitor, next_path: str = "") -> str:
    token = signing.dumps(
        {"w": workspace.pk, "e": visitor.email, "n": visitor.name, "c": visitor.company},
        salt=LINK_SALT,
        compress=True,
    )
    query = {"t": token, **({"next": next_path} if next_path else {})}
    path = reverse("portal_public:confirm", args=[workspace.slug])
    return f"{mail.site_url()}{path}?{urlencode(query)}"


def read_link(workspace: Workspace, token: str) -> Visitor | None:
    """The visitor a sign-in link names, or None when it is forged, expired or another
    portal's."""
    try:
        data = signing.loads(token[:2000], salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("w") != workspace.pk or not data.get("e"):
        return None
    return Visitor(
        email=str(data["e"]),
        name=str(data.get("n", "")),
        company=str(data.get("c", "")),
        confirmed=True,
    )


def send_sign_in_link(workspace: Workspace, heading: str, visitor: Visitor, next_path: str) -> bool:
    context = {
        "workspace": workspace,
        "heading": heading,
        "visitor": visitor,
        "url": sign_in_url(workspace, visitor, next_path),
        "minutes": LINK_MAX_AGE // 60,
    }
    return mail.send(visitor.email, "portal/email/sign_in", context)
