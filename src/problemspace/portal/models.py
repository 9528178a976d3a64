"""The customer portal: where customers post problems and ideas, vote and comment.

A post is a customer's own words, so it is also stored as first-hand evidence (channel
"portal") with the customer's contact; the post keeps what the portal needs on top: its
moderation status, votes, comments and the problem the PM linked it to. Nothing a customer
wrote is shown publicly before an editor approves it (unless the workspace turned moderation
off), and everything is stored as written and rendered escaped.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from problemspace.customers.models import Contact
from problemspace.evidence.models import Evidence
from problemspace.problems.models import Problem
from problemspace.workspaces.models import Member, Workspace

MAX_TITLE = 150
MAX_BODY = 5_000
MAX_COMMENT = 2_000
MAX_INTRO = 2_000
MAX_NAME = 200
MAX_COMPANY = 200


class Access(models.TextChoices):
    PUBLIC = "public", "Public: anyone with the link reads; posting asks for an email"
    SIGN_IN = "sign_in", "Sign-in only: customers confirm their email by a link first"


class PortalSettings(models.Model):
    """A workspace's portal: off until an owner or editor turns it on."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="portal_settings"
    )
    enabled = models.BooleanField(default=False)
    access = models.CharField(max_length=16, choices=Access.choices, default=Access.PUBLIC)
    # On by default: a public form on the internet attracts spam and things not meant to be
    # public (names of other customers, outages); an editor reads each post first.
    moderation = models.BooleanField(default=True)
    title = models.CharField(max_length=120, blank=True)
    intro = models.TextField(blank=True, max_length=MAX_INTRO)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "portal settings"

    def __str__(self) -> str:
        return f"portal of {self.workspace_id}"

    @property
    def is_public(self) -> bool:
        return self.access == Access.PUBLIC

    def heading(self, workspace: Workspace) -> str:
        return self.title or f"{workspace.name}: ideas and problems"


class Kind(models.TextChoices):
    PROBLEM = "problem", "A problem I have"
    IDEA = "idea", "An idea"


class PostStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    MERGED = "merged", "Merged into another post"


class Post(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="portal_posts")
    title = models.CharField(max_length=MAX_TITLE)
    body = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PROBLEM)
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="portal_posts"
    )
    status = models.CharField(max_length=16, choices=PostStatus.choices, default=PostStatus.PENDING)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_posts"
    )
    # Set by the PM: the customer problem this post is evidence of.
    problem = models.ForeignKey(
        Problem, on_delete=models.SET_NULL, null=True, blank=True, related_name="portal_posts"
    )
    # The same words as evidence, which is what synthesis and the problem's reach count.
    evidence = models.OneToOneField(
        Evidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="portal_post"
    )
    # Kept in step with the votes, so the "top voted" list is one indexed query.
    vote_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "status", "-vote_count", "-id"], name="portal_top"),
            models.Index(fields=["workspace", "status", "-created_at"], name="portal_newest"),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == PostStatus.PUBLISHED


class Vote(models.Model):
    """One customer's vote for a post: at most one per contact, so voting again is a no-op."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="votes")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="portal_votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "contact"], name="portal_vote_once")]

    def __str__(self) -> str:
        return f"{self.contact_id} for {self.post_id}"


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="portal_comments"
    )
    body = models.TextField()
    status = models.CharField(
        max_length=16, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["post", "status", "created_at"], name="portal_thread")]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:80]


class OptOut(models.Model):
    """A customer asked for no more portal email: about one post, or (post empty) any."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="portal_opt_outs")
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="opt_outs"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "post"],
                condition=Q(post__isnull=False),
                name="portal_opt_out_once_per_post",
            ),
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(post__isnull=True),
                name="portal_opt_out_once_for_all",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} opted out of {self.post_id or 'all'}"


class Notice(models.Model):
    """One piece of news about a post for its submitter and voters, emailed once.

    `key` names the event ("status:published", "solved:12", "shipped:initiative:3"), unique
    per post, so the same news is never sent twice however often it is announced; the sender
    claims a notice with a conditional UPDATE before sending.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notices")
    key = models.CharField(max_length=80)
    headline = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "key"], name="portal_notice_once")]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.key} on {self.post_id}"
