from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

from django.test import SimpleTestCase, override_settings

from problemspace.problems import edits, profile
from problemspace.problems.models import Problem, ProblemEvidence
from problemspace.problems.services import synthesize_workspace
from problemspace.problems.tests.helpers import embedder, load_bias_scenario
from problemspace.synthesis.items import Item
from problemspace.synthesis.tests.scenario import TODAY
from problemspace.testing import BaseTestCase

WEDNESDAY = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)


def item(pk, account=None, *, first_hand=True, when=WEDNESDAY, segment=None, revenue=None):
    return Item(
        id=pk,
        text=f"text {pk}",
        occurred_at=when,
        first_hand=first_hand,
        account=account,
        segment=segment,
        revenue=revenue,
    )


class BuildTestCase(SimpleTestCase):
    def test_it_counts_accounts_segments_and_weeks(self):
        built = profile.build(
            [
                item(1, "7", segment="Enterprise", revenue=100_000),
                item(2, "7", first_hand=False, segment="Enterprise", revenue=120_000),
                item(3, "9", segment="SMB", revenue=5_000, when=WEDNESDAY - timedelta(days=7)),
                item(4, "11", segment=None),
                item(5, None, first_hand=False),
            ]
        )
        self.assertEqual(built["accounts"], [[7, 2, 1], [9, 1, 1], [11, 1, 1]])
        self.assertEqual(built["account_count"], 3)
        self.assertEqual(
            sorted(built["segments"]),
            [["", 1, 0.0, 1], ["Enterprise", 1, 120_000.0, 2], ["SMB", 1, 5_000.0, 1]],
        )
        # Weeks start on Monday: that of 10 March holds two first-hand and two relayed items.
        self.assertEqual(built["weeks"], {"2025-03-03": [1, 0], "2025-03-10": [2, 2]})

    def test_only_the_top_accounts_are_kept_by_name_but_all_are_counted(self):
        items = [item(i, str(i)) for i in range(1, profile.TOP_ACCOUNTS + 11)]
        built = profile.build(items)
        self.assertEqual(len(built["accounts"]), profile.TOP_ACCOUNTS)
        self.assertEqual(built["account_count"], profile.TOP_ACCOUNTS + 10)

    @override_settings(TIME_ZONE="America/Los_Angeles")
    def test_weeks_are_the_workspaces_local_weeks(self):
        # Monday 02:00 UTC is still Sunday evening in California: the week before.
        built = profile.build([item(1, when=datetime(2025, 3, 10, 2, 0, tzinfo=UTC))])
        self.assertEqual(built["weeks"], {"2025-03-03": [1, 0]})

    def test_no_evidence_gives_an_empty_but_known_profile(self):
        built = profile.build([])
        self.assertEqual((built["version"], built["account_count"], built["weeks"]), (1, 0, {}))


class SynthesisKeepsProfilesTestCase(BaseTestCase):
    def synthesize(self):
        with mock.patch("problemspace.synthesis.pipeline.datetime") as clock:
            clock.now.return_value = TODAY
            return synthesize_workspace(self.workspace, embedder=embedder())

    def test_synthesis_and_edits_keep_each_profile_true_to_its_evidence(self):
        loud_ids, broad_ids = load_bias_scenario(self.workspace)
        self.synthesize()
        broad = ProblemEvidence.objects.get(evidence_id=min(broad_ids)).problem
        self.assertEqual(broad.profile["account_count"], broad.score_components["accounts"])
        self.assertEqual(sum(map(sum, broad.profile["weeks"].values())), broad.links.count())
        loud = ProblemEvidence.objects.get(evidence_id=min(loud_ids)).problem
        before = sum(map(sum, loud.profile["weeks"].values()))
        edits.move([max(broad_ids)], loud, embedder=embedder())
        loud = Problem.objects.get(pk=loud.pk)
        self.assertEqual(sum(map(sum, loud.profile["weeks"].values())), before + 1)
