"""Campaign pages: editors run them, everyone reads them."""

from __future__ import annotations

from django.urls import reverse

from problemspace.recruiting.models import Campaign, Candidate, CandidateStatus, ScreenerQuestion
from problemspace.recruiting.tests.factories import campaign, contact, interview_schedule
from problemspace.testing import SmtpTestCase


class CampaignPageTests(SmtpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.schedule = interview_schedule(self.member(self.bob))
        self.campaign = campaign(self.workspace, schedule=self.schedule)
        self.url = reverse("recruiting:campaign", args=["acme", self.campaign.pk])

    def test_an_editor_makes_a_campaign_with_quotas(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("recruiting:campaigns", args=["acme"]),
            {
                "name": "Onboarding interviews",
                "interview_kind": "solution",
                "quotas": "SMB: 3\nEnterprise: 2",
                "availability": str(self.schedule.pk),
                "is_open": "on",
            },
        )
        made = Campaign.objects.get(name="Onboarding interviews")
        self.assertRedirects(response, reverse("recruiting:campaign", args=["acme", made.pk]))
        self.assertEqual(
            dict(made.quotas.values_list("segment", "quota")), {"SMB": 3, "Enterprise": 2}
        )
        self.assertEqual(made.availability, self.schedule)
        self.assertEqual(made.created_by, self.member(self.bob))

    def test_bad_quotas_are_explained(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("recruiting:campaigns", args=["acme"]),
            {"name": "X", "interview_kind": "problem", "quotas": "SMB three"},
        )
        self.assertContains(response, "should read “segment: number”", status_code=400)
        self.assertFalse(Campaign.objects.filter(name="X").exists())

    def test_the_detail_page_shows_progress_and_the_share_link(self) -> None:
        at_smb = contact(self.workspace, "p@x.example")
        Candidate.objects.create(
            workspace=self.workspace,
            campaign=self.campaign,
            contact=at_smb,
            segment="SMB",
            status=CandidateStatus.BOOKED,
        )
        self.client.force_login(self.vic)
        page = self.client.get(self.url)
        self.assertContains(page, 'max="2" value="1"')
        self.assertContains(page, f"/r/{self.campaign.token}/")
        self.assertContains(page, 'data-copy="signup-link"')
        self.assertNotContains(page, "Add a question")

    def test_an_editor_adds_and_removes_screener_questions(self) -> None:
        self.client.force_login(self.bob)
        add = reverse("recruiting:question_add", args=["acme", self.campaign.pk])
        response = self.client.post(
            add,
            {"text": "Team size?", "kind": "single", "choices": "1-5\n6-50", "qualifying": "6-50"},
        )
        self.assertRedirects(response, self.url)
        question = ScreenerQuestion.objects.get(text="Team size?")
        self.assertEqual((question.choices, question.qualifying), (["1-5", "6-50"], ["6-50"]))
        bad = self.client.post(
            add, {"text": "Team size?", "kind": "single", "choices": "1-5\n6-50", "qualifying": "7"}
        )
        self.assertContains(bad, "is not one of the choices", status_code=400)
        delete = reverse("recruiting:question_delete", args=["acme", question.pk])
        self.assertRedirects(self.client.post(delete), self.url)
        self.assertFalse(ScreenerQuestion.objects.filter(pk=question.pk).exists())

    def test_a_contributor_cannot_change_a_campaign(self) -> None:
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        response = self.client.post(self.url, {"name": "Hijacked", "interview_kind": "problem"})
        self.assertEqual(response.status_code, 403)
        add = reverse("recruiting:question_add", args=["acme", self.campaign.pk])
        self.assertEqual(self.client.post(add, {"text": "x", "kind": "text"}).status_code, 403)

    def test_screening_a_candidate_in_by_hand_emails_the_booking_link(self) -> None:
        candidate = Candidate.objects.create(
            workspace=self.workspace,
            campaign=self.campaign,
            contact=contact(self.workspace, "q@x.example"),
            status=CandidateStatus.SCREENED_OUT,
        )
        url = reverse("recruiting:candidate", args=["acme", candidate.pk])
        self.client.force_login(self.bob)
        response = self.client.post(url, {"status": "screened_in"})
        self.assertRedirects(response, url)
        candidate.refresh_from_db()
        self.assertEqual(candidate.status, CandidateStatus.SCREENED_IN)
        self.assertEqual([m["To"] for m in self.smtp.messages], ["q@x.example"])
        self.client.force_login(self.vic)
        self.assertEqual(self.client.post(url, {"status": "done"}).status_code, 403)

    def test_the_campaign_list_counts_candidates(self) -> None:
        self.client.force_login(self.vic)
        page = self.client.get(reverse("recruiting:campaigns", args=["acme"]))
        self.assertContains(page, "Month-end close")
        self.assertNotContains(page, "New campaign")

    def test_outsiders_get_404(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
