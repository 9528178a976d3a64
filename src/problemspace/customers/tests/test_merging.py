"""Merging accounts and contacts that are one customer, and finding the ones that may be."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from problemspace.customers.matching import account_for_email, similar_accounts
from problemspace.customers.merging import MergeError, merge_accounts, merge_contacts
from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Evidence
from problemspace.interviews.models import Interview
from problemspace.jobs.models import Job, Kind
from problemspace.portal.models import Post, Vote
from problemspace.testing import BaseTestCase

WHEN = datetime(2025, 3, 4, tzinfo=UTC)


class MatchingTestCase(BaseTestCase):
    def test_a_shorter_or_misspelt_name_finds_the_account(self) -> None:
        granite = Account.objects.create(workspace=self.workspace, name="Granite Peak Construction")
        globex = Account.objects.create(workspace=self.workspace, name="Globex Corp")
        Account.objects.create(workspace=self.workspace, name="Initech")
        assert similar_accounts(self.workspace.pk, "Granite Peak") == [granite]
        assert similar_accounts(self.workspace.pk, "Globex Corporation.") == [globex]
        assert similar_accounts(self.workspace.pk, "Granite Falls") == []
        assert similar_accounts(self.workspace.pk, "Globex") == [globex]
        assert similar_accounts(self.workspace.pk, "Globx Corp") == [globex]
        assert similar_accounts(self.workspace.pk, "Granite Peak Construction") == []
        assert similar_accounts(self.other_workspace.pk, "Granite Peak") == []

    def test_an_address_points_to_its_companys_account(self) -> None:
        granite = Account.objects.create(workspace=self.workspace, name="Granite Peak Construction")
        assert account_for_email(self.workspace.pk, "rick@granitepeak.com") == granite
        assert account_for_email(self.workspace.pk, "rick@gmail.com") is None
        known = Account.objects.create(workspace=self.workspace, name="GP Holdings")
        Contact.objects.create(workspace=self.workspace, email="ana@gp.example", account=known)
        assert account_for_email(self.workspace.pk, "bo@gp.example") == known
        assert account_for_email(self.other_workspace.pk, "bo@gp.example") is None


class MergeTestCase(BaseTestCase):
    def test_merging_an_account_moves_its_evidence_and_contacts(self) -> None:
        keep = Account.objects.create(workspace=self.workspace, name="Granite Peak Construction")
        other = Account.objects.create(
            workspace=self.workspace, name="Granite Peak", segment="SMB", revenue=Decimal("9")
        )
        rick = Contact.objects.create(
            workspace=self.workspace, email="rick@gp.example", account=other
        )
        said = Evidence.objects.create(
            workspace=self.workspace, text="Exports fail", occurred_at=WHEN, account=other
        )
        merged = merge_accounts(keep, other)
        assert (merged.kept, merged.merged, merged.moved) == (
            "Granite Peak Construction",
            "Granite Peak",
            2,
        )
        rick.refresh_from_db()
        said.refresh_from_db()
        keep.refresh_from_db()
        assert rick.account == keep and said.account == keep
        assert (keep.segment, keep.revenue) == ("SMB", Decimal("9.00"))
        assert not Account.objects.filter(pk=other.pk).exists()

    def test_merging_contacts_keeps_one_vote_per_post_and_every_interview(self) -> None:
        keep = Contact.objects.create(workspace=self.workspace, email="ola@meridian.org")
        other = Contact.objects.create(
            workspace=self.workspace, email="o.berg@meridian.org", name="Ola Berg", role="CFO"
        )
        post = Post.objects.create(workspace=self.workspace, title="SSO", vote_count=2)
        Vote.objects.create(post=post, contact=keep)
        Vote.objects.create(post=post, contact=other)
        interview = Interview.objects.create(
            workspace=self.workspace, goal="Approvals", scheduled_at=WHEN
        )
        interview.contacts.add(other)
        said = Evidence.objects.create(
            workspace=self.workspace, text="Approvals stall", occurred_at=WHEN, contact=other
        )
        merge_contacts(keep, other)
        keep.refresh_from_db()
        said.refresh_from_db()
        post.refresh_from_db()
        assert (keep.name, keep.role, keep.email) == ("Ola Berg", "CFO", "ola@meridian.org")
        assert said.contact == keep
        assert list(interview.contacts.all()) == [keep]
        assert Vote.objects.filter(post=post).count() == 1 and post.vote_count == 1

    def test_a_record_is_not_merged_with_itself_or_across_workspaces(self) -> None:
        one = Account.objects.create(workspace=self.workspace, name="One")
        theirs = Account.objects.create(workspace=self.other_workspace, name="Theirs")
        with self.assertRaisesMessage(MergeError, "cannot be merged with itself"):
            merge_accounts(one, one)
        with self.assertRaisesMessage(MergeError, "same workspace"):
            merge_accounts(one, theirs)
        assert Account.objects.filter(pk=theirs.pk).exists()


class MergePageTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.keep = Account.objects.create(
            workspace=self.workspace, name="Granite Peak Construction"
        )
        self.other = Account.objects.create(workspace=self.workspace, name="Granite Peak")
        self.url = f"/w/acme/accounts/{self.keep.pk}/merge/"

    def test_the_account_page_suggests_the_likely_same_account(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get(f"/w/acme/accounts/{self.keep.pk}/")
        self.assertContains(page, "Likely the same account")
        self.assertContains(page, "Merge it into Granite Peak Construction")

    def test_an_editor_merges_and_the_problems_are_recounted(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(self.url, {"other": self.other.pk}, follow=True)
        self.assertContains(response, "is merged into")
        assert not Account.objects.filter(pk=self.other.pk).exists()
        assert Job.objects.filter(kind=Kind.REFRESH).exists()

    def test_by_name_and_only_within_the_workspace(self) -> None:
        theirs = Account.objects.create(workspace=self.other_workspace, name="Theirs")
        self.client.force_login(self.bob)
        self.client.post(self.url, {"other": theirs.pk})
        assert Account.objects.filter(pk=theirs.pk).exists()
        self.client.post(self.url, {"other_name": "granite peak"})
        assert not Account.objects.filter(pk=self.other.pk).exists()

    def test_contributors_and_viewers_may_not_merge(self) -> None:
        for user in (self.carol, self.vic):
            self.client.force_login(user)
            assert self.client.post(self.url, {"other": self.other.pk}).status_code == 403
        self.client.force_login(self.vic)
        page = self.client.get(f"/w/acme/accounts/{self.keep.pk}/")
        self.assertNotContains(page, "Merge it into")
        assert Account.objects.filter(pk=self.other.pk).exists()

    def test_contacts_merge_by_their_other_email(self) -> None:
        keep = Contact.objects.create(workspace=self.workspace, email="ola@meridian.org")
        Contact.objects.create(workspace=self.workspace, email="o.berg@meridian.org", name="Ola")
        self.client.force_login(self.bob)
        url = f"/w/acme/contacts/{keep.pk}/merge/"
        response = self.client.post(url, {"other": "O.Berg@meridian.org"}, follow=True)
        self.assertContains(response, "is merged into")
        keep.refresh_from_db()
        assert keep.name == "Ola" and Contact.objects.filter(workspace=self.workspace).count() == 1
