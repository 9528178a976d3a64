"""Portals, posts and customers for the portal's tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from problemspace.customers.models import Contact
from problemspace.portal import services
from problemspace.portal.models import Access, PortalSettings, Post, PostStatus, Vote
from problemspace.problems.models import RunStatus, SynthesisRun
from problemspace.synthesis.embedding import HashingEmbedder
from problemspace.workspaces.models import Workspace


def open_portal(workspace: Workspace, **fields: Any) -> PortalSettings:
    values = {"enabled": True, "access": Access.PUBLIC, "moderation": True, **fields}
    portal, _ = PortalSettings.objects.update_or_create(workspace=workspace, defaults=values)
    return portal


def customer(
    email: str = "pat@smallco.example", name: str = "Pat", company: str = "SmallCo"
) -> services.Author:
    return services.Author(email, name, company)


def post(
    workspace: Workspace,
    title: str = "Exports lose the currency",
    body: str = "",
    *,
    email: str = "pat@smallco.example",
    published: bool = True,
) -> Post:
    made = services.submit_post(workspace, customer(email), title=title, body=body, kind="problem")
    if published:
        Post.objects.filter(pk=made.pk).update(
            status=PostStatus.PUBLISHED, published_at=timezone.now()
        )
        made.refresh_from_db()
    return made


def add_voters(target: Post, *emails: str) -> list[Contact]:
    contacts = []
    for email in emails:
        contact, _ = Contact.objects.get_or_create(workspace_id=target.workspace_id, email=email)
        Vote.objects.get_or_create(post=target, contact=contact)
        contacts.append(contact)
    Post.objects.filter(pk=target.pk).update(vote_count=target.votes.count())
    target.refresh_from_db()
    return contacts


def synthesized_with_hashing(workspace: Workspace) -> None:
    """Pretend the workspace's last synthesis used the light hashing embedder, so meaning
    search uses it (fast, deterministic, no model needed)."""
    SynthesisRun.objects.create(
        workspace=workspace,
        mode="full",
        status=RunStatus.DONE,
        model_id=HashingEmbedder.model_id,
        finished_at=timezone.now() - timedelta(minutes=1),
    )
