"""Goals and key results: a goal without key results is a draft that cannot be made active;
key results track progress, also of measures that should go down."""

from __future__ import annotations

from datetime import date

from problemspace.roadmap import queries, services
from problemspace.roadmap.models import Goal, GoalStatus, KeyResult
from problemspace.roadmap.tests.factories import KEY_RESULT, make_goal, make_initiative
from problemspace.testing import BaseTestCase


class GoalsTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.bob_member = self.member(self.bob)

    def test_a_goal_without_key_results_is_a_draft(self) -> None:
        goal = make_goal(self.bob_member)
        self.assertEqual(goal.status, GoalStatus.DRAFT)
        [row] = queries.goals_with_initiatives(self.workspace)
        self.assertFalse(row.measurable)
        self.assertIsNone(row.progress)

    def test_a_goal_without_key_results_cannot_be_made_active(self) -> None:
        with self.assertRaises(services.RoadmapError) as caught:
            make_goal(self.bob_member, status="active")
        self.assertEqual(caught.exception.field, "status")
        self.assertIn("not measurable", str(caught.exception))
        self.assertFalse(Goal.objects.exists())
        goal = make_goal(self.bob_member)
        with self.assertRaises(services.RoadmapError):
            services.update_goal(self.bob_member, goal, {"status": "achieved"})
        goal.refresh_from_db()
        self.assertEqual(goal.status, GoalStatus.DRAFT)

    def test_with_a_key_result_it_can_be_made_active(self) -> None:
        goal = make_goal(self.bob_member)
        services.add_key_result(self.bob_member, goal, KEY_RESULT)
        services.update_goal(self.bob_member, goal, {"status": "active"})
        self.assertEqual(goal.status, GoalStatus.ACTIVE)
        # Created active with its key results in one go, too.
        other = make_goal(
            self.bob_member, "Keep customers", status="active", key_results=[KEY_RESULT]
        )
        self.assertEqual(other.key_results.get().current, 18)  # not measured yet: the baseline

    def test_the_last_key_result_of_an_active_goal_cannot_be_removed(self) -> None:
        goal = make_goal(self.bob_member, status="active", key_results=[KEY_RESULT])
        with self.assertRaises(services.RoadmapError) as caught:
            services.delete_key_result(self.bob_member, goal.key_results.get())
        self.assertIn("not measurable", str(caught.exception))
        self.assertEqual(goal.key_results.count(), 1)
        services.update_goal(self.bob_member, goal, {"status": "draft"})
        services.delete_key_result(self.bob_member, goal.key_results.get())
        self.assertFalse(KeyResult.objects.exists())

    def test_replacing_key_results_with_none_keeps_an_active_goal_active(self) -> None:
        goal = make_goal(self.bob_member, status="active", key_results=[KEY_RESULT])
        with self.assertRaises(services.RoadmapError):
            services.update_goal(self.bob_member, goal, {"key_results": []})
        self.assertEqual(goal.key_results.count(), 1)

    def test_bad_key_results_are_refused_with_the_field_named(self) -> None:
        goal = make_goal(self.bob_member)
        for data, field in (
            ({**KEY_RESULT, "metric": " "}, "metric"),
            ({**KEY_RESULT, "baseline": "lots"}, "baseline"),
            ({**KEY_RESULT, "target": float("nan")}, "target"),
            ({**KEY_RESULT, "due_on": "31/03/2027"}, "due_on"),
        ):
            with self.subTest(field=field), self.assertRaises(services.RoadmapError) as caught:
                services.add_key_result(self.bob_member, goal, data)
            self.assertEqual(caught.exception.field, field)
        with self.assertRaises(services.RoadmapError) as caught:
            make_goal(self.bob_member, key_results=[KEY_RESULT, {**KEY_RESULT, "target": ""}])
        self.assertIn("Key result 2", str(caught.exception))
        self.assertEqual(Goal.objects.count(), 1)

    def test_progress_of_key_results_including_measures_that_go_down(self) -> None:
        goal = make_goal(
            self.bob_member,
            status="active",
            due_on=date(2027, 3, 31),
            key_results=[
                {"metric": "Conversion", "baseline": 18, "target": 25, "current": 25},
                {"metric": "Churn", "unit": "%", "baseline": 2.4, "target": 1.5, "current": 2.1},
            ],
        )
        [row] = queries.goals_with_initiatives(self.workspace)
        self.assertEqual(row.goal, goal)
        self.assertEqual([r.progress.percent for r in row.key_results], [100, 33])
        self.assertEqual(row.key_results[1].progress.direction, "down")
        assert row.progress is not None
        self.assertEqual(row.progress.percent, 67)

    def test_a_check_in_updates_the_current_value_only(self) -> None:
        goal = make_goal(self.bob_member, key_results=[KEY_RESULT])
        kr = goal.key_results.get()
        services.update_key_result(self.bob_member, kr, {"current": "21.5"})
        kr.refresh_from_db()
        self.assertEqual((kr.baseline, kr.target, kr.current), (18, 25, 21.5))

    def test_goals_list_the_initiatives_serving_them_and_show_those_served_by_none(self) -> None:
        served = make_goal(self.bob_member, "Served")
        lonely = make_goal(self.bob_member, "Lonely")
        make_initiative(self.bob_member, goal_ids=[served.pk])
        dropped = make_initiative(self.bob_member, "Dropped one", goal_ids=[lonely.pk])
        services.move(self.bob_member, dropped, status="dropped")
        rows = {r.goal.objective: r for r in queries.goals_with_initiatives(self.workspace)}
        self.assertEqual([i.title for i in rows["Served"].initiatives], ["Approve from a phone"])
        self.assertEqual(rows["Lonely"].initiatives, [])

    def test_an_owner_from_another_workspace_is_refused(self) -> None:
        with self.assertRaises(services.RoadmapError) as caught:
            make_goal(self.bob_member, owner=self.member(self.charlie).pk)
        self.assertEqual(caught.exception.field, "owner")
