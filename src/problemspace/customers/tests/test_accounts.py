from __future__ import annotations

from decimal import Decimal

from problemspace.customers.models import Account
from problemspace.evidence.tests.factories import make_account, make_evidence
from problemspace.testing import BaseTestCase


class AccountListTestCase(BaseTestCase):
    globex: Account
    initech: Account
    hooli: Account
    url = "/w/acme/accounts/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.globex = make_account(
            cls.workspace,
            "Globex",
            segment="Enterprise",
            plan="Pro",
            revenue=Decimal("1250000"),
            region="EMEA",
            lifecycle="customer",
        )
        cls.initech = make_account(
            cls.workspace, "initech", segment="SMB", revenue=Decimal("12000"), lifecycle="trial"
        )
        cls.hooli = make_account(cls.workspace, "Hooli", segment="Enterprise")
        make_account(cls.other_workspace, "Umbrella", segment="Enterprise")

    def names(self, response) -> list[str]:
        return [account.name for account, _ in response.context["rows"]]

    def test_it_works(self) -> None:
        for _ in range(3):
            make_evidence(self.workspace, account=self.globex)
        self.client.force_login(self.vic)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        for text in ["Globex", "Enterprise", "Pro", "1,250,000", "EMEA", "Customer", "Trial"]:
            with self.subTest(text=text):
                self.assertContains(response, text)
        self.assertEqual(
            [(a.name, n) for a, n in response.context["rows"]],
            [("Globex", 3), ("Hooli", 0), ("initech", 0)],
        )

    def test_it_requires_sign_in(self) -> None:
        self.assertRedirects(self.client.get(self.url), f"/login/?next={self.url}")

    def test_it_checks_membership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertNotContains(self.client.get("/w/other/accounts/"), "Globex")

    def test_it_filters_by_segment(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"segment": "Enterprise"})
        self.assertEqual(self.names(response), ["Globex", "Hooli"])
        self.assertContains(response, "2 accounts match")

    def test_it_filters_by_name(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.names(self.client.get(self.url, {"q": "INI"})), ["initech"])

    def test_it_sorts_by_name_ignoring_case(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(
            self.names(self.client.get(self.url, {"sort": "-name"})), ["initech", "Hooli", "Globex"]
        )

    def test_it_sorts_by_revenue_with_blanks_last(self) -> None:
        self.client.force_login(self.alice)
        descending = self.client.get(self.url, {"sort": "-revenue"})
        self.assertEqual(self.names(descending), ["Globex", "initech", "Hooli"])
        self.assertContains(descending, 'aria-sort="descending"')
        ascending = self.client.get(self.url, {"sort": "revenue"})
        self.assertEqual(self.names(ascending), ["initech", "Globex", "Hooli"])

    def test_an_unknown_sort_falls_back_to_name(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"sort": "password"})
        self.assertEqual(self.names(response), ["Globex", "Hooli", "initech"])

    def test_header_links_toggle_the_sort_and_keep_the_filter(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"segment": "SMB", "sort": "revenue"})
        self.assertContains(response, 'href="?segment=SMB&amp;sort=-revenue"')
        self.assertContains(response, 'href="?segment=SMB&amp;sort=name"')

    def test_evidence_counts_take_one_query_for_the_whole_page(self) -> None:
        for account in [self.globex, self.initech, self.hooli]:
            make_evidence(self.workspace, account=account)
        self.client.force_login(self.alice)
        # session, user, member, COUNT of accounts, the page, evidence counts, segments
        with self.assertNumQueries(7):
            self.client.get(self.url)
        for n in range(10):
            make_evidence(self.workspace, account=make_account(self.workspace, f"Acct {n}"))
        with self.assertNumQueries(7):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["rows"]), 13)

    def test_it_pages_through_many_accounts(self) -> None:
        for n in range(100):
            make_account(self.workspace, f"Zeta {n:03}")
        self.client.force_login(self.alice)
        first = self.client.get(self.url)
        self.assertContains(first, "Page 1 of 2")
        second = self.client.get(self.url, {"page": "2"})
        self.assertEqual(self.names(second), ["Zeta 097", "Zeta 098", "Zeta 099"])
