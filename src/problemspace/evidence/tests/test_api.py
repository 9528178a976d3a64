from __future__ import annotations

import json
from datetime import timedelta

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Evidence
from problemspace.evidence.tests.factories import BASE_TIME, make_account, make_evidence
from problemspace.testing import BaseTestCase


class EvidenceApiTestCase(BaseTestCase):
    globex: Account
    secret: Evidence

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.globex = make_account(cls.workspace, "Globex", segment="Enterprise")
        for day in range(5):
            make_evidence(
                cls.workspace,
                f"Export to NetSuite fails, day {day}.",
                account=cls.globex,
                occurred_at=BASE_TIME - timedelta(days=day),
                channel="support",
                tags=["exports"],
            )
        cls.secret = make_evidence(cls.other_workspace, "Charlie's customer says something.")

    def post(self, user, items, slug="acme"):
        return self.client.post(
            f"/api/w/{slug}/evidence",
            data=json.dumps(items),
            content_type="application/json",
            headers=self.api_key(user),
        )

    def test_it_lists_newest_first_in_keyset_pages(self) -> None:
        headers = self.api_key(self.vic)
        first = self.client.get("/api/w/acme/evidence?limit=2", headers=headers).json()
        self.assertEqual(
            [i["text"] for i in first["items"]],
            ["Export to NetSuite fails, day 0.", "Export to NetSuite fails, day 1."],
        )
        self.assertEqual(first["items"][0]["account"], "Globex")
        self.assertEqual(first["items"][0]["tags"], ["exports"])
        second = self.client.get(
            f"/api/w/acme/evidence?limit=2&after={first['next']}", headers=headers
        ).json()
        self.assertEqual(second["items"][0]["text"], "Export to NetSuite fails, day 2.")
        last = self.client.get(
            f"/api/w/acme/evidence?limit=10&after={second['next']}", headers=headers
        ).json()
        self.assertEqual(len(last["items"]), 1)
        self.assertIsNone(last["next"])

    def test_it_filters(self) -> None:
        headers = self.api_key(self.vic)
        response = self.client.get("/api/w/acme/evidence?channel=interview", headers=headers)
        self.assertEqual(response.json()["items"], [])
        response = self.client.get("/api/w/acme/evidence?channel=fax", headers=headers)
        self.assertEqual(response.status_code, 422)
        self.assertIn("no channel 'fax'", response.json()["detail"])

    def test_it_requires_authentication(self) -> None:
        self.assertEqual(self.client.get("/api/w/acme/evidence").status_code, 401)
        response = self.client.get(
            "/api/w/acme/evidence", headers={"Authorization": "Bearer ps_not-a-real-key"}
        )
        self.assertEqual(response.status_code, 401)

    def test_a_session_works_too(self) -> None:
        self.client.force_login(self.vic)
        self.assertEqual(self.client.get("/api/w/acme/evidence").status_code, 200)

    def test_it_checks_ownership(self) -> None:
        headers = self.api_key(self.charlie)
        self.assertEqual(self.client.get("/api/w/acme/evidence", headers=headers).status_code, 404)
        mine = self.api_key(self.vic)
        response = self.client.get(f"/api/w/acme/evidence/{self.secret.pk}", headers=mine)
        self.assertEqual(response.status_code, 404)

    def test_it_pushes_evidence_with_its_customer(self) -> None:
        response = self.post(
            self.carol,
            [
                {
                    "text": "Approvals get stuck when the approver is on leave.",
                    "occurred_at": "2025-03-10",
                    "channel": "support",
                    "account": "Initech",
                    "contact_email": "Peter@Initech.example",
                    "external_id": "T-1",
                    "tags": ["approvals"],
                }
            ],
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["created"], 1)
        item = body["items"][0]
        self.assertEqual(item["account"], "Initech")
        self.assertEqual(item["contact"], "peter@initech.example")
        self.assertEqual(item["tags"], ["approvals"])
        evidence = Evidence.objects.get(pk=item["id"])
        self.assertEqual(evidence.captured_by, self.member(self.carol))
        self.assertEqual(evidence.source, "api")
        self.assertTrue(Account.objects.filter(workspace=self.workspace, name="Initech").exists())
        self.assertTrue(Contact.objects.filter(email="peter@initech.example").exists())

    def test_pushing_the_same_item_again_changes_nothing(self) -> None:
        item = {"text": "Approvals get stuck.", "external_id": "T-2"}
        self.assertEqual(self.post(self.carol, [item]).status_code, 201)
        again = self.post(self.carol, [item])
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json()["unchanged"], 1)
        self.assertEqual(Evidence.objects.filter(external_id="T-2").count(), 1)

    def test_one_bad_item_stores_none(self) -> None:
        before = Evidence.objects.count()
        response = self.post(
            self.carol,
            [
                {"text": "Fine item."},
                {"text": "Bad email.", "contact_email": "not-an-email"},
                {"text": "Bad date.", "occurred_at": "the 45th of Smarch"},
            ],
        )
        self.assertEqual(response.status_code, 422)
        errors = response.json()["errors"]
        self.assertEqual(
            [(e["item"], e["field"]) for e in errors], [(2, "contact_email"), (3, "occurred_at")]
        )
        self.assertEqual(Evidence.objects.count(), before)

    def test_script_is_stored_as_written(self) -> None:
        text = "<script>alert('x')</script> the export breaks"
        response = self.post(self.carol, [{"text": text}])
        self.assertEqual(Evidence.objects.get(pk=response.json()["items"][0]["id"]).text, text)

    def test_it_requires_the_contributor_role_to_push(self) -> None:
        self.assertEqual(self.post(self.vic, [{"text": "Viewers only read."}]).status_code, 403)
        self.assertEqual(self.post(self.charlie, [{"text": "Outsider."}]).status_code, 404)

    def test_it_refuses_too_many_or_none(self) -> None:
        self.assertEqual(self.post(self.carol, []).status_code, 422)
        self.assertEqual(self.post(self.carol, [{"text": "x"}] * 101).status_code, 422)

    def test_session_writes_need_the_csrf_token(self) -> None:
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.carol)
        response = client.post(
            "/api/w/acme/evidence",
            data=json.dumps([{"text": "x"}]),
            content_type="application/json",
        )
        self.assertIn(response.status_code, (401, 403))
        self.assertFalse(Evidence.objects.filter(text="x").exists())
