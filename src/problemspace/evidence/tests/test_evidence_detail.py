from __future__ import annotations

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.evidence.tests.factories import make_account, make_contact, make_evidence
from problemspace.testing import BaseTestCase
from problemspace.workspaces.models import Member


class EvidenceDetailTestCase(BaseTestCase):
    globex: Account
    dana: Contact
    evidence: Evidence
    url: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.globex = make_account(cls.workspace, "Globex", segment="Enterprise", plan="Pro")
        cls.dana = make_contact(
            cls.workspace, "dana@globex.example", name="Dana Scully", role="Head of Ops"
        )
        cls.evidence = make_evidence(
            cls.workspace,
            "We rebuild the same pivot table every Monday.\nIt takes two hours.",
            account=cls.globex,
            contact=cls.dana,
            channel=Channel.SALES_CALL,
            captured_by=Member.objects.get(user=cls.bob),
            source="gong",
            external_id="call-991",
            source_url="https://gong.example/calls/991",
            tags=["exports", "reporting"],
        )
        cls.url = f"/w/acme/evidence/{cls.evidence.pk}/"

    def test_it_works(self) -> None:
        self.client.force_login(self.vic)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        for text in [
            "We rebuild the same pivot table every Monday.\nIt takes two hours.",
            "15 March 2025",
            "Sales call",
            "First-hand",
            "Dana Scully",
            "dana@globex.example",
            "Head of Ops",
            "Globex",
            "Enterprise",
            "bob@example.org",
            "gong",
            "call-991",
            "exports",
            "reporting",
        ]:
            with self.subTest(text=text):
                self.assertContains(response, text)
        self.assertContains(
            response, f'<a href="/w/acme/accounts/{self.globex.pk}/">Globex</a>', html=False
        )
        self.assertContains(response, 'href="https://gong.example/calls/991"')

    def test_it_requires_sign_in(self) -> None:
        self.assertRedirects(self.client.get(self.url), f"/login/?next={self.url}")

    def test_it_checks_membership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        # Not through his own workspace's URL either.
        own = f"/w/other/evidence/{self.evidence.pk}/"
        self.assertEqual(self.client.get(own).status_code, 404)

    def test_it_404s_for_a_missing_id(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get("/w/acme/evidence/999999/").status_code, 404)

    def test_it_escapes_the_text(self) -> None:
        evidence = make_evidence(self.workspace, "<script>alert('x')</script><b>bold</b>")
        self.client.force_login(self.alice)
        response = self.client.get(f"/w/acme/evidence/{evidence.pk}/")
        self.assertContains(response, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
        self.assertContains(response, "&lt;b&gt;bold&lt;/b&gt;")
        self.assertNotContains(response, "<script>alert")
        self.assertNotContains(response, "<b>bold</b>")

    def test_it_shows_who_relayed_it(self) -> None:
        evidence = make_evidence(
            self.workspace, provenance=Provenance.RELAYED, relayed_by="Sam <Sales>"
        )
        self.client.force_login(self.alice)
        response = self.client.get(f"/w/acme/evidence/{evidence.pk}/")
        self.assertContains(response, "Relayed by Sam &lt;Sales&gt;")

    def test_it_links_only_web_source_urls(self) -> None:
        evidence = make_evidence(self.workspace, source_url="javascript:alert(1)")
        self.client.force_login(self.alice)
        response = self.client.get(f"/w/acme/evidence/{evidence.pk}/")
        self.assertContains(response, "<code>javascript:alert(1)</code>")
        self.assertNotContains(response, 'href="javascript:')

    def test_it_copes_with_missing_details(self) -> None:
        evidence = make_evidence(self.workspace, "Bare.")
        self.client.force_login(self.alice)
        response = self.client.get(f"/w/acme/evidence/{evidence.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Not recorded")

    def test_its_query_count_is_fixed(self) -> None:
        self.client.force_login(self.alice)
        # session, user, member, evidence with its account/contact/captured_by, its problem,
        # tags; and for an editor's triage the problems to assign to and the tags to suggest
        with self.assertNumQueries(8):
            self.client.get(self.url)
        self.client.force_login(self.vic)
        with self.assertNumQueries(6):
            self.client.get(self.url)
