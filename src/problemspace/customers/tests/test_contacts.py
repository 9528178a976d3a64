from __future__ import annotations

from datetime import date, timedelta

from django.test import override_settings

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Provenance
from problemspace.evidence.tests.factories import (
    BASE_TIME,
    make_account,
    make_contact,
    make_evidence,
)
from problemspace.problems.models import Problem, ProblemEvidence
from problemspace.testing import BaseTestCase


class ContactListTestCase(BaseTestCase):
    globex: Account
    initech: Account
    dana: Contact
    eve: Contact
    frank: Contact
    url = "/w/acme/contacts/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ws = cls.workspace
        cls.globex = make_account(ws, "Globex", segment="Enterprise")
        cls.initech = make_account(ws, "Initech", segment="SMB")
        cls.dana = make_contact(
            ws,
            "dana@globex.example",
            name="Dana Scully",
            role="Head of Ops",
            account=cls.globex,
            research_consent=True,
            last_contacted=date(2025, 2, 1),
        )
        cls.eve = make_contact(ws, "eve@initech.example", name="eve adams", account=cls.initech)
        # No name: listed by email, between "Dana" and "eve".
        cls.frank = make_contact(ws, "dodo@nowhere.example")
        make_contact(cls.other_workspace, "mulder@umbrella.example", name="Fox Mulder")

    def names(self, response) -> list[str]:
        return [str(contact) for contact, _ in response.context["rows"]]

    def test_it_works(self) -> None:
        for _ in range(3):
            make_evidence(self.workspace, contact=self.dana, account=self.globex)
        make_evidence(self.workspace, contact=self.eve)
        self.client.force_login(self.vic)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            [(str(c), n) for c, n in response.context["rows"]],
            [("Dana Scully", 3), ("dodo@nowhere.example", 0), ("eve adams", 1)],
        )
        for text in ["dana@globex.example", "Head of Ops", "Globex", "May be interviewed"]:
            with self.subTest(text=text):
                self.assertContains(response, text)
        self.assertContains(response, f'href="/w/acme/contacts/{self.dana.pk}/"')
        self.assertNotContains(response, "Mulder")

    def test_it_searches_names_and_emails(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.names(self.client.get(self.url, {"q": "SCULLY"})), ["Dana Scully"])
        self.assertEqual(self.names(self.client.get(self.url, {"q": "initech."})), ["eve adams"])
        response = self.client.get(self.url, {"q": "nobody"})
        self.assertContains(response, "No contact matches these filters.")

    def test_it_filters_by_account(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"account": self.initech.pk})
        self.assertEqual(self.names(response), ["eve adams"])
        self.assertContains(response, "Only contacts at <strong>Initech</strong>")

    def test_another_workspaces_account_filters_nothing(self) -> None:
        umbrella = make_account(self.other_workspace, "Umbrella")
        self.client.force_login(self.alice)
        for value in [str(umbrella.pk), "globex", "999999"]:
            with self.subTest(value=value):
                response = self.client.get(self.url, {"account": value})
                self.assertEqual(len(self.names(response)), 3)
                self.assertContains(response, "names no account here")
                self.assertNotContains(response, "Umbrella")

    def test_it_filters_by_segment_and_consent(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.names(self.client.get(self.url, {"segment": "SMB"})), ["eve adams"])
        self.assertEqual(self.names(self.client.get(self.url, {"consent": "yes"})), ["Dana Scully"])
        self.assertEqual(
            self.names(self.client.get(self.url, {"consent": "no"})),
            ["dodo@nowhere.example", "eve adams"],
        )
        # An unknown consent value is no filter at all.
        self.assertEqual(len(self.names(self.client.get(self.url, {"consent": "maybe"}))), 3)

    def test_it_is_paginated(self) -> None:
        for n in range(105):
            make_contact(self.workspace, f"p{n:03d}@bulk.example", name=f"Person {n:03d}")
        self.client.force_login(self.alice)
        first = self.client.get(self.url)
        self.assertEqual(len(first.context["rows"]), 100)
        self.assertContains(first, "Page 1 of 2")
        second = self.client.get(self.url, {"page": 2})
        self.assertEqual(len(second.context["rows"]), 8)

    def test_its_query_count_does_not_grow_with_the_contacts(self) -> None:
        self.client.force_login(self.alice)
        # session, user, member, segments, count, page with accounts, evidence counts
        with self.assertNumQueries(7):
            self.client.get(self.url)
        for n in range(20):
            contact = make_contact(self.workspace, f"c{n}@x.example", account=self.globex)
            make_evidence(self.workspace, contact=contact, account=self.globex)
        with self.assertNumQueries(7):
            self.client.get(self.url)

    def test_it_escapes_customer_names(self) -> None:
        make_contact(
            self.workspace,
            "x@evil.example",
            name="<script>alert(1)</script>",
            role="<b>boss</b>",
        )
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertNotContains(response, "<script>alert(1)")
        self.assertNotContains(response, "<b>boss</b>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_it_requires_sign_in(self) -> None:
        self.assertRedirects(self.client.get(self.url), f"/login/?next={self.url}")

    def test_it_checks_membership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertNotContains(self.client.get("/w/other/contacts/"), "Scully")

    def test_it_is_a_tab_beside_accounts(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(
            response, '<a href="/w/acme/contacts/" aria-current="page">Contacts</a>'
        )
        accounts = self.client.get("/w/acme/accounts/")
        self.assertContains(accounts, '<a href="/w/acme/contacts/">Contacts</a>', html=True)


class ContactDetailTestCase(BaseTestCase):
    globex: Account
    dana: Contact
    url: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.globex = make_account(cls.workspace, "Globex", segment="Enterprise")
        cls.dana = make_contact(
            cls.workspace,
            "dana@globex.example",
            name="Dana Scully",
            role="Head of Ops",
            account=cls.globex,
            research_consent=True,
            last_contacted=date(2025, 2, 1),
        )
        cls.url = f"/w/acme/contacts/{cls.dana.pk}/"

    def test_it_works(self) -> None:
        make_evidence(self.workspace, "Exports are slow.", contact=self.dana, account=self.globex)
        make_evidence(
            self.workspace,
            "They want SSO.",
            contact=self.dana,
            provenance=Provenance.RELAYED,
            relayed_by="Sam (Sales)",
            occurred_at=BASE_TIME - timedelta(days=40),
        )
        make_evidence(self.workspace, "Someone else's words.", account=self.globex)
        self.client.force_login(self.vic)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        for text in [
            "Dana Scully",
            "dana@globex.example",
            "Head of Ops",
            "May be interviewed",
            "1 Feb 2025",
            "Exports are slow.",
            "Relayed by Sam (Sales)",
            '2 <span class="muted">(1 first-hand)</span>',
            "3 Feb 2025 to 15 Mar 2025",
        ]:
            with self.subTest(text=text):
                self.assertContains(response, text)
        self.assertContains(response, f'href="/w/acme/accounts/{self.globex.pk}/"')
        self.assertNotContains(response, "Someone else")
        texts = [e.text for e in response.context["page"].items]
        self.assertEqual(texts, ["Exports are slow.", "They want SSO."])

    def test_it_lists_the_problems_they_raised(self) -> None:
        problem = Problem.objects.create(workspace=self.workspace, title="Exports are slow")
        for _ in range(2):
            said = make_evidence(self.workspace, contact=self.dana)
            ProblemEvidence.objects.create(problem=problem, evidence=said)
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "What Dana Scully struggles with")
        self.assertContains(response, f'href="/w/acme/problems/{problem.pk}/"')
        self.assertEqual(
            [(p.title, p.items) for p in response.context["problems"]], [("Exports are slow", 2)]
        )

    @override_settings(INBOX_PAGE_SIZE=2)
    def test_its_evidence_is_keyset_paginated(self) -> None:
        made = [make_evidence(self.workspace, contact=self.dana) for _ in range(5)]
        self.client.force_login(self.alice)
        seen: list[int] = []
        params: dict[str, str] = {}
        while True:
            page = self.client.get(self.url, params).context["page"]
            seen += [e.pk for e in page.items]
            if not page.next_cursor:
                break
            params = {"after": page.next_cursor}
        self.assertEqual(seen, sorted((e.pk for e in made), reverse=True))

    def test_a_broken_page_link_shows_the_newest(self) -> None:
        make_evidence(self.workspace, "Newest words.", contact=self.dana)
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"after": "nonsense"})
        self.assertContains(response, "That page link is broken")
        self.assertContains(response, "Newest words.")

    def test_a_contact_without_evidence_says_so(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "Nothing recorded from Dana Scully yet.")
        self.assertContains(response, "None of what Dana Scully said is in a problem yet")

    def test_its_query_count_does_not_grow_with_the_evidence(self) -> None:
        make_evidence(self.workspace, contact=self.dana, account=self.globex, tags=["x"])
        self.client.force_login(self.alice)
        # session, user, member, contact, evidence page, tags, totals, problems
        with self.assertNumQueries(8):
            self.client.get(self.url)
        for n in range(15):
            make_evidence(self.workspace, contact=self.dana, account=self.globex, tags=[f"t{n}"])
        with self.assertNumQueries(8):
            self.client.get(self.url)

    def test_it_escapes_what_customers_typed(self) -> None:
        self.dana.name = "<script>alert(1)</script>"
        self.dana.save()
        make_evidence(self.workspace, "<img src=x onerror=alert(2)>", contact=self.dana)
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertNotContains(response, "<script>alert(1)")
        self.assertNotContains(response, "<img src=x")
        self.assertContains(response, "&lt;img src=x onerror=alert(2)&gt;")

    def test_it_requires_sign_in(self) -> None:
        self.assertRedirects(self.client.get(self.url), f"/login/?next={self.url}")

    def test_it_checks_membership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.get(f"/w/other/contacts/{self.dana.pk}/").status_code, 404)

    def test_evidence_and_accounts_link_to_the_contact(self) -> None:
        said = make_evidence(self.workspace, contact=self.dana, account=self.globex)
        self.client.force_login(self.alice)
        link = f'href="/w/acme/contacts/{self.dana.pk}/"'
        self.assertContains(self.client.get(f"/w/acme/evidence/{said.pk}/"), link)
        self.assertContains(self.client.get("/w/acme/inbox/"), link)
        account_page = self.client.get(f"/w/acme/accounts/{self.globex.pk}/")
        self.assertContains(account_page, link)
        self.assertContains(account_page, f"/w/acme/contacts/?account={self.globex.pk}")
