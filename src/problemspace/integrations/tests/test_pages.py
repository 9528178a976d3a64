"""The integrations pages: who sees and changes what, forms, the log, test events, redelivery."""

from __future__ import annotations

from django.test import override_settings

from problemspace.integrations import events
from problemspace.integrations.models import Delivery, Endpoint, Status
from problemspace.integrations.tests.helpers import make_endpoint
from problemspace.testing import BaseTestCase

URL = "https://hooks.example.com/ps"


class IndexTests(BaseTestCase):
    def test_editors_see_endpoints_and_the_nav_link(self) -> None:
        make_endpoint(self.workspace, URL, name="Jira <automation>")
        self.client.force_login(self.bob)
        response = self.client.get("/w/acme/integrations/")
        self.assertContains(response, "Jira &lt;automation&gt;")
        self.assertContains(response, 'href="/w/acme/integrations/"')
        self.assertNotContains(response, "Add an endpoint")

    def test_viewers_get_the_exports_only(self) -> None:
        make_endpoint(self.workspace, URL, name="Jira automation")
        self.client.force_login(self.vic)
        response = self.client.get("/w/acme/integrations/")
        self.assertContains(response, "Problems for Jira")
        self.assertNotContains(response, "Jira automation")
        self.assertEqual(self.client.get("/w/acme/integrations/deliveries/").status_code, 403)

    def test_a_turned_off_endpoint_shows_its_notice(self) -> None:
        make_endpoint(
            self.workspace, URL, name="Ops", active=False, disabled_reason="Turned off after 5"
        )
        self.client.force_login(self.alice)
        self.assertContains(self.client.get("/w/acme/integrations/"), "Turned off after 5")

    def test_outsiders_get_404(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get("/w/acme/integrations/").status_code, 404)


