from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Provenance
from problemspace.evidence.tests.factories import make_account, make_contact, make_evidence
from problemspace.problems.models import Problem, ProblemEvidence
from problemspace.testing import BaseTestCase


class CustomersApiTestCase(BaseTestCase):
    globex: Account
    hooli: Account
    initech: Account
    dana: Contact
    eve: Contact
    problem: Problem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ws = cls.workspace
        cls.globex = make_account(
            ws, "Globex", segment="Enterprise", plan="Pro", revenue=Decimal("1250000")
        )
        cls.hooli = make_account(ws, "Hooli", segment="Enterprise")
        cls.initech = make_account(ws, "Initech", segment="SMB", revenue=Decimal("12000"))
        cls.dana = make_contact(
            ws,
            "dana@globex.example",
            name="Dana Scully",
            role="Head of Ops",
            account=cls.globex,
            research_consent=True,
            last_contacted=date(2025, 2, 1),
        )
        cls.eve = make_contact(ws, "eve@initech.example", name="Eve Adams", account=cls.initech)
        cls.problem = Problem.objects.create(workspace=ws, title="Exports are slow", score=0.7)
        for provenance in [Provenance.FIRST_HAND, Provenance.FIRST_HAND, Provenance.RELAYED]:
            said = make_evidence(
                ws,
                account=cls.globex,
                contact=cls.dana,
                provenance=provenance,
                relayed_by="Sam" if provenance == Provenance.RELAYED else "",
            )
            ProblemEvidence.objects.create(problem=cls.problem, evidence=said)
        make_evidence(ws, account=cls.globex)
        make_account(cls.other_workspace, "Umbrella", segment="Enterprise")
        make_contact(cls.other_workspace, "mulder@umbrella.example", name="Fox Mulder")

    def get(self, path: str, user=None, **params):
        return self.client.get(
            f"/api/w/acme/{path}", params, headers=self.api_key(user or self.vic)
        )

    def test_it_lists_accounts_with_evidence_counts(self) -> None:
        body = self.get("accounts").json()
        self.assertEqual(body["count"], 3)
        self.assertIsNone(body["next_offset"])
        self.assertEqual(
            [(a["name"], a["evidence_count"]) for a in body["items"]],
            [("Globex", 4), ("Hooli", 0), ("Initech", 0)],
        )
        globex = body["items"][0]
        self.assertEqual(globex["id"], self.globex.pk)
        self.assertEqual((globex["segment"], globex["plan"]), ("Enterprise", "Pro"))
        self.assertEqual(Decimal(str(globex["revenue"])), Decimal("1250000"))

    def test_it_filters_and_sorts_accounts(self) -> None:
        by_segment = self.get("accounts", segment="Enterprise").json()
        self.assertEqual([a["name"] for a in by_segment["items"]], ["Globex", "Hooli"])
        by_name = self.get("accounts", q="NIT").json()
        self.assertEqual([a["name"] for a in by_name["items"]], ["Initech"])
        by_revenue = self.get("accounts", sort="-revenue").json()
        self.assertEqual([a["name"] for a in by_revenue["items"]], ["Globex", "Initech", "Hooli"])

    def test_it_pages_accounts(self) -> None:
        first = self.get("accounts", limit=2).json()
        self.assertEqual([a["name"] for a in first["items"]], ["Globex", "Hooli"])
        self.assertEqual((first["count"], first["next_offset"]), (3, 2))
        second = self.get("accounts", limit=2, offset=first["next_offset"]).json()
        self.assertEqual([a["name"] for a in second["items"]], ["Initech"])
        self.assertIsNone(second["next_offset"])

    def test_it_rejects_bad_account_parameters(self) -> None:
        response = self.get("accounts", sort="size")
        self.assertEqual(response.status_code, 422)
        self.assertIn("Sort by one of name, -name, revenue, -revenue", response.json()["detail"])
        self.assertEqual(self.get("accounts", limit=0).status_code, 422)
        self.assertEqual(self.get("accounts", limit=500).status_code, 422)
        self.assertEqual(self.get("accounts", offset=-1).status_code, 422)

    def test_it_reads_one_account_with_its_problems(self) -> None:
        body = self.get(f"accounts/{self.globex.pk}").json()
        self.assertEqual(body["name"], "Globex")
        self.assertEqual((body["evidence_count"], body["first_hand_count"]), (4, 3))
        self.assertEqual(body["contact_count"], 1)
        self.assertEqual(len(body["problems"]), 1)
        problem = body["problems"][0]
        self.assertEqual(
            (problem["id"], problem["title"], problem["evidence_count"]),
            (self.problem.pk, "Exports are slow", 3),
        )
        self.assertEqual((problem["first_hand_count"], problem["candidate"]), (2, False))

    def test_it_lists_contacts(self) -> None:
        body = self.get("contacts").json()
        self.assertEqual(body["count"], 2)
        self.assertEqual(
            [(c["name"], c["account"], c["evidence_count"]) for c in body["items"]],
            [("Dana Scully", "Globex", 3), ("Eve Adams", "Initech", 0)],
        )
        dana = body["items"][0]
        self.assertEqual(dana["email"], "dana@globex.example")
        self.assertEqual(dana["account_id"], self.globex.pk)
        self.assertTrue(dana["research_consent"])
        self.assertEqual(dana["last_contacted"], "2025-02-01")

    def test_it_filters_contacts(self) -> None:
        def names(**params) -> list[str]:
            return [c["name"] for c in self.get("contacts", **params).json()["items"]]

        self.assertEqual(names(q="adams"), ["Eve Adams"])
        self.assertEqual(names(q="globex.example"), ["Dana Scully"])
        self.assertEqual(names(account=self.initech.pk), ["Eve Adams"])
        self.assertEqual(names(segment="Enterprise"), ["Dana Scully"])
        self.assertEqual(names(consent="yes"), ["Dana Scully"])
        self.assertEqual(names(consent="no"), ["Eve Adams"])

    def test_it_rejects_bad_contact_filters(self) -> None:
        umbrella = Account.objects.get(name="Umbrella")
        cases: list[dict[str, Any]] = [
            {"consent": "maybe"},
            {"account": "globex"},
            {"account": umbrella.pk},
        ]
        for params in cases:
            with self.subTest(params=params):
                response = self.get("contacts", **params)
                self.assertEqual(response.status_code, 422)
                self.assertNotIn("Umbrella", response.content.decode())

    def test_it_reads_one_contact_with_their_problems(self) -> None:
        body = self.get(f"contacts/{self.dana.pk}").json()
        self.assertEqual((body["name"], body["role"]), ("Dana Scully", "Head of Ops"))
        self.assertEqual((body["evidence_count"], body["first_hand_count"]), (3, 2))
        self.assertEqual([p["title"] for p in body["problems"]], ["Exports are slow"])

    def test_every_role_may_read(self) -> None:
        for user in [self.alice, self.bob, self.carol, self.vic]:
            with self.subTest(user=user.username):
                self.assertEqual(self.get("accounts", user).status_code, 200)
                self.assertEqual(self.get(f"contacts/{self.eve.pk}", user).status_code, 200)

    def test_it_checks_membership(self) -> None:
        headers = self.api_key(self.charlie)
        for path in [
            "accounts",
            f"accounts/{self.globex.pk}",
            "contacts",
            f"contacts/{self.dana.pk}",
        ]:
            with self.subTest(path=path):
                response = self.client.get(f"/api/w/acme/{path}", headers=headers)
                self.assertEqual(response.status_code, 404)
        own = self.client.get(f"/api/w/other/accounts/{self.globex.pk}", headers=headers)
        self.assertEqual(own.status_code, 404)
        own = self.client.get(f"/api/w/other/contacts/{self.dana.pk}", headers=headers)
        self.assertEqual(own.status_code, 404)
        listed = self.client.get("/api/w/other/contacts", headers=headers).json()
        self.assertEqual([c["name"] for c in listed["items"]], ["Fox Mulder"])

    def test_it_requires_authentication(self) -> None:
        self.assertEqual(self.client.get("/api/w/acme/accounts").status_code, 401)
        bad = {"Authorization": "Bearer ps_not_a_key"}
        self.assertEqual(self.client.get("/api/w/acme/contacts", headers=bad).status_code, 401)

    def test_its_query_count_does_not_grow_with_the_page(self) -> None:
        headers = self.api_key(self.vic)
        self.client.get("/api/w/acme/contacts", headers=headers)  # records the key's first use
        # token, member, count, page, evidence counts
        with self.assertNumQueries(5):
            self.client.get("/api/w/acme/contacts", headers=headers)
        for n in range(20):
            make_contact(self.workspace, f"c{n}@x.example", account=self.globex)
        with self.assertNumQueries(5):
            self.client.get("/api/w/acme/contacts", headers=headers)
