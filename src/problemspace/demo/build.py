"""Write the demo plan into the database as the workspace "Demo: Ledgerly" (slug `demo`)."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from problemspace.booking.demo import build_availability
from problemspace.briefs.demo import build_briefs
from problemspace.customers.models import Account, Contact
from problemspace.demo import story
from problemspace.demo.plan import DEFAULT_SEED, DemoPlan, demo_plan
from problemspace.evidence.models import Evidence, EvidenceTag, ScoreScale, Tag
from problemspace.hypotheses.demo import add_demo_hypotheses
from problemspace.interviews.demo import build_interviews
from problemspace.portal.demo import build_portal
from problemspace.recruiting.demo import build_recruiting
from problemspace.roadmap.demo import build_roadmap
from problemspace.workspaces.models import Member, Workspace

BATCH_SIZE = 500


class DemoError(ValueError):
    """The demo cannot be built as asked; the message says why and what to do."""


def is_demo(workspace: Workspace) -> bool:
    """True for a workspace the demo built (and may therefore throw away and build again)."""
    return workspace.slug == story.WORKSPACE_SLUG and workspace.name == story.WORKSPACE_NAME


def existing_demo() -> Workspace | None:
    """The demo workspace, if there is one. Raises DemoError when the slug is someone else's."""
    workspace = Workspace.objects.filter(slug=story.WORKSPACE_SLUG).first()
    if workspace is not None and not is_demo(workspace):
        raise DemoError(
            f"There is already a workspace with the slug {story.WORKSPACE_SLUG!r} "
            f"({workspace.name!r}) that the demo did not create, so the demo will not touch it. "
            "Give that workspace another slug in /admin/ and run `problemspace demo` again."
        )
    return workspace


def build_demo(
    seed: int = DEFAULT_SEED, *, today: date | None = None, password: str | None = None
) -> Workspace:
    """Build the demo workspace from scratch, in one transaction, and return it.

    An existing demo workspace is deleted first, with everything in it, including anything
    added by hand: the demo is disposable. Building twice with the same seed on the same day
    gives the same workspace. The demo members get `password` (all the same one); without
    it, new members cannot sign in and existing ones keep theirs.
    """
    plan = demo_plan(seed, today or timezone.now().date())
    with transaction.atomic():
        old = existing_demo()
        if old is not None:
            _delete(old)
        workspace = Workspace.objects.create(name=story.WORKSPACE_NAME, slug=story.WORKSPACE_SLUG)
        members = _members(workspace, password)
        accounts = _accounts(workspace, plan)
        contacts = _contacts(workspace, plan, accounts)
        _evidence(workspace, plan, accounts, contacts, members)
        add_demo_hypotheses(workspace, plan, members)
        build_roadmap(workspace, plan, members)
        build_interviews(workspace, members, seed=plan.seed, today=plan.today)
        schedule = build_availability(workspace, members, seed=plan.seed)
        build_recruiting(workspace, members, schedule, seed=plan.seed, today=plan.today)
        build_portal(workspace, seed=plan.seed, today=plan.today)
        build_briefs(workspace, members)
    return workspace


def set_demo_password(password: str) -> None:
    """Give every demo member `password`: hashed once, since hashing is slow on purpose."""
    hashed = make_password(password)
    emails = [person.email for person in story.MEMBERS]
    get_user_model().objects.filter(username__in=emails).update(password=hashed)


# The demo's survey answers and reviews carry their score in the text, as people paste them;
# the survey tool and the review site export it as a column too, which is what these fill.
_NPS = re.compile(r"^Score: (\d+)/10\.")
_STARS = re.compile(r"^(★+)(☆*) ")


def _score(text: str) -> dict[str, Any]:
    if found := _NPS.match(text):
        return {"score": float(found[1]), "score_scale": ScoreScale.NPS}
    if found := _STARS.match(text):
        return {"score": float(len(found[1])), "score_scale": ScoreScale.STARS}
    return {}


