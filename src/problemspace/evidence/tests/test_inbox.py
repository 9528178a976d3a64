from __future__ import annotations

from datetime import timedelta

from django.test import override_settings

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Channel, Provenance
from problemspace.evidence.tests.factories import (
    BASE_TIME,
    make_account,
    make_contact,
    make_evidence,
)
from problemspace.testing import BaseTestCase


class InboxTestCase(BaseTestCase):
    globex: Account
    initech: Account
    dana: Contact
    url = "/w/acme/inbox/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.globex = make_account(cls.workspace, "Globex", segment="Enterprise")
        cls.initech = make_account(cls.workspace, "Initech", segment="SMB")
        cls.dana = make_contact(cls.workspace, "dana@globex.example", account=cls.globex)

    def ids(self, response) -> list[int]:
        return [evidence.pk for evidence in response.context["page"].items]

    def test_it_works(self) -> None:
        make_evidence(
            self.workspace,
            "Exports take all Monday.",
            account=self.globex,
            contact=self.dana,
            channel=Channel.INTERVIEW,
            tags=["exports"],
        )
        self.client.force_login(self.vic)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Exports take all Monday.")
        self.assertContains(response, "Globex")
        self.assertContains(response, "Interview")
        self.assertContains(response, "First-hand")
        self.assertContains(response, "exports")

    def test_it_requires_sign_in(self) -> None:
        response = self.client.get(self.url)
        self.assertRedirects(response, f"/login/?next={self.url}")

    def test_it_checks_membership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.get("/w/no-such-workspace/inbox/").status_code, 404)

    def test_it_shows_only_this_workspace(self) -> None:
        make_evidence(self.other_workspace, "Other team's secret.")
        self.client.force_login(self.alice)
        self.assertNotContains(self.client.get(self.url), "Other team&#x27;s secret.")

    def test_it_says_so_when_empty(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(self.url), "No evidence yet.")

    def test_it_shows_relayed_provenance(self) -> None:
        make_evidence(self.workspace, provenance=Provenance.RELAYED, relayed_by="Sam (Sales)")
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(self.url), "Relayed by Sam (Sales)")

    def test_it_escapes_evidence_text(self) -> None:
        make_evidence(self.workspace, "<script>alert('x')</script>")
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
        self.assertNotContains(response, "<script>alert")

    def test_it_lists_newest_first(self) -> None:
        old = make_evidence(self.workspace, occurred_at=BASE_TIME - timedelta(days=2))
        new = make_evidence(self.workspace, occurred_at=BASE_TIME)
        middle = make_evidence(self.workspace, occurred_at=BASE_TIME - timedelta(days=1))
        self.client.force_login(self.alice)
        self.assertEqual(self.ids(self.client.get(self.url)), [new.pk, middle.pk, old.pk])

    def test_it_filters_by_channel(self) -> None:
        interview = make_evidence(self.workspace, channel=Channel.INTERVIEW)
        make_evidence(self.workspace, channel=Channel.SUPPORT)
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"channel": "interview"})
        self.assertEqual(self.ids(response), [interview.pk])

    def test_it_filters_by_segment_of_the_account(self) -> None:
        enterprise = make_evidence(self.workspace, account=self.globex)
        make_evidence(self.workspace, account=self.initech)
        make_evidence(self.workspace)
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"segment": "Enterprise"})
        self.assertEqual(self.ids(response), [enterprise.pk])

    def test_it_filters_by_account_name_or_id(self) -> None:
        globex = make_evidence(self.workspace, account=self.globex)
        make_evidence(self.workspace, account=self.initech)
        self.client.force_login(self.alice)
        for value in ["globex", "GLOB", str(self.globex.pk)]:
            with self.subTest(value=value):
                response = self.client.get(self.url, {"account": value})
                self.assertEqual(self.ids(response), [globex.pk])

    def test_it_reports_an_unknown_account(self) -> None:
        make_evidence(self.workspace, account=self.globex)
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"account": "Hooli"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "No account is called &#x27;Hooli&#x27;.")
        self.assertEqual(self.ids(response), [])

    def test_it_does_not_find_accounts_of_another_workspace(self) -> None:
        theirs = make_account(self.other_workspace, "Umbrella")
        self.client.force_login(self.alice)
        for value in ["Umbrella", str(theirs.pk)]:
            with self.subTest(value=value):
                response = self.client.get(self.url, {"account": value})
                self.assertIn("account", response.context["errors"])

    def test_it_filters_by_provenance(self) -> None:
        make_evidence(self.workspace)
        relayed = make_evidence(self.workspace, provenance=Provenance.RELAYED, relayed_by="Jo")
        self.client.force_login(self.alice)
        self.assertEqual(
            self.ids(self.client.get(self.url, {"provenance": "relayed"})), [relayed.pk]
        )
        first_hand = self.ids(self.client.get(self.url, {"provenance": "first_hand"}))
        self.assertNotIn(relayed.pk, first_hand)
        self.assertEqual(len(first_hand), 1)

    def test_it_filters_by_date_range_inclusive(self) -> None:
        day = timedelta(days=1)
        before = make_evidence(self.workspace, occurred_at=BASE_TIME - 3 * day)
        first = make_evidence(self.workspace, occurred_at=BASE_TIME - 2 * day)
        last = make_evidence(self.workspace, occurred_at=BASE_TIME.replace(hour=23, minute=59))
        after = make_evidence(self.workspace, occurred_at=BASE_TIME + day)
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"from": "2025-03-13", "to": "2025-03-15"})
        self.assertEqual(self.ids(response), [last.pk, first.pk])
        self.assertNotIn(before.pk, self.ids(response))
        self.assertNotIn(after.pk, self.ids(response))

    @override_settings(TIME_ZONE="America/New_York")
    def test_dates_are_days_in_the_configured_time_zone(self) -> None:
        # 02:00 UTC on the 16th is still the evening of the 15th in New York.
        late = make_evidence(self.workspace, occurred_at=BASE_TIME.replace(day=16, hour=2))
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"from": "2025-03-15", "to": "2025-03-15"})
        self.assertEqual(self.ids(response), [late.pk])

    def test_it_filters_by_text_ignoring_case(self) -> None:
        match = make_evidence(self.workspace, "The CSV export is broken")
        make_evidence(self.workspace, "Billing is confusing")
        self.client.force_login(self.alice)
        self.assertEqual(self.ids(self.client.get(self.url, {"text": "csv EXPORT"})), [match.pk])

    def test_text_matches_words_in_any_form(self) -> None:
        match = make_evidence(self.workspace, "We lost 100% of the exported data_set")
        make_evidence(self.workspace, "The report looks fine")
        self.client.force_login(self.alice)
        for text in ["100%", "export", "EXPORTS", "data_set", '"exported data"', "expor*"]:
            with self.subTest(text=text):
                self.assertEqual(self.ids(self.client.get(self.url, {"text": text})), [match.pk])
        # Part of a word is not a word: "port" finds neither "report" nor "exported".
        self.assertEqual(self.ids(self.client.get(self.url, {"text": "port"})), [])

    def test_text_takes_phrases_alternatives_and_exclusions(self) -> None:
        okta = make_evidence(self.workspace, "SSO with Okta, please")
        saml = make_evidence(self.workspace, "SSO over SAML, please")
        make_evidence(self.workspace, "Please, no more SSO prompts")
        self.client.force_login(self.alice)
        cases = {
            "okta OR saml": {okta.pk, saml.pk},
            "sso -okta -prompts": {saml.pk},
            '"sso with okta"': {okta.pk},
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(set(self.ids(self.client.get(self.url, {"text": text}))), expected)

    def test_search_syntax_typed_by_accident_does_not_break_the_page(self) -> None:
        make_evidence(self.workspace, "Exports AND imports are slow")
        self.client.force_login(self.alice)
        for text in ["AND", 'exports "', "NEAR(", "imports*", "col:umn", "🙂 exports", "(x"]:
            with self.subTest(text=text):
                self.assertEqual(self.client.get(self.url, {"text": text}).status_code, 200)

    def test_it_explains_a_search_with_nothing_to_find(self) -> None:
        evidence = make_evidence(self.workspace)
        self.client.force_login(self.alice)
        for text, message in [("-okta", "cannot only leave words out"), ("🙂", "no words")]:
            with self.subTest(text=text):
                response = self.client.get(self.url, {"text": text})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
                self.assertContains(response, 'id="f-text" name="text" value="')
                # Like any invalid filter, it is left out and the rest of the page still works.
                self.assertEqual(self.ids(response), [evidence.pk])

    def test_small_and_large_segments_give_the_same_answer(self) -> None:
        # One SMB account among many Enterprise ones: below the share at which the query walks
        # the newest-first index, so both ways of filtering are exercised.
        smb = make_evidence(self.workspace, account=self.initech)
        for n in range(30):
            make_account(self.workspace, f"Big {n}", segment="Enterprise")
        enterprise = make_evidence(self.workspace, account=self.globex)
        self.client.force_login(self.alice)
        self.assertEqual(self.ids(self.client.get(self.url, {"segment": "SMB"})), [smb.pk])
        self.assertEqual(
            self.ids(self.client.get(self.url, {"segment": "Enterprise"})), [enterprise.pk]
        )

    def test_it_combines_filters(self) -> None:
        match = make_evidence(self.workspace, "slow", channel=Channel.SUPPORT, account=self.globex)
        make_evidence(self.workspace, "slow", channel=Channel.INTERVIEW, account=self.globex)
        make_evidence(self.workspace, "slow", channel=Channel.SUPPORT, account=self.initech)
        self.client.force_login(self.alice)
        response = self.client.get(
            self.url, {"channel": "support", "segment": "Enterprise", "text": "SLOW"}
        )
        self.assertEqual(self.ids(response), [match.pk])

    def test_it_reports_invalid_filters_and_keeps_the_valid_ones(self) -> None:
        interview = make_evidence(self.workspace, channel=Channel.INTERVIEW)
        make_evidence(self.workspace, channel=Channel.SUPPORT)
        self.client.force_login(self.alice)
        response = self.client.get(
            self.url, {"channel": "interview", "from": "last tuesday", "provenance": "rumour"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(set(response.context["errors"]), {"from", "provenance"})
        self.assertContains(response, 'aria-invalid="true"')
        self.assertEqual(self.ids(response), [interview.pk])

    def test_it_rejects_a_to_date_before_the_from_date(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"from": "2025-03-15", "to": "2025-03-01"})
        self.assertContains(response, "The to date is before the from date.")

    def test_its_query_count_does_not_grow_with_the_page(self) -> None:
        for _ in range(3):
            make_evidence(self.workspace, account=self.globex, contact=self.dana, tags=["a", "b"])
        self.client.force_login(self.alice)
        # session, user, member, segments, evidence page, tags, the page's problems, the count
        # of what is set aside; and for an editor's triage bar the problems to assign to and
        # the tags to suggest
        with self.assertNumQueries(10):
            self.client.get(self.url)
        self.client.force_login(self.vic)
        with self.assertNumQueries(8):
            self.client.get(self.url)
        self.client.force_login(self.alice)
        for n in range(20):
            make_evidence(
                self.workspace,
                account=self.initech,
                captured_by=self.member(self.bob),
                tags=[f"t{n}"],
            )
        with self.assertNumQueries(10):
            self.client.get(self.url)
        # Filters by name add the one query that resolves it.
        with self.assertNumQueries(11):
            self.client.get(self.url, {"account": "Globex", "channel": "other"})
