"""Closing the loop: customers hear back when something happens to what they asked for.

The submitter and the voters of a post get an email when its status changes (published,
rejected, merged into another post), when the problem the PM linked it to is solved, and when
work on that problem ships (`notify_shipped`, for the roadmap). Each piece of news is a Notice,
unique per post and event, written in the caller's transaction; once that commits, a
background task sends it (`problemspace serve` and `problemspace worker` run those tasks;
`problemspace portal --send-notices` sweeps any left behind). The sender claims the notice
with a conditional UPDATE first, so nobody gets the same news twice.

Every email carries unsubscribe links (this post, or the whole portal) with signed tokens,
and the List-Unsubscribe headers mail clients offer as a button (RFC 2369 and RFC 8058).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core import signing
from django.core.mail import get_connection
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from problemspace.customers.models import Contact
from problemspace.portal import mail
from problemspace.portal.models import Notice, OptOut, PortalSettings, Post, PostStatus
from problemspace.problems.models import Problem

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "problemspace.portal.unsubscribe"
# The posts that hear about their problem: merged posts' voters were moved to the post they
# were merged into, which carries the news for them.
LISTENING = [PostStatus.PUBLISHED]


# --- unsubscribe tokens --------------------------------------------------------------------


@dataclass(frozen=True)
class Unsubscribe:
    contact_id: int
    post_id: int | None  # None: every email from this portal
    email_key: str

    def names(self, contact: Contact) -> bool:
        """Whether `contact` is the person the link was sent to."""
        return contact.pk == self.contact_id and _email_key(contact.email) == self.email_key


def unsubscribe_token(contact_id: int, post_id: int | None, email: str | None) -> str:
    # Signed, not expiring: an unsubscribe link in an old email must still work. The address
    # (hashed) too: a workspace restored elsewhere numbers its contacts afresh, and an old
    # link must not stop the email of whoever has that number there.
    payload = {"c": contact_id, "p": post_id, "e": _email_key(email)}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe(token: str) -> Unsubscribe | None:
    try:
        data = signing.loads(token[:500], salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        return None
    post = data.get("p")
    if post is not None and not isinstance(post, int):
        return None
    return Unsubscribe(contact_id=data["c"], post_id=post, email_key=str(data.get("e", "")))


def unsubscribe_url(workspace_slug: str, contact: Contact, post_id: int | None) -> str:
    path = reverse("portal_public:unsubscribe", args=[workspace_slug])
    token = unsubscribe_token(contact.pk, post_id, contact.email)
    return f"{mail.site_url()}{path}?t={token}"


def _email_key(email: str | None) -> str:
    return hashlib.blake2b((email or "").strip().lower().encode(), digest_size=8).hexdigest()


def opt_out(contact: Contact, post: Post | None) -> None:
    """Stop emails about `post` (or, None, about every post) to `contact`; idempotent."""
    try:
        with transaction.atomic():
            OptOut.objects.get_or_create(contact=contact, post=post)
    except IntegrityError:
        pass  # the same link clicked twice at once


# --- announcing ----------------------------------------------------------------------------


def announce(post: Post, key: str, headline: str, detail: str = "") -> bool:
    """Record news about `post` for its people, sent after the caller's transaction commits.

    False when the same news (`key`) was announced before, which is then not sent again.
    """
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                post=post, key=key[:80], headline=headline[:200], detail=detail
            )
    except IntegrityError:
        return False
    transaction.on_commit(lambda: _enqueue(notice.pk))
    return True


def post_status_changed(post: Post) -> bool:
    if post.status == PostStatus.PUBLISHED:
        return announce(
            post,
            "status:published",
            "Your post is now public",
            "It is on the portal for others to vote on and comment.",
        )
    if post.status == PostStatus.REJECTED:
        return announce(
            post,
            "status:rejected",
            "Your post was not published",
            "The team read it, and decided not to show it on the portal.",
        )
    if post.status == PostStatus.MERGED and post.merged_into is not None:
        return announce(
            post,
            f"status:merged:{post.merged_into_id}",
            "Your post was merged with a similar one",
            f"Others asked for the same. Votes now count for “{post.merged_into.title}”.",
        )
    return False


def problem_solved(problem: Problem) -> int:
    """Tell the people of every published post linked to `problem` that it is solved."""
    posts = Post.objects.filter(problem=problem, status__in=LISTENING)
    return sum(
        announce(
            post,
            f"solved:{problem.pk}",
            "The problem you told us about is solved",
            f"We marked “{problem.title}” as solved. Thank you for telling us about it.",
        )
        for post in posts
    )


def notify_shipped(problem: Problem, what: str = "", key: str = "") -> int:
    """Tell the people of every published post linked to `problem` that work on it shipped.

    `what` names what shipped (a roadmap initiative's title); `key` tells one shipment from
    another (say "initiative:12"), so each is announced once.
    """
    posts = Post.objects.filter(problem=problem, status__in=LISTENING)
    shipped = f"“{what}” has shipped" if what else "Our work on it has shipped"
    return sum(
        announce(
            post,
            f"shipped:{key or problem.pk}",
            "Something you asked for has shipped",
            f"{shipped}: it addresses “{problem.title}”. Thank you for telling us about it.",
        )
        for post in posts
    )


# --- sending -------------------------------------------------------------------------------


def _enqueue(notice_id: int) -> None:
    try:
        deliver_task.enqueue(notice_id)
    except Exception:
        # The news stays recorded; `problemspace portal --send-notices` sends it.
        logger.exception("Could not queue portal notice %s", notice_id)


def recipients(post: Post) -> list[Contact]:
    """The submitter and voters of `post` with an address, less those who opted out."""
    ids = set(post.votes.values_list("contact_id", flat=True))
    if post.contact_id is not None:
        ids.add(post.contact_id)
    opted_out = OptOut.objects.filter(Q(post=post) | Q(post__isnull=True), contact_id__in=ids)
    ids -= set(opted_out.values_list("contact_id", flat=True))
    contacts = Contact.objects.filter(pk__in=ids, workspace_id=post.workspace_id).exclude(
        email__isnull=True
    )
    return [c for c in contacts.order_by("pk") if c.email]


def deliver(notice_id: int) -> int | None:
    """Send notice `notice_id` if nobody has claimed it; how many emails went out (None:
    someone else had it)."""
    now = timezone.now()
    claimed = Notice.objects.filter(pk=notice_id, claimed_at__isnull=True).update(claimed_at=now)
    if not claimed:
        return None
    notice = Notice.objects.select_related("post__workspace").get(pk=notice_id)
    post = notice.post
    workspace = post.workspace
    portal = PortalSettings.objects.filter(workspace=workspace).first()
    heading = portal.heading(workspace) if portal else workspace.name
    post_url = mail.site_url() + reverse("portal_public:post", args=[workspace.slug, post.pk])
    sent = 0
    people = recipients(post)
    # One SMTP connection for all of them; a failure is logged per person and not retried.
    smtp = get_connection(fail_silently=False)
    try:
        smtp.open()
    except OSError:
        logger.exception("Could not reach the mail server for portal notice %s", notice_id)
    for contact in people:
        this_post = unsubscribe_url(workspace.slug, contact, post.pk)
        everything = unsubscribe_url(workspace.slug, contact, None)
        context = {
            "notice": notice,
            "post": post,
            "post_url": post_url if post.status == PostStatus.PUBLISHED else "",
            "merged_url": _merged_url(post),
            "heading": heading,
            "contact": contact,
            "submitter": contact.pk == post.contact_id,
            "unsubscribe_post": this_post,
            "unsubscribe_all": everything,
        }
        headers = {
            "List-Unsubscribe": f"<{this_post}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{heading[:60]} <portal.{workspace.slug}.problemspace>",
        }
        sent += mail.send(contact.email or "", "portal/email/notice", context, headers, smtp)
    smtp.close()
    Notice.objects.filter(pk=notice_id).update(sent_at=timezone.now(), recipients=sent)
    return sent


def _merged_url(post: Post) -> str:
    if post.status != PostStatus.MERGED or post.merged_into_id is None:
        return ""
    return mail.site_url() + reverse(
        "portal_public:post", args=[post.workspace.slug, post.merged_into_id]
    )


def send_pending() -> int:
    """Send every notice not yet claimed (the sweep behind `problemspace portal
    --send-notices`); how many notices were sent."""
    pending = list(Notice.objects.filter(claimed_at__isnull=True).values_list("pk", flat=True))
    return sum(deliver(pk) is not None for pk in pending)


@task()
def deliver_task(notice_id: int) -> None:
    # A worker's connection may have gone stale between tasks; inside a transaction (tasks
    # run immediately, as in tests) the connection is the caller's to keep.
    if not connection.in_atomic_block:
        close_old_connections()
    deliver(notice_id)
