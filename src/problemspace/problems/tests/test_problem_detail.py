from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from unittest import mock

from problemspace.evidence.models import Provenance
from problemspace.evidence.tests.factories import make_account, make_contact, make_evidence
from problemspace.problems.models import ProblemEvidence
from problemspace.problems.queries import weekly_evidence
from problemspace.problems.tests.factories import make_problem
from problemspace.testing import BaseTestCase

NOW = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)  # a Wednesday


class ProblemDetailTestCase(BaseTestCase):
    def setUp(self):
        self.globex = make_account(
            self.workspace, "Globex", segment="Enterprise", revenue=Decimal("250000")
        )
        self.initech = make_account(
            self.workspace, "Initech", segment="Mid-market", revenue=Decimal("40000")
        )
        dana = make_contact(
            self.workspace, "dana@globex.example", name="Dana Ruiz", account=self.globex
        )
        self.said = [
            make_evidence(
                self.workspace,
                "Our month-end export times out every single time.",
                account=self.globex,
                contact=dana,
                occurred_at=NOW - timedelta(days=3),
            ),
            make_evidence(
                self.workspace,
                "Exports of big ledgers never finish.",
                account=self.initech,
                provenance=Provenance.RELAYED,
                relayed_by="Sam (sales)",
                occurred_at=NOW - timedelta(days=10),
            ),
            make_evidence(
                self.workspace,
                "Export keeps spinning.",
                account=self.globex,
                occurred_at=NOW - timedelta(days=40),
            ),
        ]
        self.problem = make_problem(
            self.workspace,
            "Exports time out on big ledgers",
            evidence=self.said,
            score=0.62,
            explanation="2 accounts, 2 segments, $290k ARR, 67% first-hand, rising",
            statement="Finance teams cannot close the month.",
            figures={"items": 3, "conversations": 3, "trend": "rising"},
        )
        self.url = f"/w/acme/problems/{self.problem.pk}/"

    def get(self, user, url=None, **params):
        self.client.force_login(user)
        with mock.patch("problemspace.problems.queries.timezone.now", return_value=NOW):
            return self.client.get(url or self.url, params)

    def test_it_shows_the_statement_explanation_and_score_components(self):
        response = self.get(self.vic)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Exports time out on big ledgers")
        self.assertContains(response, "2 accounts, 2 segments, $290k ARR, 67% first-hand, rising")
        self.assertContains(response, "Finance teams cannot close the month.")
        self.assertContains(response, "0.62")
        names = [c["name"] for c in response.context["components"]]
        self.assertEqual(names, ["reach", "trend", "first_hand", "strength"])
        self.assertContains(response, '<meter min="0" max="1" value="0.500000"', html=False)

    def test_it_shows_the_quotes_verbatim_each_linking_to_its_evidence(self):
        response = self.get(self.vic)
        quotes = response.context["quotes"]
        self.assertEqual(quotes, self.said[:3])
        self.assertContains(response, "Our month-end export times out every single time.")
        self.assertContains(response, f'href="/w/acme/evidence/{self.said[0].pk}/"', html=False)
        self.assertContains(response, "Dana Ruiz")
        self.assertContains(response, "Relayed by Sam (sales)")

    def test_it_lists_the_accounts_and_segments_with_their_revenue(self):
        response = self.get(self.vic)
        reach = response.context["reach"]
        self.assertEqual(
            [(a.name, a.items, a.first_hand) for a in reach.accounts],
            [("Globex", 2, 2), ("Initech", 1, 0)],
        )
        self.assertEqual(reach.account_count, 2)
        segments = reach.segments
        self.assertEqual(
            [(s.name, s.accounts, s.revenue) for s in segments],
            [("Enterprise", 1, Decimal("250000")), ("Mid-market", 1, Decimal("40000"))],
        )
        self.assertContains(response, "$250k")
        self.assertContains(response, f'href="/w/acme/accounts/{self.globex.pk}/"', html=False)

    def test_it_draws_the_trend_and_the_segment_spread(self):
        response = self.get(self.vic)
        self.assertContains(
            response, 'aria-label="Evidence per week over the last 26 weeks', html=False
        )
        self.assertContains(response, 'aria-label="Accounts per segment"', html=False)
        # The charts carry no script: the only one on the page is the site's own file.
        self.assertEqual(response.content.count(b"<script"), 1)
        self.assertContains(response, '<script src="/static/web/app.js', html=False)

    def test_the_evidence_is_paged_newest_first(self):
        self.check_paging()

    def test_a_large_problems_evidence_is_paged_the_same(self):
        # Past WALK_FROM_ITEMS the page is found another way; what it finds must not change.
        self.problem.score_components = {**self.problem.score_components, "items": 5000}
        self.problem.save()
        self.check_paging()

    def check_paging(self):
        for i in range(30):
            evidence = make_evidence(
                self.workspace,
                f"Old export complaint {i}",
                occurred_at=NOW - timedelta(days=100 + i),
            )
            ProblemEvidence.objects.create(problem=self.problem, evidence=evidence)
        # Evidence of another problem and of no problem, newer than all of it, is left out.
        make_problem(
            self.workspace, "Other", evidence=[make_evidence(self.workspace, "x", occurred_at=NOW)]
        )
        make_evidence(self.workspace, "Loose", occurred_at=NOW)
        first = self.get(self.vic)
        items = first.context["page"].items
        self.assertEqual(len(items), 25)
        self.assertEqual(items[0], self.said[0])
        self.assertTrue(first.context["page"].next_cursor)
        second = self.get(self.vic, after=first.context["page"].next_cursor)
        rest = second.context["page"].items
        self.assertEqual(len(rest), 8)
        self.assertEqual(rest[-1].text, "Old export complaint 29")
        self.assertIsNone(second.context["page"].next_cursor)

    def test_a_repeat_is_shown_as_counted_once(self):
        ProblemEvidence.objects.filter(evidence=self.said[1]).update(duplicate_of=self.said[2])
        response = self.get(self.vic)
        self.assertContains(response, f"evidence #{self.said[2].pk}</a> from the same conversation")

    def test_a_problem_synthesized_before_profiles_says_when_its_figures_come(self):
        self.problem.profile = {}
        self.problem.save()
        response = self.get(self.vic)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Counted at the next synthesis.", count=3)
        self.assertIsNone(response.context["trend_chart"])

    def test_viewers_and_contributors_see_no_edit_controls(self):
        for user in (self.vic, self.carol):
            response = self.get(user)
            self.assertNotContains(response, "Curate")
            self.assertNotContains(response, 'name="evidence"', html=False)
            self.assertNotContains(response, "/merge/")
            self.assertNotContains(response, "/pin/")

    def test_editors_see_the_edit_controls(self):
        other = make_problem(self.workspace, "Single sign-on breaks")
        response = self.get(self.bob)
        self.assertContains(response, "Curate")
        self.assertContains(
            response, f'value="{self.said[0].pk}" id="pick-{self.said[0].pk}"', html=False
        )
        self.assertContains(
            response, f'<option value="{other.pk}">Single sign-on breaks</option>', html=True
        )
        self.assertNotContains(response, f'<option value="{self.problem.pk}">')

    def test_evidence_text_is_escaped(self):
        evil = make_evidence(
            self.workspace, "<script>alert('x')</script> breaks export", occurred_at=NOW
        )
        ProblemEvidence.objects.create(problem=self.problem, evidence=evil)
        self.problem.quote_ids = [evil.pk]
        self.problem.title = "<img src=x onerror=alert(1)>"
        self.problem.save()
        response = self.get(self.bob)
        self.assertNotContains(response, "<script>alert")
        self.assertNotContains(response, "<img src=x")
        self.assertContains(
            response, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; breaks export"
        )

    def test_it_checks_ownership(self):
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        theirs = make_problem(self.other_workspace, "Their secret problem")
        self.client.force_login(self.alice)
        response = self.client.get(f"/w/acme/problems/{theirs.pk}/")
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "Their secret problem", status_code=404)


