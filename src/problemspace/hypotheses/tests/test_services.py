from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

from problemspace.evidence.tests.factories import make_evidence
from problemspace.hypotheses import queries, services
from problemspace.hypotheses.models import (
    ExperimentStatus,
    Hypothesis,
    LearningCard,
    Status,
    StatusChange,
)
from problemspace.hypotheses.services import HypothesisError
from problemspace.hypotheses.tests.factories import make_experiment, make_hypothesis
from problemspace.problems.models import Problem
from problemspace.testing import BaseTestCase

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class CreateHypothesisTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.bob_member = self.member(self.bob)

    def test_it_creates_an_untested_assumption_with_its_links(self) -> None:
        problem = Problem.objects.create(workspace=self.workspace, title="Approvals stall")
        evidence = make_evidence(self.workspace, "I approve from the airport, or not at all.")
        hypothesis = make_hypothesis(
            self.bob_member,
            owner=self.bob_member.pk,
            problem_ids=[problem.pk],
            evidence_ids=[evidence.pk],
        )
        self.assertEqual(hypothesis.status, Status.UNTESTED)
        self.assertEqual(list(hypothesis.problems.all()), [problem])
        self.assertEqual(list(hypothesis.evidence.all()), [evidence])
        self.assertEqual(hypothesis.owner, self.bob_member)
        self.assertEqual(list(Hypothesis.objects.filter(problems=problem)), [hypothesis])

    def test_it_refuses_importance_out_of_range(self) -> None:
        for bad in (0, 6, "high", None, 2.5, True):
            with self.subTest(importance=bad), self.assertRaises(HypothesisError) as caught:
                make_hypothesis(self.bob_member, importance=bad)
            self.assertEqual(caught.exception.field, "importance")
            self.assertIn("from 1 to 5", str(caught.exception))
        self.assertFalse(Hypothesis.objects.exists())

    def test_it_refuses_evidence_strength_out_of_range(self) -> None:
        with self.assertRaises(HypothesisError) as caught:
            make_hypothesis(self.bob_member, evidence_strength=9)
        self.assertEqual(caught.exception.field, "evidence_strength")

    def test_it_needs_a_statement_and_a_known_kind(self) -> None:
        with self.assertRaises(HypothesisError) as caught:
            make_hypothesis(self.bob_member, statement="   ")
        self.assertEqual(caught.exception.field, "statement")
        with self.assertRaises(HypothesisError) as caught:
            make_hypothesis(self.bob_member, kind="vibes")
        self.assertEqual(caught.exception.field, "kind")

    def test_it_refuses_links_to_another_workspace(self) -> None:
        theirs = Problem.objects.create(workspace=self.other_workspace, title="Secret")
        secret = make_evidence(self.other_workspace, "Secret")
        with self.assertRaises(HypothesisError) as caught:
            make_hypothesis(self.bob_member, problem_ids=[theirs.pk])
        self.assertEqual(caught.exception.field, "problems")
        with self.assertRaises(HypothesisError) as caught:
            make_hypothesis(self.bob_member, evidence_ids=[secret.pk])
        self.assertEqual(caught.exception.field, "evidence")
        charlie = self.member(self.charlie)
        with self.assertRaises(HypothesisError) as caught:
            make_hypothesis(self.bob_member, owner=charlie.pk)
        self.assertEqual(caught.exception.field, "owner")
        self.assertFalse(Hypothesis.objects.exists())


class TransitionTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.bob_member = self.member(self.bob)
        self.hypothesis = make_hypothesis(self.bob_member)

    def test_it_follows_untested_testing_validated_and_keeps_history(self) -> None:
        services.move(self.bob_member, self.hypothesis, Status.TESTING, now=NOW)
        services.move(
            self.bob_member, self.hypothesis, Status.VALIDATED, now=NOW + timedelta(days=1)
        )
        self.hypothesis.refresh_from_db()
        self.assertEqual(self.hypothesis.status, Status.VALIDATED)
        history = list(
            self.hypothesis.changes.values_list("from_status", "to_status", "changed_by")
        )
        self.assertEqual(
            history,
            [
                ("untested", "testing", self.bob_member.pk),
                ("testing", "validated", self.bob_member.pk),
            ],
        )

    def test_it_refuses_an_invalid_transition(self) -> None:
        with self.assertRaises(HypothesisError) as caught:
            services.move(self.bob_member, self.hypothesis, Status.VALIDATED)
        self.assertIn("cannot go from untested to validated", str(caught.exception))
        self.assertEqual(caught.exception.field, "status")
        services.move(self.bob_member, self.hypothesis, Status.TESTING)
        services.move(self.bob_member, self.hypothesis, Status.INVALIDATED)
        with self.assertRaises(HypothesisError):
            services.move(self.bob_member, self.hypothesis, Status.VALIDATED)
        with self.assertRaises(HypothesisError):
            services.move(self.bob_member, self.hypothesis, "dead")
        self.hypothesis.refresh_from_db()
        self.assertEqual(self.hypothesis.status, Status.INVALIDATED)
        self.assertEqual(StatusChange.objects.count(), 2)

    def test_a_decided_assumption_is_reopened_by_testing_again(self) -> None:
        services.move(self.bob_member, self.hypothesis, Status.TESTING)
        services.move(self.bob_member, self.hypothesis, Status.VALIDATED)
        services.move(self.bob_member, self.hypothesis, Status.TESTING)
        self.assertEqual(self.hypothesis.status, Status.TESTING)

    def test_an_edit_from_an_older_copy_keeps_the_status(self) -> None:
        stale = Hypothesis.objects.get(pk=self.hypothesis.pk)
        services.move(self.bob_member, self.hypothesis, Status.TESTING)
        services.update_hypothesis(self.bob_member, stale, {"evidence_strength": 4})
        self.hypothesis.refresh_from_db()
        self.assertEqual(
            (self.hypothesis.status, self.hypothesis.evidence_strength), ("testing", 4)
        )
        self.assertEqual(stale.status, Status.TESTING)

    def test_decisions_are_queryable_by_period(self) -> None:
        other = make_hypothesis(self.bob_member, "Firms pay for a client switcher.")
        services.move(self.bob_member, self.hypothesis, Status.TESTING, now=NOW)
        services.move(self.bob_member, self.hypothesis, Status.VALIDATED, now=NOW)
        services.move(self.bob_member, other, Status.TESTING, now=NOW - timedelta(days=30))
        services.move(self.bob_member, other, Status.INVALIDATED, now=NOW - timedelta(days=30))
        week = queries.status_changes(self.workspace, NOW - timedelta(days=7), NOW + timedelta(1))
        self.assertEqual(
            [(c.hypothesis, c.to_status) for c in week], [(self.hypothesis, "validated")]
        )
        quarter = queries.status_changes(
            self.workspace, NOW - timedelta(days=90), NOW + timedelta(1)
        )
        self.assertEqual([c.to_status for c in quarter], ["invalidated", "validated"])
        self.assertFalse(
            queries.status_changes(self.other_workspace, NOW - timedelta(90), NOW + timedelta(1))
        )


class RecordResultTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.bob_member = self.member(self.bob)
        self.hypothesis = make_hypothesis(self.bob_member)
        self.experiment = make_experiment(self.bob_member, self.hypothesis)

    def test_starting_an_experiment_moves_the_assumption_to_testing(self) -> None:
        services.start_experiment(self.bob_member, self.experiment, now=NOW)
        self.hypothesis.refresh_from_db()
        self.experiment.refresh_from_db()
        self.assertEqual(self.experiment.status, ExperimentStatus.RUNNING)
        self.assertEqual(self.hypothesis.status, Status.TESTING)
        with self.assertRaises(HypothesisError):
            services.start_experiment(self.bob_member, self.experiment)

    def test_a_validated_result_validates_the_assumption(self) -> None:
        quote = make_evidence(self.workspace, "I signed 40 invoices from a hotel lobby.")
        services.start_experiment(self.bob_member, self.experiment, now=NOW)
        card = services.record_result(
            self.bob_member,
            self.experiment,
            observation="Four of five approve weekly while travelling.",
            learning="Approving away from the desk is routine.",
            decision="Build mobile approvals next.",
            outcome="validated",
            evidence_ids=[quote.pk],
            now=NOW + timedelta(days=5),
        )
        self.hypothesis.refresh_from_db()
        self.experiment.refresh_from_db()
        self.assertEqual(self.hypothesis.status, Status.VALIDATED)
        self.assertEqual(self.experiment.status, ExperimentStatus.DONE)
        self.assertEqual(list(card.evidence.all()), [quote])
        last = self.hypothesis.changes.last()
        assert last is not None
        self.assertEqual((last.to_status, last.experiment), ("validated", self.experiment))

    def test_an_invalidated_result_on_a_planned_experiment_passes_through_testing(self) -> None:
        services.record_result(
            self.bob_member, self.experiment, observation="Nobody did.", outcome="invalidated"
        )
        self.hypothesis.refresh_from_db()
        self.assertEqual(self.hypothesis.status, Status.INVALIDATED)
        self.assertEqual(
            list(self.hypothesis.changes.values_list("to_status", flat=True)),
            ["testing", "invalidated"],
        )

    def test_an_inconclusive_result_leaves_the_assumption_in_testing(self) -> None:
        services.record_result(
            self.bob_member, self.experiment, observation="Two of five.", outcome="inconclusive"
        )
        self.hypothesis.refresh_from_db()
        self.assertEqual(self.hypothesis.status, Status.TESTING)

    def test_it_cannot_conclude_without_an_observation(self) -> None:
        with self.assertRaises(HypothesisError) as caught:
            services.record_result(
                self.bob_member, self.experiment, observation="  ", outcome="validated"
            )
        self.assertEqual(caught.exception.field, "observation")
        self.assert_nothing_recorded()

    def test_it_cannot_conclude_without_a_criterion(self) -> None:
        self.experiment.criterion = ""
        self.experiment.save()
        with self.assertRaises(HypothesisError) as caught:
            services.record_result(
                self.bob_member, self.experiment, observation="Four of five.", outcome="validated"
            )
        self.assertEqual(caught.exception.field, "criterion")
        self.assert_nothing_recorded()

    def test_it_refuses_an_unknown_outcome_and_a_second_result(self) -> None:
        with self.assertRaises(HypothesisError) as caught:
            services.record_result(
                self.bob_member, self.experiment, observation="Yes.", outcome="probably"
            )
        self.assertEqual(caught.exception.field, "outcome")
        services.record_result(
            self.bob_member, self.experiment, observation="Yes.", outcome="validated"
        )
        with self.assertRaises(HypothesisError) as caught:
            services.record_result(
                self.bob_member, self.experiment, observation="No.", outcome="invalidated"
            )
        self.assertIn("already recorded", str(caught.exception))
        self.hypothesis.refresh_from_db()
        self.assertEqual(self.hypothesis.status, Status.VALIDATED)

    def test_the_result_and_the_status_change_are_one_transaction(self) -> None:
        with (
            mock.patch.object(
                StatusChange.objects, "create", side_effect=RuntimeError("disk full")
            ),
            self.assertRaises(RuntimeError),
        ):
            services.record_result(
                self.bob_member, self.experiment, observation="Yes.", outcome="validated"
            )
        self.assert_nothing_recorded()

    def test_a_concluded_test_card_cannot_change(self) -> None:
        services.record_result(
            self.bob_member, self.experiment, observation="Yes.", outcome="validated"
        )
        with self.assertRaises(HypothesisError):
            services.update_experiment(self.bob_member, self.experiment, {"criterion": "Any."})

    def assert_nothing_recorded(self) -> None:
        self.hypothesis.refresh_from_db()
        self.experiment.refresh_from_db()
        self.assertFalse(LearningCard.objects.exists())
        self.assertEqual(self.experiment.status, ExperimentStatus.PLANNED)
        self.assertEqual(self.hypothesis.status, Status.UNTESTED)
        self.assertFalse(StatusChange.objects.exists())


class AssumptionMapTestCase(BaseTestCase):
    def test_it_sorts_assumptions_into_quadrants(self) -> None:
        member = self.member(self.bob)
        risky = make_hypothesis(member, "Risky", importance=5, evidence_strength=1)
        middle = make_hypothesis(member, "Middle", importance=3, evidence_strength=3)
        known = make_hypothesis(member, "Known", importance=5, evidence_strength=5)
        minor = make_hypothesis(member, "Minor", importance=1, evidence_strength=1)
        killed = make_hypothesis(member, "Killed", importance=5, evidence_strength=1)
        services.move(member, killed, Status.TESTING)
        services.move(member, killed, Status.INVALIDATED)
        quadrants = {
            q.key: q.hypotheses
            for q in queries.assumption_map(list(queries.list_hypotheses(self.workspace)))
        }
        self.assertEqual(quadrants["test-first"], [risky, middle])
        self.assertEqual(quadrants["important-known"], [known])
        self.assertEqual(quadrants["minor-unknown"], [minor])
        self.assertEqual(quadrants["minor-known"], [])
