from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

from django.test import override_settings

from problemspace.evidence import search
from problemspace.evidence.models import Channel, Evidence
from problemspace.evidence.queries import Cursor
from problemspace.evidence.tests.factories import BASE_TIME, make_evidence
from problemspace.testing import BaseTestCase


@override_settings(INBOX_PAGE_SIZE=3)
class InboxPaginationTestCase(BaseTestCase):
    url = "/w/acme/inbox/"

    def walk(self, params: dict[str, str] | None = None) -> list[list[int]]:
        """Follow "Older →" from the first page to the last; the ids of each page."""
        pages: list[list[int]] = []
        params = dict(params or {})
        while True:
            response = self.client.get(self.url, params)
            self.assertEqual(response.status_code, 200)
            page = response.context["page"]
            pages.append([evidence.pk for evidence in page.items])
            if page.next_cursor is None:
                return pages
            self.assertContains(response, "Older →")
            params["after"] = page.next_cursor

    def test_pages_have_no_duplicates_and_no_gaps_when_times_are_equal(self) -> None:
        # Eight rows at the same instant and three at another: pages cut through both groups.
        same = [make_evidence(self.workspace, occurred_at=BASE_TIME) for _ in range(8)]
        older = [
            make_evidence(self.workspace, occurred_at=BASE_TIME - timedelta(seconds=1))
            for _ in range(3)
        ]
        self.client.force_login(self.alice)
        pages = self.walk()
        self.assertEqual([len(page) for page in pages], [3, 3, 3, 2])
        flat = [pk for page in pages for pk in page]
        expected = sorted((e.pk for e in same), reverse=True) + sorted(
            (e.pk for e in older), reverse=True
        )
        self.assertEqual(flat, expected)

    def test_pages_keep_the_filters(self) -> None:
        for n in range(7):
            channel = Channel.SUPPORT if n % 2 else Channel.INTERVIEW
            make_evidence(
                self.workspace, occurred_at=BASE_TIME - timedelta(hours=n), channel=channel
            )
        self.client.force_login(self.alice)
        pages = self.walk({"channel": "interview"})
        self.assertEqual([len(page) for page in pages], [3, 1])

    def test_text_filtered_pages_are_the_same_however_they_are_found(self) -> None:
        # The inbox looks a few matches up and sorts them, but walks its index when many
        # match, reading their ids first or asking the index row by row (see search.matching); either way the pages must be the same, ties included.
        for n in range(11):
            text = "Billing is confusing" if n % 3 == 0 else "Exports are slow"
            make_evidence(self.workspace, text, occurred_at=BASE_TIME - timedelta(minutes=n % 4))
        self.client.force_login(self.alice)
        few = self.walk({"text": "exports"})
        with (
            patch.object(search, "SQLITE_DENSE_MATCHES", 1),
            patch.object(search, "POSTGRES_FEW_MATCHES", 0),
        ):
            many = self.walk({"text": "exports"})
        with patch.object(search, "SQLITE_VERY_DENSE_MATCHES", 1):
            most = self.walk({"text": "exports"})
        expected = list(
            Evidence.objects.filter(text__startswith="Exports").values_list("pk", flat=True)
        )
        self.assertEqual([len(page) for page in few], [3, 3, 1])
        self.assertEqual([pk for page in few for pk in page], expected)
        self.assertEqual(many, few)
        self.assertEqual(most, few)

    def test_a_full_last_page_has_no_older_link(self) -> None:
        for _ in range(3):
            make_evidence(self.workspace)
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertIsNone(response.context["page"].next_cursor)
        self.assertNotContains(response, "Older →")

    def test_older_pages_link_back_to_the_newest(self) -> None:
        for n in range(5):
            make_evidence(self.workspace, occurred_at=BASE_TIME - timedelta(minutes=n))
        self.client.force_login(self.alice)
        first = self.client.get(self.url, {"channel": "other"})
        self.assertNotContains(first, "← Newest")
        cursor = first.context["page"].next_cursor
        second = self.client.get(self.url, {"channel": "other", "after": cursor})
        self.assertContains(second, '<a class="button-quiet" href="?channel=other">← Newest</a>')

    def test_the_older_link_carries_the_filters_and_the_cursor(self) -> None:
        for n in range(4):
            make_evidence(self.workspace, occurred_at=BASE_TIME - timedelta(minutes=n))
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"text": "slow"})
        cursor = response.context["page"].next_cursor
        self.assertContains(response, f'href="?text=slow&amp;after={cursor}" rel="next"')

    def test_jump_to_date_starts_at_that_day(self) -> None:
        day = timedelta(days=1)
        for n in range(6):
            make_evidence(self.workspace, occurred_at=BASE_TIME - n * day)
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"to": "2025-03-12"})
        dates = [e.occurred_at.date().isoformat() for e in response.context["page"].items]
        self.assertEqual(dates, ["2025-03-12", "2025-03-11", "2025-03-10"])
        self.assertContains(response, 'id="jump-to" name="to" value="2025-03-12"')

    def test_the_jump_form_keeps_the_other_filters(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"channel": "survey", "to": "2025-01-01"})
        self.assertContains(response, '<input type="hidden" name="channel" value="survey">')
        self.assertNotContains(response, '<input type="hidden" name="to"')

    def test_a_broken_cursor_shows_the_newest_page_with_a_note(self) -> None:
        newest = make_evidence(self.workspace)
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"after": "yesterday"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "That page link is broken")
        self.assertEqual(response.context["page"].items, [newest])

    def test_a_cursor_past_the_end_gives_an_empty_page(self) -> None:
        make_evidence(self.workspace)
        self.client.force_login(self.alice)
        cursor = Cursor(BASE_TIME - timedelta(days=365), 1).encode()
        response = self.client.get(self.url, {"after": cursor})
        self.assertEqual(response.context["page"].items, [])
        self.assertContains(response, "No evidence matches these filters on older pages.")

    def test_deep_pages_cost_what_the_first_costs(self) -> None:
        for n in range(10):
            make_evidence(self.workspace, occurred_at=BASE_TIME - timedelta(minutes=n))
        self.client.force_login(self.alice)
        first = self.client.get(self.url)
        cursor = first.context["page"].next_cursor
        # session, user, member, segments, evidence page, tags, the page's problems, the count
        # of what is set aside, and the triage bar's problems and tags: the same as the first
        with self.assertNumQueries(10):
            self.client.get(self.url, {"after": cursor})
