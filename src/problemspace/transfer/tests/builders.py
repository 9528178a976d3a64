"""A workspace with a bit of everything in it, and helpers to export and compare."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from problemspace.customers.models import Account, Contact, Lifecycle
from problemspace.evidence.models import (
    Channel,
    Evidence,
    EvidenceTag,
    Kind,
    Provenance,
    ScoreScale,
    Tag,
)
from problemspace.transfer import export_workspace, restore_workspace
from problemspace.workspaces.models import Member, Workspace

T0 = datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
HTML = "<script>alert('x')</script> & <b>bold</b> \"quoted\""
UNICODE = "Ünïcødé — 日本語 — emoji 🚀 — RTL مرحبا"
MULTILINE = 'First line, with a comma\nsecond "quoted" line\r\nthird line\n\n  indented'


def fill(workspace: Workspace) -> None:
    """Accounts, contacts, tags and evidence covering every field, choice and edge case.

    The workspace must already have members (BaseTestCase gives one of each role).
    """
    members = list(Member.objects.filter(workspace=workspace).order_by("created_at", "pk"))
    accounts = [
        Account.objects.create(
            workspace=workspace,
            name=f"Account {lifecycle.label} ñ",
            segment="Enterprise" if n % 2 else "",
            plan="Pro" if n % 2 else "",
            revenue=[Decimal("123456789012.34"), Decimal("0.01"), None, Decimal("-5.50")][n],
            region="EMEA" if n else "",
            lifecycle=lifecycle,
            created_at=T0 + timedelta(days=n),
        )
        for n, lifecycle in enumerate(Lifecycle)
    ]
    # Two accounts created at the same moment: their order must still survive a round trip.
    accounts.append(Account.objects.create(workspace=workspace, name="Same Moment", created_at=T0))
    contacts = [
        Contact.objects.create(
            workspace=workspace,
            account=accounts[0],
            name="Dana Díaz",
            email="Dana@Example.COM",
            role="Head of Ops",
            research_consent=True,
            last_contacted=date(2025, 2, 28),
            created_at=T0,
        ),
        Contact.objects.create(
            workspace=workspace,
            account=None,
            name="No Email, No Account",
            email=None,
            created_at=T0,
        ),
        Contact.objects.create(
            workspace=workspace,
            account=accounts[2],
            name="",
            email="only-email@example.org",
            research_consent=False,
            last_contacted=None,
            created_at=T0 + timedelta(hours=1),
        ),
    ]
    tags = [
        Tag.objects.create(workspace=workspace, name=name)
        for name in ("onboarding", "Billing", "export; csv", "über")
    ]
    texts = [HTML, UNICODE, MULTILINE, "plain", "a, b, c", '"', ""]
    # Every kind, as synthesis's guess and as a person's correction, and every scale at its
    # bounds and in between.
    kinds = ["", *Kind.values]
    scores = [
        (None, ""),
        (1.0, ScoreScale.STARS),
        (4.5, ScoreScale.STARS),
        (0.0, ScoreScale.NPS),
        (10.0, ScoreScale.NPS),
        (5.0, ScoreScale.CSAT),
        (2.0, ScoreScale.CSAT),
    ]
    plus_two = timezone(timedelta(hours=2))
    for n, channel in enumerate(Channel):
        for provenance in Provenance:
            relayed = provenance == Provenance.RELAYED
            kind = kinds[(2 * n + relayed) % len(kinds)]
            corrected = bool(kind) and n % 2 == 0
            score, scale = scores[(2 * n + relayed) % len(scores)]
            evidence = Evidence.objects.create(
                workspace=workspace,
                text=texts[n % len(texts)] + f" #{n}",
                # Entered in another time zone; stored and exported in UTC.
                occurred_at=(T0 - timedelta(days=n)).astimezone(plus_two),
                channel=channel,
                account=accounts[n % len(accounts)] if n % 3 else None,
                contact=contacts[n % len(contacts)] if n % 2 else None,
                captured_by=members[n % len(members)] if n % 4 else None,
                provenance=provenance,
                relayed_by="Sam from Sales" if relayed else "",
                source="zendesk" if n % 2 else "manual",
                external_id=f"T-{n}-{provenance}" if n % 2 else None,
                source_url=f"https://example.org/t/{n}?a=1&b=2" if n % 2 else "",
                kind=kind,
                kind_corrected=corrected,
                kind_confidence=None if corrected or not kind else 0.5 + n / 37,
                score=score,
                score_scale=scale,
                created_at=T0 + timedelta(minutes=n),
            )
            for tag in tags[: n % (len(tags) + 1)]:
                EvidenceTag.objects.create(evidence=evidence, tag=tag)
    # Same occurred_at as another item: ties are broken by insertion order, and kept.
    Evidence.objects.create(
        workspace=workspace, text="tie", occurred_at=T0, channel=Channel.OTHER, created_at=T0
    )


# The demo's day: fixed, so that its dates and the problems' trends are the same on every run.
DEMO_TODAY = date(2026, 11, 23)


def build_everything() -> Workspace:
    """The demo workspace, synthesized and curated: at least one of every kind of object.

    Built by the apps' own demo builders, services and edits, so that the test follows them as
    they grow; the few kinds the demo lacks (a PM's curation, an exposure preference, a dated
    window, an answer to a question deleted since) are added the way the app adds them.
    """
    from problemspace.booking.models import Availability, Window
    from problemspace.demo.build import build_demo
    from problemspace.evidence.models import ImportColumns
    from problemspace.interviews.models import ExposurePreference, Interview
    from problemspace.problems import edits
    from problemspace.problems.models import Problem, ProblemEdit, Status
    from problemspace.problems.services import synthesize_workspace
    from problemspace.recruiting.models import Candidate
    from problemspace.synthesis.embedding import HashingEmbedder

    workspace = build_demo(1729, today=DEMO_TODAY)
    embedder = HashingEmbedder()
    synthesize_workspace(workspace, embedder=embedder)
    first, second, third, *_ = Problem.objects.filter(workspace=workspace, candidate=False)
    edits.rename(first, "Month-end close takes days <b>& nights</b>")
    edits.set_statement(first, UNICODE)
    edits.set_status(first, Status.VALIDATED)
    edits.set_pinned(second, True)
    edits.set_dismissed(third, True)
    moved = list(third.links.values_list("evidence_id", flat=True)[:2])
    member = Member.objects.filter(workspace=workspace).order_by("pk")[0]
    edits.move(moved, first, embedder=embedder, by=member)
    # The history of edits: one by a member, undone by them.
    edits.rename(second, "A title taken back", by=member)
    edits.undo(ProblemEdit.objects.filter(workspace=workspace)[0], by=member)

    # Columns saved on an import's preview: one with a date order, one that reads it.
    ImportColumns.objects.create(
        workspace=workspace,
        name="Zendesk tickets",
        fields={"text": ["Description"], "title": ["Subject"]},
        ignore=["Assignee", UNICODE[:40]],
        dayfirst=True,
        saved_by=member,
        saved_at=T0,
    )
    ImportColumns.objects.create(workspace=workspace, name="Notes", fields={"text": ["Note"]})

    ExposurePreference.objects.create(member=member, nudge=True, last_nudged_at=T0)
    interview = Interview.objects.filter(workspace=workspace, status="held").first()
    assert interview is not None
    Interview.objects.filter(pk=interview.pk).update(
        transcript=MULTILINE, surprises=HTML, assumptions_touched="pricing; SSO"
    )
    schedule = Availability.objects.filter(workspace=workspace).order_by("pk")[0]
    Window.objects.create(
        availability=schedule, on_date=date(2026, 12, 24), starts=time(9), ends=time(9, 30)
    )
    candidate = Candidate.objects.filter(workspace=workspace).exclude(answers={}).first()
    assert candidate is not None
    candidate.answers["q999999"] = {"question": "A question since deleted", "answer": ["a", "b"]}
    candidate.save(update_fields=["answers"])
    _add_what_the_demo_lacks_since_version_3(workspace, first, member)
    return workspace


def _add_what_the_demo_lacks_since_version_3(
    workspace: Workspace, problem: Any, member: Member
) -> None:
    """A post merged into a newer one, opt-outs, notices naming posts, problems and initiatives,
    an overridden score with its reason, and a webhook endpoint."""
    from problemspace.integrations.models import Endpoint, Kind
    from problemspace.portal.models import Notice, OptOut, Post, PostStatus
    from problemspace.roadmap.models import Initiative

    older, newer = Post.objects.filter(workspace=workspace).order_by("created_at", "pk")[:2]
    Post.objects.filter(pk=older.pk).update(
        status=PostStatus.MERGED, merged_into=newer, moderated_by=member, moderated_at=T0
    )
    Post.objects.filter(pk=newer.pk).update(problem=problem)
    initiative = Initiative.objects.filter(workspace=workspace).order_by("pk")[0]
    Initiative.objects.filter(pk=initiative.pk).update(
        score_override=42.5, override_reason="The board asked for it: " + HTML
    )
    assert older.contact is not None and newer.contact is not None
    OptOut.objects.create(contact=older.contact, post=newer, created_at=T0)
    OptOut.objects.create(contact=newer.contact, post=None, created_at=T0)
    for key in (
        "status:published",
        f"status:merged:{newer.pk}",
        f"solved:{problem.pk}",
        f"shipped:initiative:{initiative.pk}",
        "solved:987654",
    ):
        Notice.objects.create(
            post=older, key=key, headline=f"News {key}", detail=UNICODE, sent_at=T0, recipients=3
        )
    Endpoint.objects.create(
        workspace=workspace,
        name="Slack #product",
        url="https://hooks.example.org/services/T0/B0?x=1&y=2",
        kind=Kind.CHAT,
        events=["initiative.moved", "brief.published"],
        created_by=member,
        created_at=T0,
        updated_at=T0,
    )
    Endpoint.objects.create(
        workspace=workspace,
        name="Warehouse",
        url="https://example.org/hook",
        events=["evidence.added"],
        active=False,
        disabled_reason="Failed 20 times in a row",
        disabled_at=T0,
        failures_in_a_row=20,
    )


def export_text(workspace: Workspace, **kwargs: Any) -> str:
    stream = io.StringIO()
    export_workspace(workspace, stream, **kwargs)
    return stream.getvalue()


def export_document(workspace: Workspace) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(export_text(workspace))
    return document


def restore_text(workspace: Workspace, text: str) -> Any:
    return restore_workspace(workspace, io.BytesIO(text.encode()))


def restore_document(workspace: Workspace, document: dict[str, Any]) -> Any:
    return restore_text(workspace, json.dumps(document))


def as_of_version(document: dict[str, Any], version: int) -> dict[str, Any]:
    """`document` as a file of format `version` had it: without the sections and the keys added
    since (a copy)."""
    from problemspace.transfer import schema

    older = json.loads(json.dumps(document))
    older["version"] = version
    for section in schema.ALL_SECTIONS:
        if section.since > version:
            del older[section.name]
            continue
        newer = [field.key for field in section.fields if field.since > version]
        for item in older[section.name]:
            for key in newer:
                del item[key]
    return older


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """The document less what differs between two workspaces of the same content."""
    document = dict(document)
    document.pop("exported_at")
    document["workspace"] = {"created_at": document["workspace"]["created_at"]}
    return document


def rows(workspace: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored value of the workspace, with references as natural keys, in export order."""
    members = Member.objects.filter(workspace=workspace).order_by("created_at", "pk")
    accounts = Account.objects.filter(workspace=workspace).order_by("created_at", "pk")
    contacts = Contact.objects.filter(workspace=workspace).order_by("created_at", "pk")
    tags = Tag.objects.filter(workspace=workspace).order_by("pk")
    evidence = (
        Evidence.objects.filter(workspace=workspace)
        .select_related("account", "contact", "captured_by__user")
        .prefetch_related("tags")
        .order_by("occurred_at", "pk")
    )
    return {
        "workspace": [(Workspace.objects.get(pk=workspace.pk).created_at,)],
        "members": [
            (m.user_id, m.user.email, m.user.username, m.role, m.created_at) for m in members
        ],
        "accounts": [
            (a.name, a.segment, a.plan, a.revenue, a.region, a.lifecycle, a.created_at)
            for a in accounts
        ],
        "contacts": [
            (
                c.account.name if c.account else None,
                c.name,
                c.email,
                c.role,
                c.research_consent,
                c.last_contacted,
                c.created_at,
            )
            for c in contacts
        ],
        "tags": [(t.name,) for t in tags],
        "evidence": [
            (
                e.text,
                e.occurred_at,
                e.channel,
                e.account.name if e.account else None,
                e.contact.email if e.contact else None,
                e.contact.name if e.contact else None,
                e.captured_by.user.email if e.captured_by else None,
                e.provenance,
                e.relayed_by,
                e.source,
                e.external_id,
                e.source_url,
                sorted(t.name for t in e.tags.all()),
                e.kind,
                e.kind_corrected,
                e.kind_confidence,
                e.score,
                e.score_scale,
                e.created_at,
            )
            for e in evidence
        ],
    }


def new_user(email: str) -> User:
    return User.objects.create_user(username=email, email=email)
