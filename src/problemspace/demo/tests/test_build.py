"""Building the demo into the database: the same result every time, nothing duplicated."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import authenticate
from django.db.models import Count, F
from django.test import TestCase, override_settings

from problemspace.customers.models import Account, Contact
from problemspace.demo import story
from problemspace.demo.build import DemoError, build_demo, existing_demo, set_demo_password
from problemspace.demo.plan import demo_plan
from problemspace.evidence.models import Evidence, EvidenceTag, Provenance
from problemspace.workspaces.models import Member, Role, Workspace

TODAY = date(2026, 11, 23)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def snapshot(workspace: Workspace) -> list[tuple[object, ...]]:
    """Everything that matters about the evidence, by stable id rather than primary key."""
    return list(
        Evidence.objects.filter(workspace=workspace)
        .order_by("external_id")
        .values_list(
            "external_id",
            "text",
            "occurred_at",
            "channel",
            "provenance",
            "relayed_by",
            "account__name",
            "contact__email",
            "captured_by__user__username",
            "source",
        )
    )


def tag_names(workspace: Workspace) -> list[tuple[str | None, str]]:
    rows = EvidenceTag.objects.filter(evidence__workspace=workspace)
    return sorted(rows.values_list("evidence__external_id", "tag__name"))


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class BuildDemoTests(TestCase):
    workspace: Workspace

    @classmethod
    def setUpTestData(cls) -> None:
        cls.workspace = build_demo(1729, today=TODAY, password="tulip-anchor-93")

    def test_it_builds_what_the_plan_says(self) -> None:
        plan = demo_plan(1729, TODAY)
        # Quotes highlighted in the demo's interviews (interviews.demo) and the posts on its
        # customer portal (portal.demo) come on top of the plan.
        evidence = Evidence.objects.filter(workspace=self.workspace).exclude(
            source__in=["interview", "portal"]
        )
        self.assertEqual(evidence.count(), len(plan.evidence))
        self.assertEqual(
            sorted(evidence.values_list("external_id", "text")),
            sorted((item.external_id, item.text) for item in plan.evidence),
        )
        self.assertEqual(Account.objects.filter(workspace=self.workspace).count(), 40)
        self.assertEqual(
            Contact.objects.filter(workspace=self.workspace).count(), len(plan.contacts)
        )
        self.assertEqual(
            sum(len(item.tags) for item in plan.evidence), len(tag_names(self.workspace))
        )
        self.assertFalse(evidence.exclude(source=story.SOURCE).exists())

    def test_rebuilding_gives_the_same_workspace_and_duplicates_nothing(self) -> None:
        before, tags_before = snapshot(self.workspace), tag_names(self.workspace)
        again = build_demo(1729, today=TODAY)
        self.assertEqual(Workspace.objects.filter(slug=story.WORKSPACE_SLUG).count(), 1)
        self.assertEqual(snapshot(again), before)
        self.assertEqual(tag_names(again), tags_before)
        self.assertEqual(Evidence.objects.count(), len(before))
        self.assertEqual(Account.objects.count(), 40)
        self.assertEqual(Member.objects.count(), len(story.MEMBERS))

    def test_it_satisfies_the_database_constraints_and_links(self) -> None:
        evidence = Evidence.objects.filter(workspace=self.workspace)
        self.assertFalse(evidence.filter(provenance=Provenance.FIRST_HAND).exclude(relayed_by=""))
        self.assertFalse(evidence.filter(provenance=Provenance.RELAYED, relayed_by=""))
        with_contact = evidence.filter(contact__isnull=False)
        self.assertFalse(with_contact.exclude(account=F("contact__account")).exists())
        self.assertFalse(
            evidence.exclude(captured_by__workspace=self.workspace).exclude(
                captured_by__isnull=True
            )
        )
        per_segment = dict(
            Account.objects.filter(workspace=self.workspace)
            .values_list("segment")
            .annotate(n=Count("id"))
            .values_list("segment", "n")
        )
        self.assertEqual(set(per_segment), set(story.SEGMENTS))

    def test_it_gives_the_members_their_roles_and_one_password(self) -> None:
        roles = dict(
            Member.objects.filter(workspace=self.workspace).values_list("user__username", "role")
        )
        self.assertEqual(roles[story.OWNER.email], Role.OWNER)
        self.assertEqual(sorted(roles.values()), sorted(p.role for p in story.MEMBERS))
        for person in story.MEMBERS:
            self.assertIsNotNone(authenticate(username=person.email, password="tulip-anchor-93"))
        set_demo_password("another-one-42")
        self.assertIsNotNone(authenticate(username=story.OWNER.email, password="another-one-42"))
        self.assertIsNone(authenticate(username=story.OWNER.email, password="tulip-anchor-93"))

    def test_it_replaces_what_was_added_to_the_demo_by_hand(self) -> None:
        Evidence.objects.create(
            workspace=self.workspace, text="added by hand", occurred_at="2026-11-20T10:00:00Z"
        )
        build_demo(1729, today=TODAY)
        self.assertFalse(Evidence.objects.filter(text="added by hand").exists())

    def test_it_leaves_a_workspace_it_did_not_create_alone(self) -> None:
        self.workspace.name = "Our real team"
        self.workspace.save()
        count = Evidence.objects.count()
        with self.assertRaisesRegex(DemoError, "did not create"):
            build_demo(1729, today=TODAY)
        with self.assertRaises(DemoError):
            existing_demo()
        self.assertEqual(Evidence.objects.filter(workspace=self.workspace).count(), count)
