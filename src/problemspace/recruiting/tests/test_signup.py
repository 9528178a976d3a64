"""The public sign-up page: screening, quotas, contacts, spam and escaping."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from problemspace.customers.models import Account, Contact
from problemspace.recruiting.models import Candidate, CandidateStatus, Source
from problemspace.recruiting.public_views import SIGNUPS_PER_IP
from problemspace.recruiting.tests.factories import answers, campaign, interview_schedule
from problemspace.testing import SmtpTestCase
from problemspace.web.models import TokenBucket


class SignUpTests(SmtpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.schedule = interview_schedule(self.member(self.bob))
        self.campaign = campaign(self.workspace, schedule=self.schedule)
        self.url = reverse("recruiting_public:signup", args=[self.campaign.token])

    def sign_up(self, email: str = "pat@smallco.example", **extra: Any) -> Any:
        data: dict[str, Any] = {
            "name": "Pat Doe",
            "email": email,
            "company": "SmallCo",
            "role": "Controller",
            "segment": "SMB",
            "consent": "yes",
            **answers(self.campaign, qualifying=extra.pop("qualifying", True)),
        }
        data.update(extra)
        return self.client.post(self.url, data)

    def test_the_page_shows_the_screener_without_sign_in(self) -> None:
        page = self.client.get(self.url)
        self.assertContains(page, "How do you close the month?")
        self.assertContains(page, 'type="checkbox" name="q')
        self.assertContains(page, "Which best describes your company?")

    def test_a_qualifying_person_is_screened_in_and_sent_to_book(self) -> None:
        response = self.sign_up()
        candidate = Candidate.objects.get()
        self.assertEqual(candidate.status, CandidateStatus.SCREENED_IN)
        self.assertEqual(candidate.source, Source.SIGN_UP)
        self.assertEqual(candidate.segment, "SMB")
        location = urlsplit(response["Location"])
        self.assertEqual(location.path, reverse("booking_public:book", args=[self.schedule.token]))
        self.assertIn("c", parse_qs(location.query))
        # The booking page lets them in, with their name filled in.
        page = self.client.get(response["Location"])
        self.assertContains(page, 'value="Pat Doe"')
        # And the link is emailed, to come back to.
        self.assertEqual(len(self.smtp.messages), 1)
        message = self.smtp.messages[0]
        self.assertEqual(message["To"], "pat@smallco.example")
        body = message.get_body(("plain",))
        assert body is not None
        self.assertIn(f"/b/{self.schedule.token}/?c=", body.get_content())

    def test_a_contact_and_account_are_made_and_marked_consenting(self) -> None:
        self.sign_up()
        contact = Contact.objects.get(email="pat@smallco.example")
        self.assertTrue(contact.research_consent)
        self.assertIsNotNone(contact.last_contacted)
        assert contact.account is not None
        self.assertEqual((contact.account.name, contact.account.segment), ("SmallCo", "SMB"))

    def test_an_existing_contact_and_account_are_matched_whatever_the_case(self) -> None:
        account = Account.objects.create(workspace=self.workspace, name="SmallCo", segment="SMB")
        existing = Contact.objects.create(
            workspace=self.workspace, email="Pat@SmallCo.example", name="Pat"
        )
        self.sign_up(email="pat@smallco.EXAMPLE", company="smallco")
        self.assertEqual(Contact.objects.count(), 1)
        self.assertEqual(Account.objects.count(), 1)
        existing.refresh_from_db()
        self.assertEqual(existing.account, account)
        self.assertEqual(Candidate.objects.get().contact, existing)

    def test_the_accounts_segment_wins_over_the_answer(self) -> None:
        Account.objects.create(workspace=self.workspace, name="BigCo", segment="Enterprise")
        self.sign_up(company="BigCo", segment="SMB")
        self.assertEqual(Candidate.objects.get().segment, "Enterprise")

    def test_a_person_who_does_not_qualify_is_screened_out_kindly(self) -> None:
        response = self.sign_up(qualifying=False)
        self.assertContains(response, "slightly different situation")
        candidate = Candidate.objects.get()
        self.assertEqual(candidate.status, CandidateStatus.SCREENED_OUT)
        self.assertIn("How do you close the month?", candidate.screening_note)
        self.assertEqual(self.smtp.messages, [])

    def test_a_segment_outside_the_targets_is_screened_out(self) -> None:
        self.sign_up(segment="")
        candidate = Candidate.objects.get()
        self.assertEqual(candidate.status, CandidateStatus.SCREENED_OUT)
        self.assertIn("not a target", candidate.screening_note)

    def test_a_full_quota_screens_out_with_a_kind_message(self) -> None:
        self.sign_up(email="one@smallco.example")
        self.sign_up(email="two@smallco.example")
        response = self.sign_up(email="three@smallco.example")
        self.assertContains(response, "enough people at companies like yours")
        third = Candidate.objects.get(contact__email="three@smallco.example")
        self.assertEqual(third.status, CandidateStatus.SCREENED_OUT)
        self.assertIn("quota (2) was full", third.screening_note)
        # Enterprise still has room.
        Account.objects.create(workspace=self.workspace, name="BigCo", segment="Enterprise")
        self.sign_up(email="four@bigco.example", company="BigCo")
        four = Candidate.objects.get(contact__email="four@bigco.example")
        self.assertEqual(four.status, CandidateStatus.SCREENED_IN)

    def test_signing_up_twice_does_not_screen_again(self) -> None:
        self.sign_up(qualifying=False)
        response = self.sign_up()
        self.assertContains(response, "We already have your answers")
        self.assertEqual(Candidate.objects.get().status, CandidateStatus.SCREENED_OUT)

    def test_missing_answers_are_reported_next_to_each_question(self) -> None:
        single, multi, text = self.campaign.questions.all()
        response = self.sign_up(
            name="",
            email="nope",
            consent="",
            **{f"q{single.pk}": "", f"q{multi.pk}": [], f"q{text.pk}": ""},
        )
        self.assertContains(response, "Tell us your name.", status_code=400)
        self.assertContains(response, "That is not an email address", status_code=400)
        self.assertContains(response, "Choose an answer.", status_code=400)
        self.assertContains(response, "Choose at least one answer.", status_code=400)
        self.assertContains(response, "Please answer this question.", status_code=400)
        self.assertContains(response, "if you agree to it", status_code=400)
        self.assertEqual(Candidate.objects.count(), 0)
        self.assertEqual(Contact.objects.count(), 0)

    def test_a_tampered_choice_is_refused(self) -> None:
        single = self.campaign.questions.first()
        assert single is not None
        response = self.sign_up(**{f"q{single.pk}": "Anything I like"})
        self.assertContains(response, "Choose one of the answers listed.", status_code=400)
        self.assertEqual(Candidate.objects.count(), 0)

    def test_script_in_answers_is_stored_as_written_and_shown_escaped(self) -> None:
        text = self.campaign.questions.get(kind="text")
        script = "<script>alert('owned')</script>"
        self.sign_up(name=script, **{f"q{text.pk}": script})
        candidate = Candidate.objects.get()
        self.assertEqual(candidate.answers[f"q{text.pk}"]["answer"], script)
        self.client.force_login(self.bob)
        for url in (
            reverse("recruiting:candidate", args=["acme", candidate.pk]),
            reverse("recruiting:campaign", args=["acme", self.campaign.pk]),
        ):
            page = self.client.get(url)
            self.assertNotContains(page, "<script>alert")
            self.assertContains(page, "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;")

    def test_the_honeypot_stores_nothing(self) -> None:
        response = self.sign_up(website="http://cheap-pills.example")
        self.assertContains(response, "Thank you")
        self.assertEqual(Candidate.objects.count(), 0)
        self.assertEqual(Contact.objects.count(), 0)
        self.assertEqual(self.smtp.messages, [])

    def test_it_is_rate_limited_per_address(self) -> None:
        TokenBucket.objects.all().delete()
        for number in range(SIGNUPS_PER_IP.capacity):
            self.sign_up(email=f"p{number}@smallco.example", qualifying=False)
        response = self.sign_up(email="late@smallco.example")
        self.assertContains(response, "Too many attempts", status_code=429)
        self.assertFalse(Contact.objects.filter(email="late@smallco.example").exists())

    def test_a_closed_campaign_takes_no_sign_up(self) -> None:
        self.campaign.is_open = False
        self.campaign.save()
        self.assertContains(self.client.get(self.url), "Sign-ups are closed", status_code=410)
        self.assertEqual(self.sign_up().status_code, 410)
        self.assertEqual(Candidate.objects.count(), 0)

    def test_an_unknown_campaign_is_a_404(self) -> None:
        url = reverse("recruiting_public:signup", args=["nope"])
        self.assertEqual(self.client.get(url).status_code, 404)