class WeeklyEvidenceTestCase(BaseTestCase):
    def test_it_counts_first_hand_and_relayed_evidence_per_week(self):
        this_week = make_evidence(self.workspace, "a", occurred_at=NOW - timedelta(days=1))
        monday = make_evidence(
            self.workspace, "b", occurred_at=datetime(2025, 3, 10, 0, 5, tzinfo=UTC)
        )
        relayed = make_evidence(
            self.workspace,
            "c",
            occurred_at=NOW - timedelta(weeks=2),
            provenance=Provenance.RELAYED,
        )
        too_old = make_evidence(self.workspace, "d", occurred_at=NOW - timedelta(weeks=30))
        elsewhere = make_evidence(self.workspace, "e", occurred_at=NOW)
        problem = make_problem(self.workspace, evidence=[this_week, monday, relayed, too_old])
        make_problem(self.workspace, "Other", evidence=[elsewhere])
        weekly = weekly_evidence(problem, weeks=26, now=NOW)
        self.assertEqual(len(weekly.weeks), 26)
        self.assertEqual(weekly.weeks[-1].isoformat(), "2025-03-10")
        self.assertEqual(weekly.weeks[0].weekday(), 0)
        self.assertEqual(weekly.first_hand[-1], 2)
        self.assertEqual(weekly.relayed[-3], 1)
        self.assertEqual(sum(weekly.first_hand) + sum(weekly.relayed), 3)
