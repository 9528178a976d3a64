"""The demo's customer portal: open to the public, moderated, with posts customers of
Ledgerly made over the last weeks, their votes and comments, and one post waiting for the PM.

Deterministic: the same seed and day give the same posts, authors, voters and dates. Nothing
is emailed: the posts are written as already moderated, not moderated now.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from problemspace.customers.models import Contact
from problemspace.portal import services
from problemspace.portal.models import (
    Access,
    Comment,
    CommentStatus,
    Kind,
    PortalSettings,
    Post,
    PostStatus,
    Vote,
)
from problemspace.workspaces.models import Workspace

TITLE = "Ledgerly: tell us what gets in your way"
INTRO = (
    "Tell us about a problem you have with Ledgerly or an idea you would like us to consider, "
    "and vote for what matters to your team. The product team reads every post, and we "
    "email you when something changes."
)


@dataclass(frozen=True)
class DemoPost:
    kind: str
    title: str
    body: str
    days_ago: int
    votes: int
    comments: tuple[str, ...] = ()
    published: bool = True


POSTS = (
    DemoPost(
        Kind.PROBLEM,
        "Invoice scanning gets line items wrong",
        "When an invoice has more than a handful of lines, the scan merges some and drops "
        "others. We re-type long invoices by hand, which is exactly what we bought Ledgerly "
        "to stop doing.",
        days_ago=41,
        votes=14,
        comments=(
            "Same here, especially on supplier invoices with discounts per line.",
            "It is worst on scanned PDFs; the ones sent by email as text are mostly fine.",
        ),
    ),
    DemoPost(
        Kind.IDEA,
        "Send e-invoices through Peppol",
        "Our German and Belgian entities must send and receive e-invoices. Today we use a "
        "second tool for it and then upload the PDF copy to Ledgerly.",
        days_ago=23,
        votes=9,
        comments=("We need XRechnung for our public-sector customers by next year.",),
    ),
    DemoPost(
        Kind.PROBLEM,
        "Switching between client companies takes too long",
        "As an accounting firm we work in 30 client companies a day. Every switch means "
        "going back to the start page and waiting for it to load.",
        days_ago=17,
        votes=6,
        comments=("A company picker in the top bar would save us an hour a day.",),
    ),
    DemoPost(
        Kind.IDEA,
        "Approve invoices from the notification email",
        "Our approvers are managers who rarely log in. If they could approve straight from "
        "the email, invoices would not wait a week for them.",
        days_ago=12,
        votes=5,
    ),
    DemoPost(
        Kind.PROBLEM,
        "Month-end export to the ERP fails without saying why",
        "On the last day of the month the export sometimes stops half-way. The error only "
        "says 'failed', so we open a support ticket every time.",
        days_ago=6,
        votes=3,
    ),
    DemoPost(
        Kind.PROBLEM,
        "Duplicate supplier records after CSV import",
        "Importing our supplier list created a second copy of every supplier whose name had "
        "different capitals. Now payments are split between the two.",
        days_ago=1,
        votes=1,
        published=False,
    ),
)


def build_portal(workspace: Workspace, *, seed: int, today: date) -> PortalSettings:
    """Open the demo's portal and write its posts (in the caller's transaction)."""
    portal = PortalSettings.objects.create(
        workspace=workspace,
        enabled=True,
        access=Access.PUBLIC,
        moderation=True,
        title=TITLE,
        intro=INTRO,
    )
    customers = list(
        Contact.objects.filter(workspace=workspace, email__isnull=False)
        .select_related("account")
        .order_by("pk")
    )
    rng = random.Random(seed * 31 + 6)
    morning = datetime.combine(today, time(9, 30), UTC)
    for number, planned in enumerate(POSTS, start=1):
        people = rng.sample(customers, planned.votes + len(planned.comments))
        author = people[0]
        posted = morning - timedelta(days=planned.days_ago, minutes=rng.randrange(0, 480))
        post = services.submit_post(
            workspace,
            services.Author(
                author.email or "",
                author.name,
                author.account.name if author.account else "",
            ),
            title=planned.title,
            body=planned.body,
            kind=planned.kind,
            now=posted,
            external_id=f"demo-post-{number}",
        )
        if planned.published:
            Post.objects.filter(pk=post.pk).update(
                status=PostStatus.PUBLISHED,
                published_at=posted + timedelta(hours=3),
                moderated_at=posted + timedelta(hours=3),
            )
        voters = people[1 : planned.votes]
        Vote.objects.bulk_create(
            [
                Vote(post=post, contact=voter, created_at=posted + timedelta(hours=4 + i * 7))
                for i, voter in enumerate(voters)
            ]
        )
        Post.objects.filter(pk=post.pk).update(vote_count=planned.votes)
        commenters = people[planned.votes :]
        for i, (text, who) in enumerate(zip(planned.comments, commenters, strict=True)):
            Comment.objects.create(
                post=post,
                contact=who,
                body=text,
                status=CommentStatus.PUBLISHED,
                created_at=posted + timedelta(days=1 + i, hours=2),
                moderated_at=posted + timedelta(days=1 + i, hours=5),
            )
    return portal
