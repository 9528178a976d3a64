"""What customers and the team do on the portal: post, vote, comment, moderate, link.

Customers' forms are checked here, with a sentence per field (PortalError.errors); nothing is
half-written (each action is one transaction). Everything a customer writes is stored as they
wrote it, markup included, and every page renders it escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from problemspace.customers.matching import match_contact
from problemspace.customers.models import Contact
from problemspace.evidence.capture import CaptureError, capture_in
from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.portal import mail, notify
from problemspace.portal.models import (
    MAX_BODY,
    MAX_COMMENT,
    MAX_COMPANY,
    MAX_INTRO,
    MAX_NAME,
    MAX_TITLE,
    Access,
    Comment,
    CommentStatus,
    Kind,
    PortalSettings,
    Post,
    PostStatus,
    Vote,
)
from problemspace.portal.similar import post_text
from problemspace.problems import edits
from problemspace.problems.models import Problem
from problemspace.synthesis.embedding import Embedder
from problemspace.workspaces.models import Member, Workspace

EVIDENCE_SOURCE = "portal"


class PortalError(ValueError):
    """What a form got wrong, field -> a sentence saying what to do; nothing was stored."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Author:
    """The customer behind a post, vote or comment, as they gave themselves."""

    email: str
    name: str = ""
    company: str = ""


def settings_for(workspace: Workspace) -> PortalSettings:
    """The workspace's portal settings; an unsaved, disabled portal when never set."""
    found = PortalSettings.objects.filter(workspace=workspace).first()
    return found or PortalSettings(workspace=workspace)


def _clean(text: str) -> str:
    # PostgreSQL cannot store NUL; nobody types one.
    return text.replace("\x00", "")


def check_author(author: Author, errors: dict[str, str]) -> Author:
    email = author.email.strip()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "That is not an email address; we write to you there, so check it."
    if len(author.name.strip()) > MAX_NAME:
        errors["name"] = f"Keep your name under {MAX_NAME} characters."
    if len(author.company.strip()) > MAX_COMPANY:
        errors["company"] = f"Keep the company name under {MAX_COMPANY} characters."
    return Author(email, _clean(author.name.strip()), _clean(author.company.strip()))


def _contact(workspace: Workspace, author: Author) -> Contact:
    return match_contact(workspace.pk, author.email, name=author.name, company=author.company)