class EndpointFormTests(BaseTestCase):
    def post(self, user, path="/w/acme/integrations/endpoints/new/", **fields):
        data = {"name": "Jira", "url": URL, "kind": "generic", "events": ["evidence.added"]}
        data.update(fields)
        self.client.force_login(user)
        return self.client.post(path, data)

    def test_an_owner_adds_an_endpoint_and_sees_its_secret(self) -> None:
        response = self.post(self.alice, active="on")
        endpoint = Endpoint.objects.get()
        self.assertRedirects(response, f"/w/acme/integrations/endpoints/{endpoint.pk}/")
        self.assertEqual(endpoint.events, ["evidence.added"])
        self.assertTrue(endpoint.secret.startswith("whsec_"))
        self.assertContains(self.client.get(response.url), endpoint.secret)

    def test_an_editor_may_not_add_one_nor_see_secrets(self) -> None:
        self.assertEqual(self.post(self.bob).status_code, 403)
        endpoint = make_endpoint(self.workspace, URL)
        self.client.force_login(self.bob)
        page = self.client.get(f"/w/acme/integrations/endpoints/{endpoint.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, endpoint.secret)
        edit = self.client.get(f"/w/acme/integrations/endpoints/{endpoint.pk}/edit/")
        self.assertEqual(edit.status_code, 403)

    def test_bad_input_is_shown_next_to_the_field(self) -> None:
        response = self.post(self.alice, url="ftp://files.example.com", events=[])
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Choose at least one event to send.", status_code=422)
        self.assertFalse(Endpoint.objects.exists())

    def test_a_bad_address_is_explained(self) -> None:
        response = self.post(self.alice, url="ftp://files.example.com")
        self.assertContains(response, "full http:// or https:// address", status_code=422)

    @override_settings(WEBHOOKS_ALLOW_PRIVATE=False)
    def test_a_private_address_is_refused(self) -> None:
        response = self.post(self.alice, url="http://127.0.0.1:8080/hook")
        self.assertContains(response, "private network", status_code=422)

    def test_an_owner_edits_rotates_and_deletes(self) -> None:
        endpoint = make_endpoint(self.workspace, URL)
        old_secret = endpoint.secret
        base = f"/w/acme/integrations/endpoints/{endpoint.pk}/"
        self.post(self.alice, path=base + "edit/", name="Renamed", kind="chat")
        endpoint.refresh_from_db()
        self.assertEqual(
            (endpoint.name, endpoint.kind, endpoint.active), ("Renamed", "chat", False)
        )
        self.client.post(base + "secret/")
        endpoint.refresh_from_db()
        self.assertNotEqual(endpoint.secret, old_secret)
        self.assertEqual(self.client.get(base + "delete/").status_code, 200)
        self.client.post(base + "delete/")
        self.assertFalse(Endpoint.objects.exists())

    def test_another_workspaces_endpoint_is_404(self) -> None:
        theirs = make_endpoint(self.other_workspace, URL)
        self.client.force_login(self.alice)
        for suffix in ("", "edit/", "delete/"):
            url = f"/w/acme/integrations/endpoints/{theirs.pk}/{suffix}"
            self.assertEqual(self.client.get(url).status_code, 404)


class DeliveryPageTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.endpoint = make_endpoint(self.workspace, URL, name="Hooks")
        events.emit(self.workspace.pk, events.EVIDENCE_ADDED, {"evidence": {"text": "<b>hi</b>"}})
        events.emit(self.workspace.pk, events.PROBLEM_STATUS_CHANGED, {"to": "solved"})
        self.delivery = Delivery.objects.get(event=events.EVIDENCE_ADDED)
        self.client.force_login(self.bob)

    def test_the_log_filters_by_event_and_status(self) -> None:
        response = self.client.get("/w/acme/integrations/deliveries/?event=problem.status_changed")
        self.assertContains(response, "problem.status_changed")
        self.assertNotContains(response, ">evidence.added</a>")
        response = self.client.get("/w/acme/integrations/deliveries/?status=failed")
        self.assertContains(response, "No deliveries.")

    def test_the_log_pages_by_cursor(self) -> None:
        for n in range(55):
            events.emit(self.workspace.pk, events.EVIDENCE_ADDED, {"n": n})
        first = self.client.get("/w/acme/integrations/deliveries/")
        self.assertContains(first, "Older deliveries")
        older = first.context["older"]
        second = self.client.get("/w/acme/integrations/deliveries/" + older)
        self.assertEqual(len(second.context["deliveries"]), 7)

    def test_the_log_costs_a_fixed_number_of_queries(self) -> None:
        for n in range(20):
            events.emit(self.workspace.pk, events.EVIDENCE_ADDED, {"n": n})
        self.client.get("/w/acme/integrations/deliveries/")
        # Session, user, membership, the endpoints for the filter, one page of deliveries.
        with self.assertNumQueries(5):
            self.client.get("/w/acme/integrations/deliveries/")

    def test_a_delivery_shows_its_body_escaped(self) -> None:
        response = self.client.get(f"/w/acme/integrations/deliveries/{self.delivery.pk}/")
        self.assertContains(response, "&lt;b&gt;hi&lt;/b&gt;")
        self.assertContains(response, str(self.delivery.uid))

    def test_redeliver_from_the_log(self) -> None:
        Delivery.objects.filter(pk=self.delivery.pk).update(status=Status.FAILED, attempts=5)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                f"/w/acme/integrations/deliveries/{self.delivery.pk}/redeliver/"
            )
        self.assertRedirects(response, f"/w/acme/integrations/deliveries/{self.delivery.pk}/")
        self.delivery.refresh_from_db()
        self.assertEqual((self.delivery.status, self.delivery.attempts), (Status.PENDING, 0))

    def test_send_a_test_event(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(f"/w/acme/integrations/endpoints/{self.endpoint.pk}/test/")
        test = Delivery.objects.get(event=events.TEST)
        self.assertRedirects(response, f"/w/acme/integrations/deliveries/{test.pk}/")
        self.assertEqual(test.payload["data"]["sent_by"], "bob@example.org")

    def test_contributors_may_not_redeliver_or_test(self) -> None:
        self.client.force_login(self.carol)
        url = f"/w/acme/integrations/deliveries/{self.delivery.pk}/redeliver/"
        self.assertEqual(self.client.post(url).status_code, 403)
        url = f"/w/acme/integrations/endpoints/{self.endpoint.pk}/test/"
        self.assertEqual(self.client.post(url).status_code, 403)