def _delete(workspace: Workspace) -> None:
    # Straight to the rows, children first: the generic cascade would load every item to null
    # its foreign keys one relation at a time, which is most of the rebuild's time.
    EvidenceTag.objects.filter(evidence__workspace=workspace).delete()
    Evidence.objects.filter(workspace=workspace).delete()
    Contact.objects.filter(workspace=workspace).delete()
    workspace.delete()


def _members(workspace: Workspace, password: str | None) -> dict[str, Member]:
    User = get_user_model()
    hashed = make_password(password) if password else None
    members = {}
    for person in story.MEMBERS:
        first, _, last = person.name.partition(" ")
        user, created = User.objects.get_or_create(
            username=person.email,
            defaults={"email": person.email, "first_name": first, "last_name": last},
        )
        if hashed or created:
            user.password = hashed or make_password(None)
            user.save(update_fields=["password"])
        members[person.email] = Member.objects.create(
            workspace=workspace, user=user, role=person.role
        )
    return members


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), UTC)


def _accounts(workspace: Workspace, plan: DemoPlan) -> dict[str, int]:
    Account.objects.bulk_create(
        [
            Account(
                workspace=workspace,
                name=account.name,
                segment=account.segment,
                plan=account.plan,
                revenue=Decimal(account.revenue) if account.revenue is not None else None,
                region=account.region,
                lifecycle=account.lifecycle,
                created_at=_at(account.created_on),
            )
            for account in plan.accounts
        ],
        batch_size=BATCH_SIZE,
    )
    return dict(Account.objects.filter(workspace=workspace).values_list("name", "pk"))


def _contacts(workspace: Workspace, plan: DemoPlan, accounts: dict[str, int]) -> dict[str, int]:
    Contact.objects.bulk_create(
        [
            Contact(
                workspace=workspace,
                account_id=accounts[contact.account],
                name=contact.name,
                email=contact.email,
                role=contact.role,
                research_consent=contact.research_consent,
                last_contacted=contact.last_contacted,
                created_at=_at(contact.created_on),
            )
            for contact in plan.contacts
        ],
        batch_size=BATCH_SIZE,
    )
    pairs = Contact.objects.filter(workspace=workspace).values_list("email", "pk")
    return {email: pk for email, pk in pairs if email}


def _evidence(
    workspace: Workspace,
    plan: DemoPlan,
    accounts: dict[str, int],
    contacts: dict[str, int],
    members: dict[str, Member],
) -> None:
    # Captured some minutes to a day after it happened; a seeded generator of its own keeps
    # this from shifting the plan's draws.
    rng = random.Random(plan.seed)
    now = timezone.now()
    rows = []
    for item in plan.evidence:
        lag = timedelta(minutes=rng.randint(2, 60 if item.channel == "support" else 1500))
        captured_by = members.get(item.captured_by) if item.captured_by else None
        rows.append(
            Evidence(
                workspace=workspace,
                text=item.text,
                occurred_at=item.occurred_at,
                channel=item.channel,
                account_id=accounts[item.account] if item.account else None,
                contact_id=contacts[item.contact] if item.contact else None,
                captured_by=captured_by,
                provenance=item.provenance,
                relayed_by=item.relayed_by,
                source=story.SOURCE,
                external_id=item.external_id,
                created_at=min(item.occurred_at + lag, now),
                **_score(item.text),
            )
        )
    Evidence.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    names = sorted({tag for item in plan.evidence for tag in item.tags})
    Tag.objects.bulk_create([Tag(workspace=workspace, name=name) for name in names])
    tags = dict(Tag.objects.filter(workspace=workspace).values_list("name", "pk"))
    ids = dict(Evidence.objects.filter(workspace=workspace).values_list("external_id", "pk"))
    EvidenceTag.objects.bulk_create(
        [
            EvidenceTag(evidence_id=ids[item.external_id], tag_id=tags[tag])
            for item in plan.evidence
            for tag in item.tags
        ],
        batch_size=BATCH_SIZE,
    )