def check_post(title: str, body: str, kind: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Give your post a title: the problem or idea in a few words."
    elif len(title.strip()) > MAX_TITLE:
        errors["title"] = (
            f"Keep the title under {MAX_TITLE} characters (it has {len(title.strip())}); "
            "say the rest below."
        )
    if len(body) > MAX_BODY:
        errors["body"] = f"Keep it under {MAX_BODY:,} characters (it has {len(body):,})."
    if kind not in Kind.values:
        errors["kind"] = "Choose whether this is a problem you have or an idea."
    return errors


def submit_post(
    workspace: Workspace,
    author: Author,
    *,
    title: str,
    body: str,
    kind: str,
    now: datetime | None = None,
    external_id: str = "",
) -> Post:
    """Store a customer's post and the same words as first-hand portal evidence from them.

    The submitter's own vote is counted. Published at once only where moderation is off.
    `now` is when it was posted and `external_id` its evidence's id (default "post-<id>"):
    the demo dates its posts in the past and gives them ids that do not depend on the database.
    """
    title, body = _clean(title).strip(), _clean(body).strip()
    errors = check_post(title, body, kind)
    author = check_author(author, errors)
    if errors:
        raise PortalError(errors)
    portal = settings_for(workspace)
    now = now or timezone.now()
    published = not portal.moderation
    with transaction.atomic():
        contact = _contact(workspace, author)
        post = Post.objects.create(
            workspace=workspace,
            title=title,
            body=body,
            kind=kind,
            contact=contact,
            status=PostStatus.PUBLISHED if published else PostStatus.PENDING,
            created_at=now,
            published_at=now if published else None,
            vote_count=1,
        )
        Vote.objects.create(post=post, contact=contact, created_at=now)
        _store_evidence(post, contact, external_id)
    return post


def _store_evidence(post: Post, contact: Contact | None, external_id: str = "") -> None:
    record = _evidence_record(post, contact)
    record["external_id"] = external_id or record["external_id"]
    try:
        captured = capture_in(post.workspace, [record], source=EVIDENCE_SOURCE)
    except CaptureError as exc:
        # Our own limits are tighter than evidence's, so this is a bug, not bad input.
        raise RuntimeError(f"Portal post could not be stored as evidence: {exc}") from exc
    post.evidence = captured.evidence[0]
    post.save(update_fields=["evidence"])


def _evidence_record(post: Post, contact: Contact | None) -> dict[str, object]:
    path = reverse("portal:post", args=[post.workspace.slug, post.pk])
    return {
        "text": post_text(post),
        "occurred_at": post.created_at.isoformat(),
        "channel": Channel.PORTAL,
        "provenance": Provenance.FIRST_HAND,
        "contact_email": (contact.email or "") if contact else "",
        "contact_name": contact.name if contact else "",
        "account": contact.account.name if contact and contact.account else "",
        "external_id": f"post-{post.pk}",
        "source_url": mail.site_url() + path,
    }


def vote(post: Post, author: Author) -> bool:
    """Count `author`'s vote for a published post; False when they had voted already."""
    errors: dict[str, str] = {}
    author = check_author(author, errors)
    if errors:
        raise PortalError(errors)
    if post.status != PostStatus.PUBLISHED:
        raise PortalError({"post": "Only published posts take votes."})
    with transaction.atomic():
        contact = _contact(post.workspace, author)
        try:
            with transaction.atomic():
                Vote.objects.create(post=post, contact=contact)
        except IntegrityError:
            return False  # voted before (or twice at once): one vote per person
        Post.objects.filter(pk=post.pk).update(vote_count=F("vote_count") + 1)
    return True


def add_comment(post: Post, author: Author, body: str) -> Comment:
    """A customer's comment on a published post; held for moderation where it is on."""
    body = _clean(body).strip()
    errors: dict[str, str] = {}
    if not body:
        errors["comment"] = "Write your comment first."
    elif len(body) > MAX_COMMENT:
        errors["comment"] = f"Keep a comment under {MAX_COMMENT:,} characters."
    author = check_author(author, errors)
    if post.status != PostStatus.PUBLISHED:
        errors["post"] = "Only published posts take comments."
    if errors:
        raise PortalError(errors)
    portal = settings_for(post.workspace)
    status = CommentStatus.PENDING if portal.moderation else CommentStatus.PUBLISHED
    with transaction.atomic():
        contact = _contact(post.workspace, author)
        return Comment.objects.create(post=post, contact=contact, body=body, status=status)


# --- the team's side -----------------------------------------------------------------------

MODERATION_ACTIONS = ("approve", "reject", "merge")
MERGED_STAYS = "A merged post stays merged; open the post it went into instead."


def moderate_post(member: Member, post: Post, action: str, into: Post | None = None) -> Post:
    """Approve, reject or merge a post into another (published) one; the caller checked the
    member is an editor. The submitter and voters are told."""
    if action not in MODERATION_ACTIONS:
        raise PortalError({"action": "Choose approve, reject or merge."})
    now = timezone.now()
    with transaction.atomic():
        post = (
            Post.objects.select_for_update(of=("self",)).select_related("workspace").get(pk=post.pk)
        )
        if action == "merge":
            _merge(post, into)
        elif post.status == PostStatus.MERGED:
            raise PortalError({"action": MERGED_STAYS})
        elif action == "approve":
            post.status = PostStatus.PUBLISHED
            post.published_at = post.published_at or now
            if post.evidence_id is None:
                # Rejected before, which removed its evidence: the words count again.
                _store_evidence(post, post.contact)
        else:
            post.status = PostStatus.REJECTED
            # Spam and abuse are not customer evidence: a rejected post leaves none behind.
            if post.evidence_id is not None:
                Evidence.objects.filter(pk=post.evidence_id).delete()
                post.evidence = None
        post.moderated_at = now
        post.moderated_by = member
        post.save()
        notify.post_status_changed(post)
    return post


def _merge(post: Post, into: Post | None) -> None:
    if into is None or into.workspace_id != post.workspace_id:
        raise PortalError({"into": "Choose the post to merge this one into."})
    if into.pk == post.pk:
        raise PortalError({"into": "A post cannot be merged into itself."})
    if into.status != PostStatus.PUBLISHED:
        raise PortalError({"into": "Merge into a published post, so its voters can see it."})
    if post.status == PostStatus.MERGED:
        raise PortalError({"into": "This post is merged already."})
    # The duplicate's people now count for the post it joined; its own votes stay, so its
    # history (and who hears about the merge) is kept.
    voters = set(post.votes.values_list("contact_id", flat=True))
    already = set(into.votes.filter(contact_id__in=voters).values_list("contact_id", flat=True))
    Vote.objects.bulk_create([Vote(post=into, contact_id=c) for c in sorted(voters - already)])
    Post.objects.filter(pk=into.pk).update(vote_count=into.votes.count())
    if into.problem_id is None and post.problem_id is not None:
        Post.objects.filter(pk=into.pk).update(problem_id=post.problem_id)
    post.status = PostStatus.MERGED
    post.merged_into = into


def moderate_comment(comment: Comment, action: str) -> Comment:
    if action not in ("approve", "reject"):
        raise PortalError({"action": "Choose approve or reject."})
    comment.status = CommentStatus.PUBLISHED if action == "approve" else CommentStatus.REJECTED
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderated_at"])
    return comment


def link_problem(post: Post, problem: Problem | None, *, embedder: Embedder | None = None) -> Post:
    """Tie a post to the customer problem it is evidence of (None: untie it).

    The post's evidence is placed in the problem by the PM, so it counts in the problem's reach
    and synthesis keeps it there; untying leaves the evidence where it is.
    """
    if problem is not None and problem.workspace_id != post.workspace_id:
        raise PortalError({"problem": "Choose a problem of this workspace."})
    post.problem = problem
    post.save(update_fields=["problem"])
    if problem is not None and post.evidence_id is not None:
        edits.move([post.evidence_id], problem, embedder=embedder)
    return post


def save_settings(
    workspace: Workspace,
    *,
    enabled: bool,
    access: str,
    moderation: bool,
    title: str,
    intro: str,
) -> PortalSettings:
    errors: dict[str, str] = {}
    if access not in Access.values:
        errors["access"] = "Choose public or sign-in only."
    if len(title.strip()) > 120:
        errors["title"] = "Keep the title under 120 characters."
    if len(intro) > MAX_INTRO:
        errors["intro"] = f"Keep the introduction under {MAX_INTRO:,} characters."
    if errors:
        raise PortalError(errors)
    portal, _ = PortalSettings.objects.update_or_create(
        workspace=workspace,
        defaults={
            "enabled": enabled,
            "access": access,
            "moderation": moderation,
            "title": _clean(title).strip(),
            "intro": _clean(intro).strip(),
            "updated_at": timezone.now(),
        },
    )
    return portal
