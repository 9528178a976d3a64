"""The recruiting API: campaigns, candidates, prospects and invitations."""

from __future__ import annotations

from problemspace.recruiting.models import Campaign, Candidate, CandidateStatus
from problemspace.recruiting.tests.factories import campaign, contact, interview_schedule
from problemspace.testing import SmtpTestCase


class RecruitingApiTests(SmtpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.campaign = campaign(self.workspace, schedule=interview_schedule(self.member(self.bob)))

    def test_an_editor_starts_a_campaign(self) -> None:
        response = self.client.post(
            "/api/w/acme/campaigns",
            {"name": "Usability round", "interview_kind": "usability", "quotas": {"SMB": 4}},
            content_type="application/json",
            headers=self.api_key(self.bob),
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["quotas"], [{"segment": "SMB", "quota": 4, "filled": 0}])
        made = Campaign.objects.get(pk=body["id"])
        self.assertIn(f"/r/{made.token}/", body["signup_url"])

    def test_bad_input_is_422_and_viewers_get_403(self) -> None:
        bad = self.client.post(
            "/api/w/acme/campaigns",
            {"name": "", "quotas": {"SMB": 0}},
            content_type="application/json",
            headers=self.api_key(self.bob),
        )
        self.assertEqual(bad.status_code, 422)
        viewer = self.client.post(
            "/api/w/acme/campaigns",
            {"name": "x"},
            content_type="application/json",
            headers=self.api_key(self.vic),
        )
        self.assertEqual(viewer.status_code, 403)

    def test_reading_a_campaign_and_its_candidates(self) -> None:
        Candidate.objects.create(
            workspace=self.workspace,
            campaign=self.campaign,
            contact=contact(self.workspace, "p@x.example"),
            segment="SMB",
            status=CandidateStatus.SCREENED_IN,
        )
        headers = self.api_key(self.vic)
        detail = self.client.get(f"/api/w/acme/campaigns/{self.campaign.pk}", headers=headers)
        self.assertEqual(len(detail.json()["questions"]), 3)
        self.assertEqual(detail.json()["candidates"]["screened_in"], 1)
        listed = self.client.get(
            f"/api/w/acme/campaigns/{self.campaign.pk}/candidates?status=screened_in",
            headers=headers,
        ).json()
        self.assertEqual([c["email"] for c in listed], ["p@x.example"])

    def test_prospects_and_invitations(self) -> None:
        person = contact(self.workspace, "q@x.example")
        headers = self.api_key(self.bob)
        prospects = self.client.get(
            f"/api/w/acme/campaigns/{self.campaign.pk}/prospects", headers=headers
        ).json()
        self.assertEqual([p["contact_id"] for p in prospects], [])  # no target-segment account
        self.campaign.quotas.all().delete()
        prospects = self.client.get(
            f"/api/w/acme/campaigns/{self.campaign.pk}/prospects", headers=headers
        ).json()
        self.assertEqual([p["contact_id"] for p in prospects], [person.pk])
        invited = self.client.post(
            f"/api/w/acme/campaigns/{self.campaign.pk}/invitations",
            {"contact_ids": [person.pk]},
            content_type="application/json",
            headers=headers,
        )
        self.assertEqual(invited.json(), {"sent": 1, "failed": 0, "skipped": 0})
        self.assertEqual([m["To"] for m in self.smtp.messages], ["q@x.example"])

    def test_setting_a_candidates_status(self) -> None:
        candidate = Candidate.objects.create(
            workspace=self.workspace,
            campaign=self.campaign,
            contact=contact(self.workspace, "r@x.example"),
        )
        url = f"/api/w/acme/candidates/{candidate.pk}"
        response = self.client.patch(
            url,
            {"status": "no_show"},
            content_type="application/json",
            headers=self.api_key(self.bob),
        )
        self.assertEqual(response.json()["status"], "no_show")
        wrong = self.client.patch(
            url,
            {"status": "maybe"},
            content_type="application/json",
            headers=self.api_key(self.bob),
        )
        self.assertEqual(wrong.status_code, 422)
