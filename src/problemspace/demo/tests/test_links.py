"""The demo's initiatives, assumptions and brief lines cite only evidence held by the problem
they link to, after a real synthesis, with the word-hashing fallback and with the model."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from unittest import mock

import pytest
from django.test import TestCase, override_settings

from problemspace.briefs.compose import compose
from problemspace.briefs.period import Period
from problemspace.demo.build import build_demo
from problemspace.hypotheses.models import Hypothesis
from problemspace.problems.models import ProblemEvidence
from problemspace.problems.services import synthesize_workspace
from problemspace.roadmap.models import Initiative
from problemspace.synthesis.embedding import HashingEmbedder, QuantizedEmbedder, quantized_installed
from problemspace.workspaces.models import Workspace

TODAY = date(2026, 11, 23)
DEMO_NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class DemoLinksTestCase(TestCase):
    def synthesized(self, embedder: Any) -> Workspace:
        workspace = build_demo(1729, today=TODAY)
        with (
            mock.patch(
                "problemspace.problems.services.default_embedder", return_value=(embedder, [])
            ),
            mock.patch("django.utils.timezone.now", return_value=DEMO_NOW),
        ):
            synthesize_workspace(workspace)
        return workspace

    def assert_links_follow_the_evidence(self, workspace: Workspace) -> None:
        holder = dict(
            ProblemEvidence.objects.filter(problem__workspace=workspace).values_list(
                "evidence_id", "problem_id"
            )
        )
        owners: list[Any] = [
            *Initiative.objects.filter(workspace=workspace),
            *Hypothesis.objects.filter(workspace=workspace),
        ]
        for owner in owners:
            name = getattr(owner, "title", None) or owner.statement
            linked = set(owner.problems.values_list("pk", flat=True))
            cited = list(owner.evidence.values_list("pk", flat=True))
            self.assertTrue(linked, f"{name!r} is tied to no problem")
            self.assertTrue(cited, f"{name!r} cites nothing")
            lacking = [pk for pk in cited if holder.get(pk) not in linked]
            self.assertEqual(lacking, [], f"{name!r} cites evidence its problems lack")
            self.assertLessEqual(len(cited), 3)
        # The briefs print each initiative's problems with those problems' own quotes.
        period = Period.last_days(30, DEMO_NOW)
        for audience in ("engineering", "sales", "executives"):
            content = compose(workspace, audience, period, now=DEMO_NOW)
            for section in content["sections"]:
                if section["kind"] != "initiatives":
                    continue
                for initiative in section["items"]:
                    for problem in initiative["problems"]:
                        for said in problem["quotes"]:
                            self.assertEqual(holder.get(said["id"]), problem["id"], said)

    def test_on_the_word_hashing_fallback(self) -> None:
        self.assert_links_follow_the_evidence(self.synthesized(HashingEmbedder()))

    @pytest.mark.skipif(not quantized_installed(), reason="the model is not installed (CI has it)")
    def test_with_the_model_each_bet_links_to_its_own_problem(self) -> None:
        workspace = self.synthesized(QuantizedEmbedder())
        self.assert_links_follow_the_evidence(workspace)
        linked = {
            i.title: [p.title for p in i.problems.all()]
            for i in Initiative.objects.filter(workspace=workspace)
        }
        # The bets the issue found tied to the wrong problems (issue 14).
        self.assertIn("SAP", " ".join(linked["Native SAP S/4HANA connector"]))
        self.assertIn("uplicate", " ".join(linked["Flag duplicate invoices before they are paid"]))
