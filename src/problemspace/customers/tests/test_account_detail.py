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
from problemspace.testing import BaseTestCase


class AccountDetailTestCase(BaseTestCase):
    globex: Account
    dana: Contact
    url: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.globex = make_account(
            cls.workspace, "Globex", segment="Enterprise", plan="Pro", region="EMEA"
        )
        cls.dana = make_contact(
            cls.workspace,
            "dana@globex.example",
            name="Dana Scully",
            role="Head of Ops",
            account=cls.globex,
            research_consent=True,
            last_contacted=date(2025, 2, 1),
        )
        cls.url = f"/w/acme/accounts/{cls.globex.pk}/"

    def test_it_works(self) -> None:
        make_evidence(self.workspace, "Exports are slow.", account=self.globex, contact=self.dana)
        make_evidence(
            self.workspace,
            "They want SSO.",
            account=self.globex,
            provenance=Provenance.RELAYED,
            relayed_by="Sam (Sales)",
            occurred_at=BASE_TIME - timedelta(days=1),
        )
        make_evidence(self.workspace, "Someone else's words.")
        self.client.force_login(self.vic)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        for text in [
            "Globex",
            "Enterprise",
            "EMEA",
            "Dana Scully",
            "Head of Ops",
            "May be interviewed",
            "Exports are slow.",
            "They want SSO.",
            "Relayed by Sam (Sales)",
            "First-hand",
            '2 <span class="muted">(1 first-hand)</span>',
        ]:
            with self.subTest(text=text):
                self.assertContains(response, text)
        self.assertNotContains(response, "Someone else")
        texts = [e.text for e in response.context["page"].items]
        self.assertEqual(texts, ["Exports are slow.", "They want SSO."])

    def test_it_requires_sign_in(self) -> None:
        self.assertRedirects(self.client.get(self.url), f"/login/?next={self.url}")

    def test_it_checks_membership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        own = f"/w/other/accounts/{self.globex.pk}/"
        self.assertEqual(self.client.get(own).status_code, 404)

    def test_it_links_to_the_filtered_inbox(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(self.url), 'href="/w/acme/inbox/?account=Globex"')

    @override_settings(INBOX_PAGE_SIZE=2)
    def test_its_evidence_is_keyset_paginated(self) -> None:
        made = [
            make_evidence(self.workspace, account=self.globex, occurred_at=BASE_TIME)
            for _ in range(5)
        ]
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

    def test_its_query_count_does_not_grow_with_the_evidence(self) -> None:
        make_evidence(self.workspace, account=self.globex, contact=self.dana, tags=["x"])
        self.client.force_login(self.alice)
        # session, user, member, account, evidence page, tags, contacts, totals, problems, and
        # (for an owner, who may merge) the accounts this one may be
        with self.assertNumQueries(10):
            self.client.get(self.url)
        for n in range(15):
            make_evidence(self.workspace, account=self.globex, contact=self.dana, tags=[f"t{n}"])
        with self.assertNumQueries(10):
            self.client.get(self.url)
