from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest import mock

from django.core.cache import cache
from django.test import override_settings

from problemspace.customers.models import Account
from problemspace.dashboard import queries
from problemspace.evidence.models import Provenance
from problemspace.evidence.tests.factories import make_account, make_evidence
from problemspace.problems.models import Problem, RunStatus, SynthesisRun
from problemspace.testing import BaseTestCase

# Saturday 15 March 2025, noon UTC: "the last 7 days" are 9 to 15 March.
NOW = datetime(2025, 3, 15, 12, 0, tzinfo=UTC)
RELAYED = {"provenance": Provenance.RELAYED, "relayed_by": "Sam (Sales)"}


def at(day: str, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=UTC)


class FrozenTimeMixin:
    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        # Cached figures of one test must not leak into the next.
        cache.clear()
        frozen = mock.patch("django.utils.timezone.now", return_value=NOW)
        frozen.start()
        self.addCleanup(frozen.stop)  # type: ignore[attr-defined]


class DashboardTestCase(FrozenTimeMixin, BaseTestCase):
    """A small, known workspace: every figure on the dashboard can be worked out by hand."""

    globex: Account
    newco: Account
    p1: Problem
    p2: Problem
    p3: Problem
    url = "/w/acme/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ws = cls.workspace
        cls.globex = make_account(ws, "Globex", segment="Enterprise")
        hooli = make_account(ws, "Hooli", segment="Enterprise")
        initech = make_account(ws, "Initech", segment="SMB")
        cls.newco = make_account(ws, "Newco", segment="SMB")
        returnco = make_account(ws, "Returnco", segment="SMB")
        make_account(ws, "Quietco", segment="SMB")
        oldco = make_account(ws, "Oldco")

        def said(when: datetime, account: Account, channel: str, **fields: Any) -> None:
            make_evidence(ws, occurred_at=when, account=account, channel=channel, **fields)

        # The last 7 days: 3 first-hand, 2 relayed; Newco is heard from for the first time.
        said(at("2025-03-14"), cls.globex, "support")
        said(at("2025-03-10"), cls.globex, "support")
        said(at("2025-03-15", 8), initech, "interview")
        said(at("2025-03-12"), cls.newco, "sales_call", **RELAYED)
        said(at("2025-03-13"), returnco, "email", **RELAYED)
        # The 7 days before: 1 first-hand, 1 relayed.
        said(at("2025-03-05"), cls.globex, "sales_call", **RELAYED)
        said(at("2025-03-08", 23), hooli, "support")
        # Earlier in the 12 weeks (which start on 22 December 2024).
        said(at("2025-01-10"), initech, "survey")
        said(at("2025-02-01"), hooli, "review")
        said(at("2024-12-22", 0, 30), cls.globex, "support", **RELAYED)
        # Before the 12 weeks: not counted, but they make Globex and Returnco old friends.
        said(at("2024-12-21", 23, 59), cls.globex, "support")
        said(at("2024-05-01"), returnco, "support")
        said(at("2024-06-01"), oldco, "support")
        # Another workspace's customers are nobody's business here.
        umbrella = make_account(cls.other_workspace, "Umbrella", segment="SMB")
        make_evidence(cls.other_workspace, occurred_at=at("2025-03-14"), account=umbrella)

        def problem(title: str, score: float, **fields: object) -> Problem:
            fields.setdefault("created_at", NOW - timedelta(days=30))
            return Problem.objects.create(
                workspace=ws, title=title, score=score, explanation=f"why {title}", **fields
            )

        cls.p1 = problem("Month-end export is slow", 0.9)
        cls.p2 = problem("Approvals get stuck", 0.8)
        cls.p3 = problem("Duplicate vendors", 0.5, created_at=NOW - timedelta(days=1))
        problem("A new grouping", 0.4, candidate=True, created_at=NOW - timedelta(days=1))
        problem("Not a problem", 0.95, dismissed=True)
        SynthesisRun.objects.create(
            workspace=ws,
            mode="full",
            status=RunStatus.DONE,
            started_at=NOW - timedelta(days=30),
            finished_at=NOW - timedelta(days=30),
            ranking=[cls.p2.pk, cls.p1.pk],
        )
        SynthesisRun.objects.create(
            workspace=ws,
            mode="incremental",
            status=RunStatus.DONE,
            started_at=NOW - timedelta(days=1, minutes=1),
            finished_at=NOW - timedelta(days=1),
            ranking=[cls.p1.pk, cls.p2.pk, cls.p3.pk],
        )

    def test_it_works(self) -> None:
        self.client.force_login(self.vic)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        for text in [
            "Top problems",
            "Month-end export is slow",
            "why Month-end export is slow",
            "Up 150%",
            "60% heard first-hand",
            "Newco",
            "Evidence by channel",
            "Accounts heard from, by segment",
            "appear here once interviews are logged",
        ]:
            with self.subTest(text=text):
                self.assertContains(response, text)
        self.assertNotContains(response, "Not a problem")
        self.assertNotContains(response, "Umbrella")

    def test_its_figures_are_right(self) -> None:
        self.client.force_login(self.alice)
        activity = self.client.get(self.url).context["activity"]
        self.assertEqual(activity.week_starts[0], date(2024, 12, 22))
        self.assertEqual(activity.week_starts[-1], date(2025, 3, 9))
        self.assertEqual(activity.first_hand, [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 3])
        self.assertEqual(activity.relayed, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2])
        self.assertEqual((activity.this_week, activity.last_week, activity.change), (5, 2, 150))
        self.assertEqual(activity.first_hand_share_this_week, 60)
        self.assertEqual((activity.total, activity.first_hand_share), (10, 60))
        self.assertEqual(
            [(label, n) for _, label, n in activity.channels],
            [
                ("Support ticket", 4),
                ("Sales call", 2),
                ("Email", 1),
                ("Interview", 1),
                ("Review", 1),
                ("Survey", 1),
            ],
        )
        self.assertEqual(activity.accounts_reached, 5)
        self.assertEqual(
            [(s.name, s.reached, s.accounts) for s in activity.segments],
            [("SMB", 3, 4), ("Enterprise", 2, 2)],
        )
        self.assertEqual([a.name for a in activity.new_accounts], ["Newco"])
        self.assertEqual(activity.new_accounts[0].first_heard, at("2025-03-12"))

    def test_it_shows_the_top_problems_and_how_they_moved(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        ranking = response.context["ranking"]
        self.assertEqual(
            [(t.problem.title, t.place, t.moved) for t in ranking.top],
            [
                ("Month-end export is slow", 1, 1),
                ("Approvals get stuck", 2, -1),
                ("Duplicate vendors", 3, None),
            ],
        )
        self.assertEqual(ranking.ranked, 3)
        self.assertContains(response, '1<span class="visually-hidden"> place up since the previous')
        self.assertContains(response, '1<span class="visually-hidden"> place down since the previ')
        self.assertContains(response, '<span class="move move-new">New</span>', html=True)
        self.assertContains(response, f'href="/w/acme/problems/{self.p1.pk}/"')

    def test_it_lists_what_the_last_synthesis_started(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        synthesis = response.context["synthesis"]
        self.assertEqual(
            [p.title for p in synthesis.new_problems], ["Duplicate vendors", "A new grouping"]
        )
        self.assertEqual(synthesis.candidates, 1)
        self.assertContains(response, "1 candidate waiting for a PM")

    def test_movement_waits_for_a_second_synthesis(self) -> None:
        SynthesisRun.objects.filter(mode="full").delete()
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertFalse(response.context["ranking"].has_movement)
        self.assertContains(response, "Movement shows after the next synthesis.")
        self.assertNotContains(response, "since the previous synthesis")

    def test_it_draws_the_weekly_provenance_chart(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(
            response, 'aria-label="Evidence per week, heard first-hand and relayed"'
        )
        self.assertContains(response, 'aria-label="Evidence by channel"')
        self.assertContains(response, 'aria-label="Accounts heard from, by segment"')
        for chart in ["weekly_chart", "channel_chart", "segment_chart"]:
            self.assertNotIn("<script", response.context[chart])
        # The same figures in words, for anyone who cannot see the chart.
        self.assertContains(response, "<strong>60%</strong> of the 10 items")
        self.assertContains(response, "<strong>40%</strong> reached you")

    def test_it_links_figures_to_the_evidence_behind_them(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "/w/acme/inbox/?from=2025-03-09")
        self.assertContains(response, "/w/acme/inbox/?channel=support&amp;from=2024-12-22")
        self.assertContains(response, "/w/acme/inbox/?provenance=relayed&amp;from=2024-12-22")
        self.assertContains(response, f'href="/w/acme/accounts/{self.newco.pk}/"')
        self.assertContains(response, "/w/acme/accounts/?segment=SMB")

    @override_settings(TIME_ZONE="America/New_York")
    def test_weeks_are_days_in_the_workspace_time_zone(self) -> None:
        # 9 March 03:00 UTC is still 8 March in New York: last week there, not this one.
        make_evidence(self.workspace, occurred_at=at("2025-03-09", 3), account=self.globex)
        activity = queries.compute_activity(self.workspace, NOW)
        self.assertEqual((activity.this_week, activity.last_week), (5, 3))

    def test_it_escapes_customer_names(self) -> None:
        sneaky = make_account(
            self.workspace, "<script>alert('x')</script> Corp", segment="<b>Bold</b>"
        )
        make_evidence(self.workspace, occurred_at=at("2025-03-15", 9), account=sneaky)
        self.p3.title = "<img src=x onerror=alert(1)>"
        self.p3.save()
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertNotContains(response, "<script>alert")
        self.assertNotContains(response, "<b>Bold</b>")
        self.assertNotContains(response, "<img src=x")
        self.assertContains(response, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Corp")
        self.assertContains(response, "&lt;img src=x onerror=alert(1)&gt;")

    def test_it_requires_sign_in(self) -> None:
        self.assertRedirects(self.client.get(self.url), f"/login/?next={self.url}")

    def test_it_checks_membership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertNotContains(self.client.get("/w/other/"), "Globex")

    def test_every_role_may_read_it(self) -> None:
        for user in [self.alice, self.bob, self.carol, self.vic]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_the_nav_leads_with_the_dashboard(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, '<a href="/w/acme/" aria-current="page">Dashboard</a>')
        nav = response.content.decode().split('aria-label="Workspace"')[1]
        self.assertLess(nav.index("Dashboard"), nav.index("Inbox"))

    def test_its_query_count_is_fixed(self) -> None:
        self.client.force_login(self.alice)
        # session, user, member, any evidence?, weeks and channels, accounts heard from,
        # accounts by segment, first heard (EXISTS), top problems, runs for movement, last
        # run, what it started, candidates, the team's time with customers
        with self.assertNumQueries(14):
            self.client.get(self.url)
        for n in range(10):
            make_evidence(self.workspace, occurred_at=at("2025-03-11"), account=self.newco)
            Problem.objects.create(workspace=self.workspace, title=f"P{n}", score=0.1)
        cache.clear()
        # One more when the top is full: how many problems the whole ranking has.
        with self.assertNumQueries(15):
            self.client.get(self.url)

    def test_it_reuses_its_figures_for_a_minute(self) -> None:
        self.client.force_login(self.alice)
        self.client.get(self.url)
        make_evidence(self.workspace, occurred_at=at("2025-03-15", 11), account=self.globex)
        # The evidence figures come from the cache: four queries fewer.
        with self.assertNumQueries(10):
            response = self.client.get(self.url)
        self.assertEqual(response.context["activity"].this_week, 5)
        with mock.patch("django.utils.timezone.now", return_value=NOW + timedelta(seconds=61)):
            response = self.client.get(self.url)
        self.assertEqual(response.context["activity"].this_week, 6)


class ActivityCacheTestCase(FrozenTimeMixin, BaseTestCase):
    def test_a_stale_copy_stands_in_while_another_request_refreshes_it(self) -> None:
        first = queries.activity(self.workspace, NOW)
        make_evidence(self.workspace, occurred_at=NOW)
        later = NOW + timedelta(minutes=2)
        key = queries._cache_key(self.workspace, later.date())
        cache.add(f"{key}:refreshing", True)
        self.assertEqual(queries.activity(self.workspace, later).computed_at, first.computed_at)
        cache.delete(f"{key}:refreshing")
        refreshed = queries.activity(self.workspace, later)
        self.assertEqual((refreshed.computed_at, refreshed.this_week), (later, 1))

    def test_older_weeks_are_recounted_when_items_arrive_in_them(self) -> None:
        queries.activity(self.workspace, NOW)
        make_evidence(self.workspace, occurred_at=NOW - timedelta(days=30))
        later = NOW + timedelta(seconds=61)
        # The index-only count notices the new item: the older weeks are counted again.
        with self.assertNumQueries(4):
            figures = queries.activity(self.workspace, later)
        self.assertEqual(figures.total, 1)

    def test_older_weeks_are_reused_while_their_size_holds(self) -> None:
        old = make_evidence(self.workspace, occurred_at=NOW - timedelta(days=30))
        queries.activity(self.workspace, NOW)
        old.provenance, old.relayed_by = Provenance.RELAYED, "Sam"
        old.save()
        # Count, the last 7 days and the accounts: the older weeks come from the cache.
        with self.assertNumQueries(3):
            figures = queries.activity(self.workspace, NOW + timedelta(seconds=61))
        self.assertEqual((sum(figures.first_hand), sum(figures.relayed)), (1, 0))
        figures = queries.activity(self.workspace, NOW + timedelta(minutes=16))
        self.assertEqual((sum(figures.first_hand), sum(figures.relayed)), (0, 1))

    def test_cached_figures_match_a_fresh_count(self) -> None:
        for days in [0, 3, 8, 20, 50, 83, 84]:
            make_evidence(self.workspace, occurred_at=NOW - timedelta(days=days))
        queries.activity(self.workspace, NOW)
        make_evidence(self.workspace, occurred_at=NOW - timedelta(days=1), **RELAYED)
        later = NOW + timedelta(seconds=61)
        cached = queries.activity(self.workspace, later)
        fresh = queries.compute_activity(self.workspace, later)
        self.assertEqual(cached, fresh)

    def test_with_nothing_cached_it_waits_for_the_request_computing(self) -> None:
        key = queries._cache_key(self.workspace, NOW.date())
        cache.add(f"{key}:refreshing", True)
        computed = queries.compute_activity(self.workspace, NOW)

        def other_request_finishes(seconds: float) -> None:
            cache.set(key, computed)

        sleeping = mock.patch("problemspace.dashboard.queries.clock.sleep", other_request_finishes)
        with sleeping, self.assertNumQueries(0):
            self.assertEqual(queries.activity(self.workspace, NOW), computed)

    def test_it_computes_the_figures_itself_when_the_other_request_never_finishes(self) -> None:
        key = queries._cache_key(self.workspace, NOW.date())
        cache.add(f"{key}:refreshing", True)
        make_evidence(self.workspace, occurred_at=NOW)
        with mock.patch.object(queries, "WAIT_FOR_OTHERS", 0):
            self.assertEqual(queries.activity(self.workspace, NOW).this_week, 1)

    def test_a_new_day_is_never_served_yesterdays_weeks(self) -> None:
        queries.activity(self.workspace, NOW)
        tomorrow = queries.activity(self.workspace, NOW + timedelta(days=1))
        self.assertEqual(tomorrow.week_starts[-1], date(2025, 3, 10))

    def test_forgetting_drops_the_cached_figures(self) -> None:
        queries.activity(self.workspace, NOW)
        make_evidence(self.workspace, occurred_at=NOW)
        queries.forget_activity(self.workspace)
        self.assertEqual(queries.activity(self.workspace, NOW).this_week, 1)


class EmptyDashboardTestCase(FrozenTimeMixin, BaseTestCase):
    url = "/w/acme/"

    def test_an_empty_workspace_says_how_to_start(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nothing heard from customers yet")
        self.assertContains(response, '<a href="/w/acme/import/">Import</a>')
        self.assertContains(response, '<a href="/w/acme/capture/">capture</a>')
        self.assertContains(response, 'Run a synthesis from the <a href="/w/acme/problems/">')
        self.assertNotContains(response, "<svg")

    def test_an_empty_workspace_costs_four_queries(self) -> None:
        self.client.force_login(self.alice)
        with self.assertNumQueries(4):
            self.client.get(self.url)

    def test_a_viewer_is_told_the_team_brings_evidence_in(self) -> None:
        self.client.force_login(self.vic)
        response = self.client.get(self.url)
        self.assertContains(response, "Your role here is viewer")
        self.assertNotContains(response, "/w/acme/import/")

    def test_evidence_without_problems_asks_for_a_synthesis(self) -> None:
        make_evidence(self.workspace, occurred_at=NOW - timedelta(days=2))
        self.client.force_login(self.bob)
        response = self.client.get(self.url)
        self.assertContains(response, "No problems yet")
        self.assertContains(response, "Go to Problems to run a synthesis")
        self.assertContains(response, "No synthesis has run yet.")
        self.client.force_login(self.carol)
        self.assertContains(self.client.get(self.url), "A PM of this workspace runs it.")

    def test_quiet_weeks_say_so(self) -> None:
        make_evidence(self.workspace, occurred_at=NOW - timedelta(days=200))
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "Nothing heard in the last 12 weeks.")
        self.assertContains(response, "Nothing the 7 days before either.")
        self.assertEqual(response.context["activity"].first_hand_share, None)
