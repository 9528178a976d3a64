"""“Who haven't we talked to?” and inviting the people it finds, over real SMTP."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Evidence
from problemspace.recruiting.models import Candidate, CandidateStatus, Source
from problemspace.recruiting.sourcing import prospects
from problemspace.recruiting.tests.factories import campaign, contact
from problemspace.testing import SmtpTestCase


class ProspectTests(SmtpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.campaign = campaign(self.workspace, quotas={"SMB": 5, "Mid-market": 5})
        now = timezone.now()
        self.loud = Account.objects.create(workspace=self.workspace, name="Loud", segment="SMB")
        self.quiet = Account.objects.create(workspace=self.workspace, name="Quiet", segment="SMB")
        self.mid = Account.objects.create(
            workspace=self.workspace, name="Middle", segment="Mid-market"
        )
        self.big = Account.objects.create(
            workspace=self.workspace, name="Big", segment="Enterprise"
        )
        for _ in range(5):
            Evidence.objects.create(
                workspace=self.workspace, account=self.loud, text="x", occurred_at=now
            )
        # Old evidence does not count: the quiet account was heard from a year ago only.
        for _ in range(9):
            Evidence.objects.create(
                workspace=self.workspace,
                account=self.quiet,
                text="x",
                occurred_at=now - timedelta(days=365),
            )
        Evidence.objects.create(
            workspace=self.workspace, account=self.mid, text="x", occurred_at=now
        )
        today = timezone.localdate()
        self.at_loud = contact(self.workspace, "a@loud.example", account=self.loud)
        self.at_quiet = contact(
            self.workspace,
            "b@quiet.example",
            account=self.quiet,
            last_contacted=today - timedelta(days=200),
        )
        self.at_mid = contact(self.workspace, "c@mid.example", account=self.mid)
        contact(self.workspace, "d@big.example", account=self.big)  # not a target segment
        contact(self.workspace, "e@quiet.example", account=self.quiet, consent=False)
        contact(
            self.workspace,
            "f@quiet.example",
            account=self.quiet,
            last_contacted=today - timedelta(days=10),
        )

    def test_it_leads_with_the_least_heard_from(self) -> None:
        found = [p.contact for p in prospects(self.campaign)]
        self.assertEqual(found, [self.at_quiet, self.at_mid, self.at_loud])
        first = prospects(self.campaign)[0]
        self.assertEqual((first.account_heard, first.segment_heard), (0, 5))

    def test_the_quiet_period_is_chosen(self) -> None:
        found = {p.contact.email for p in prospects(self.campaign, quiet_days=5)}
        self.assertIn("f@quiet.example", found)

    def test_people_already_in_the_campaign_are_left_out(self) -> None:
        Candidate.objects.create(
            workspace=self.workspace, campaign=self.campaign, contact=self.at_quiet
        )
        self.assertNotIn(self.at_quiet, [p.contact for p in prospects(self.campaign)])

    def test_the_page_lists_them_and_invites_the_ones_ticked(self) -> None:
        self.client.force_login(self.bob)
        url = reverse("recruiting:prospects", args=["acme", self.campaign.pk])
        page = self.client.get(url)
        self.assertContains(page, "b@quiet.example")
        self.assertNotContains(page, "d@big.example")
        response = self.client.post(url, {"contact": [self.at_quiet.pk, self.at_mid.pk]})
        self.assertRedirects(
            response, reverse("recruiting:campaign", args=["acme", self.campaign.pk])
        )
        invited = Candidate.objects.filter(campaign=self.campaign)
        self.assertEqual(invited.count(), 2)
        self.assertTrue(all(c.status == CandidateStatus.INVITED for c in invited))
        self.assertTrue(all(c.source == Source.LIST for c in invited))
        self.at_quiet.refresh_from_db()
        self.assertEqual(self.at_quiet.last_contacted, timezone.localdate())
        self.assertEqual(
            sorted(m["To"] for m in self.smtp.messages), ["b@quiet.example", "c@mid.example"]
        )
        message = next(m for m in self.smtp.messages if m["To"] == "b@quiet.example")
        self.assertEqual(message["Reply-To"], "bob@example.org")
        body = message.get_body(("plain",))
        assert body is not None
        text = body.get_content()
        self.assertIn(f"/r/{self.campaign.token}/?i=", text)
        # The link fills in the sign-up form for them.
        link = text[text.index("/r/") :].split()[0]
        self.assertContains(self.client.get(link), 'value="b@quiet.example"')

    def test_people_without_consent_are_never_invited(self) -> None:
        self.client.force_login(self.bob)
        refuser = Contact.objects.get(email="e@quiet.example")
        url = reverse("recruiting:prospects", args=["acme", self.campaign.pk])
        self.client.post(url, {"contact": [refuser.pk]})
        self.assertFalse(Candidate.objects.exists())
        self.assertEqual(self.smtp.messages, [])

    def test_only_editors_invite(self) -> None:
        url = reverse("recruiting:prospects", args=["acme", self.campaign.pk])
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.post(url, {"contact": [self.at_mid.pk]}).status_code, 403)
        self.assertFalse(Candidate.objects.exists())

    def test_contacts_of_another_workspace_cannot_be_invited(self) -> None:
        stranger = contact(self.other_workspace, "x@other.example")
        self.client.force_login(self.bob)
        url = reverse("recruiting:prospects", args=["acme", self.campaign.pk])
        self.client.post(url, {"contact": [stranger.pk]})
        self.assertFalse(Candidate.objects.exists())
