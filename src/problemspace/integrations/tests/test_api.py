"""Webhook endpoints and deliveries over the API, with the pages' rules."""

from __future__ import annotations

from django.contrib.auth.models import User

from problemspace.integrations import events
from problemspace.integrations.models import Delivery, Endpoint
from problemspace.integrations.tests.helpers import make_endpoint
from problemspace.testing import BaseTestCase

URL = "https://hooks.example.com/ps"
BASE = "/api/w/acme/webhooks"


class EndpointApiTests(BaseTestCase):
    def call(self, user: User, method: str, path: str, body: object = None):
        extra: dict[str, object] = {"headers": self.api_key(user)}
        if body is not None:
            extra |= {"data": body, "content_type": "application/json"}
        return getattr(self.client, method)(BASE + path, **extra)

    def test_an_owner_creates_one_and_gets_its_secret(self) -> None:
        body = {"name": "Jira", "url": URL, "events": ["problem.status_changed"]}
        response = self.call(self.alice, "post", "/endpoints", body)
        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        self.assertEqual(data["events"], ["problem.status_changed"])
        self.assertTrue(data["secret"].startswith("whsec_"))

    def test_editors_read_without_the_secret_and_may_not_create(self) -> None:
        make_endpoint(self.workspace, URL)
        (row,) = self.call(self.bob, "get", "/endpoints").json()
        self.assertIsNone(row["secret"])
        body = {"name": "Jira", "url": URL, "events": ["evidence.added"]}
        self.assertEqual(self.call(self.bob, "post", "/endpoints", body).status_code, 403)
        self.assertEqual(self.call(self.carol, "get", "/endpoints").status_code, 403)

    def test_bad_input_is_422_with_the_field(self) -> None:
        body = {"name": "Jira", "url": URL, "events": ["evidence.deleted"]}
        response = self.call(self.alice, "post", "/endpoints", body)
        self.assertEqual(response.status_code, 422)
        self.assertIn("events: There is no event 'evidence.deleted'", response.json()["detail"])
        self.assertFalse(Endpoint.objects.exists())

    def test_patch_rotate_test_and_delete(self) -> None:
        endpoint = make_endpoint(self.workspace, URL)
        path = f"/endpoints/{endpoint.pk}"
        response = self.call(self.alice, "patch", path, {"active": False, "name": "Off"})
        self.assertEqual((response.json()["active"], response.json()["name"]), (False, "Off"))
        rotated = self.call(self.alice, "post", path + "/secret").json()["secret"]
        self.assertNotEqual(rotated, endpoint.secret)
        test = self.call(self.bob, "post", path + "/test")
        self.assertEqual((test.status_code, test.json()["event"]), (202, "webhook.test"))
        self.assertEqual(self.call(self.bob, "delete", path).status_code, 403)
        self.assertEqual(self.call(self.alice, "delete", path).status_code, 204)
        self.assertFalse(Endpoint.objects.exists())


class DeliveryApiTests(BaseTestCase):
    def test_the_log_pages_and_filters_and_a_delivery_redelivers(self) -> None:
        make_endpoint(self.workspace, URL)
        for n in range(3):
            events.emit(self.workspace.pk, events.EVIDENCE_ADDED, {"n": n})
        events.emit(self.workspace.pk, events.PROBLEM_STATUS_CHANGED, {"to": "solved"})
        headers = self.api_key(self.bob)
        page = self.client.get(f"{BASE}/deliveries?limit=2", headers=headers).json()
        self.assertEqual(len(page["items"]), 2)
        self.assertEqual(page["items"][0]["event"], "problem.status_changed")
        rest = self.client.get(
            f"{BASE}/deliveries?limit=2&before={page['next_before']}", headers=headers
        ).json()
        self.assertEqual((len(rest["items"]), rest["next_before"]), (2, None))
        only = self.client.get(f"{BASE}/deliveries?event=evidence.added", headers=headers).json()
        self.assertEqual(len(only["items"]), 3)
        delivery = Delivery.objects.filter(event="evidence.added").first()
        assert delivery is not None
        one = self.client.get(f"{BASE}/deliveries/{delivery.pk}", headers=headers).json()
        self.assertEqual(one["payload"]["id"], str(delivery.uid))
        Delivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=5)
        again = self.client.post(f"{BASE}/deliveries/{delivery.pk}/redeliver", headers=headers)
        self.assertEqual((again.status_code, again.json()["status"]), (202, "pending"))
