"""Filtering evidence by kind in the inbox and the API; what synthesis set aside (kind "other")
stays out of the inbox but a tab away, with its count, so nothing is silently dropped."""

from __future__ import annotations

from datetime import timedelta

from problemspace.evidence.models import Evidence, Kind
from problemspace.evidence.tests.factories import BASE_TIME, make_evidence
from problemspace.testing import BaseTestCase


class KindFilterTestCase(BaseTestCase):
    items: dict[str, Evidence]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.items = {}
        for n, kind in enumerate(["", *Kind.values]):
            cls.items[kind or "undecided"] = make_evidence(
                cls.workspace,
                f"Item of kind {kind or 'undecided'}.",
                kind=kind,
                occurred_at=BASE_TIME - timedelta(hours=n),
            )
        make_evidence(
            cls.workspace, "n/a", kind=Kind.OTHER, occurred_at=BASE_TIME - timedelta(days=2)
        )
        make_evidence(cls.other_workspace, "Charlie's n/a.", kind=Kind.OTHER)

    def inbox_ids(self, **params: str) -> list[int]:
        self.client.force_login(self.vic)
        response = self.client.get("/w/acme/inbox/", params)
        self.assertEqual(response.status_code, 200)
        return [e.pk for e in response.context["page"].items]

    def test_the_inbox_filters_by_kind(self) -> None:
        for kind in (Kind.PROBLEM, Kind.REQUEST, Kind.QUESTION, Kind.PRAISE):
            with self.subTest(kind=kind):
                self.assertEqual(self.inbox_ids(kind=kind), [self.items[kind].pk])
        self.assertEqual(self.inbox_ids(kind="Praise", channel="other"), [self.items["praise"].pk])

    def test_the_inbox_leaves_out_what_is_set_aside(self) -> None:
        shown = self.inbox_ids()
        self.assertNotIn(self.items["other"].pk, shown)
        self.assertEqual(set(shown), {e.pk for key, e in self.items.items() if key != "other"})

    def test_what_is_set_aside_is_a_tab_away_with_its_count(self) -> None:
        self.client.force_login(self.vic)
        response = self.client.get("/w/acme/inbox/")
        self.assertContains(response, 'href="/w/acme/inbox/?kind=other"')
        self.assertContains(response, "Set aside — no content (2)")
        aside = self.client.get("/w/acme/inbox/?kind=other")
        self.assertEqual(len(aside.context["page"].items), 2)
        self.assertTrue(all(e.kind == Kind.OTHER for e in aside.context["page"].items))
        self.assertContains(aside, "never enter the problem ranking")
        self.assertNotContains(aside, "Charlie")

    def test_without_anything_set_aside_there_is_no_tab(self) -> None:
        Evidence.objects.filter(kind=Kind.OTHER).update(kind=Kind.PROBLEM)
        self.client.force_login(self.vic)
        self.assertNotContains(self.client.get("/w/acme/inbox/"), "Set aside —")

    def test_an_unknown_kind_is_said_next_to_the_filter(self) -> None:
        self.client.force_login(self.vic)
        response = self.client.get("/w/acme/inbox/", {"kind": "rant"})
        self.assertEqual(
            response.context["errors"],
            {
                "kind": "There is no kind 'rant'; use one of problem, request, question, praise, other."
            },
        )

    def test_the_api_filters_by_kind(self) -> None:
        headers = self.api_key(self.vic)
        response = self.client.get("/api/w/acme/evidence?kind=other", headers=headers)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            [item["text"] for item in response.json()["items"]],
            ["Item of kind other.", "n/a"],
        )
        praise = self.client.get("/api/w/acme/evidence?kind=praise", headers=headers).json()
        self.assertEqual([item["id"] for item in praise["items"]], [self.items["praise"].pk])
        self.assertEqual(praise["items"][0]["kind"], "praise")

    def test_the_api_lists_every_kind_without_a_filter(self) -> None:
        response = self.client.get("/api/w/acme/evidence", headers=self.api_key(self.vic))
        kinds = [item["kind"] for item in response.json()["items"]]
        self.assertEqual(sorted(kinds, key=str), sorted([None, *Kind.values, "other"], key=str))

    def test_the_api_refuses_an_unknown_kind(self) -> None:
        response = self.client.get("/api/w/acme/evidence?kind=rant", headers=self.api_key(self.vic))
        self.assertEqual(response.status_code, 422)

    def test_the_api_checks_ownership(self) -> None:
        response = self.client.get(
            "/api/w/acme/evidence?kind=other", headers=self.api_key(self.charlie)
        )
        self.assertEqual(response.status_code, 404)
