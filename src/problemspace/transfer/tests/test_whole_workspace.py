"""Everything a workspace holds survives export and restore: problems and the PM's curation,
interviews, assumptions, recruiting and booking, the roadmap, the portal, webhooks and briefs,
not only customers and evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import TestCase

from problemspace.booking.models import Availability, Booking
from problemspace.cli.main import main
from problemspace.integrations.models import Endpoint
from problemspace.interviews.models import ExposurePreference, Highlight, Interview
from problemspace.jobs.models import Job
from problemspace.portal.models import Notice, Post
from problemspace.problems.models import PlacedBy, Problem, ProblemEvidence
from problemspace.problems.services import synthesize_workspace
from problemspace.recruiting.models import Campaign, Candidate
from problemspace.roadmap.models import Initiative
from problemspace.synthesis.embedding import HashingEmbedder
from problemspace.transfer import RestoreError, schema
from problemspace.transfer.tests.builders import (
    as_of_version,
    build_everything,
    comparable,
    export_document,
    export_text,
    restore_document,
    restore_text,
)
from problemspace.workspaces.models import Member, Workspace


class WholeWorkspaceTestCase(TestCase):
    workspace: Workspace

    @classmethod
    def setUpTestData(cls) -> None:
        cls.workspace = build_everything()

    def setUp(self) -> None:
        self.empty = Workspace.objects.create(name="Moved", slug="moved")

    @pytest.fixture(autouse=True)
    def _capture(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        self.capsys, self.tmp = capsys, tmp_path

    def test_the_import_command_says_what_got_new_links_and_what_is_recomputed(self) -> None:
        path = self.tmp / "demo.json"
        path.write_text(export_text(self.workspace), encoding="utf-8")
        self.assertEqual(main(["import", str(path), "-w", "moved"]), 0)
        out = self.capsys.readouterr().out
        self.assertIn("Restored demo.json into moved: ", out)
        self.assertIn(" problem evidence, ", out)
        self.assertIn("availabilities[0] (schedule) got a new token", out)
        self.assertIn("scores, quotes and profiles are recomputed by a refresh queued now", out)

    def test_every_section_has_items(self) -> None:
        document = export_document(self.workspace)
        for section in schema.SECTIONS:
            with self.subTest(section=section):
                self.assertTrue(document[section], f"the workspace has no {section}")
        links = {item["placed_by"] for item in document["problem_evidence"]}
        self.assertEqual(links, {PlacedBy.PM, PlacedBy.SYNTHESIS})
        answers = [a for c in document["candidates"] for a in c["answers"]]
        self.assertIn(None, [a["question"] for a in answers])

    def test_a_move_restores_the_identical_document(self) -> None:
        # A move to another installation: the original is not there, so every link token and
        # calendar UID is free and kept.
        first = export_text(self.workspace)
        self.workspace.delete()
        summary = restore_text(self.empty, first)
        second = export_text(self.empty)
        self.assertEqual(comparable(json.loads(first)), comparable(json.loads(second)))
        self.assertEqual((summary.users_created, summary.renewed), ([], []))
        self.assertEqual(summary.counts, {k: len(v) for k, v in _sections(first).items()})

    def test_the_pm_curation_is_kept(self) -> None:
        before = _curation(self.workspace)
        restore_text(self.empty, export_text(self.workspace))
        self.assertEqual(_curation(self.empty), before)

    def test_a_refresh_recomputes_what_synthesis_derives(self) -> None:
        restore_text(self.empty, export_text(self.workspace))
        job = Job.objects.get(workspace=self.empty)
        self.assertEqual((job.kind, job.state), ("refresh", "queued"))
        self.assertFalse(Problem.objects.filter(workspace=self.empty, score__gt=0).exists())
        synthesize_workspace(self.empty, refresh_only=True, embedder=HashingEmbedder())
        synthesize_workspace(self.workspace, refresh_only=True, embedder=HashingEmbedder())
        self.assertEqual(_scores(self.empty), _scores(self.workspace))

    def test_a_copy_beside_its_original_gets_its_own_links_and_invites(self) -> None:
        document = export_document(self.workspace)
        tokens = set(Availability.objects.values_list("token", flat=True))
        summary = restore_document(self.empty, document)
        copies = Availability.objects.filter(workspace=self.empty)
        self.assertFalse(tokens & set(copies.values_list("token", flat=True)))
        self.assertEqual(
            set(Availability.objects.filter(workspace=self.workspace).values_list("token")),
            {(token,) for token in tokens},
        )
        self.assertFalse(
            set(Booking.objects.filter(workspace=self.empty).values_list("uid", flat=True))
            & set(Booking.objects.filter(workspace=self.workspace).values_list("uid", flat=True))
        )
        renewed = len(document["availabilities"]) + len(document["campaigns"])
        self.assertEqual(len(summary.renewed), renewed + len(document["bookings"]))
        self.assertIn("availabilities[0] (schedule) got a new token", summary.renewed[0])

    def test_the_restored_answers_name_the_restored_questions(self) -> None:
        restore_text(self.empty, export_text(self.workspace))
        for candidate in Candidate.objects.filter(workspace=self.empty).exclude(answers={}):
            questions = {
                f"q{pk}" for pk in candidate.campaign.questions.values_list("pk", flat=True)
            }
            keys = {key for key in candidate.answers if not key.startswith("deleted-")}
            self.assertLessEqual(keys, questions)
        self.assertTrue(
            Candidate.objects.filter(workspace=self.empty, answers__has_key="deleted-1").exists()
        )

    def test_default_guides_of_a_new_workspace_give_way_to_the_files(self) -> None:
        from problemspace.interviews.models import Guide
        from problemspace.interviews.services import ensure_default_guides

        ensure_default_guides(self.empty)
        document = export_document(self.workspace)
        restore_document(self.empty, document)
        names = Guide.objects.filter(workspace=self.empty).values_list("name", flat=True)
        self.assertEqual(sorted(names), sorted(g["name"] for g in document["guides"]))

    def test_a_members_own_exposure_preference_is_replaced_by_the_files(self) -> None:
        document = export_document(self.workspace)
        email = document["members"][document["exposure_preferences"][0]["member"] - 1]["email"]
        member = Member.objects.create(
            workspace=self.empty, user=User.objects.get(email=email), role="owner"
        )
        ExposurePreference.objects.create(member=member, nudge=False)
        restore_document(self.empty, document)
        self.assertTrue(ExposurePreference.objects.get(member=member).nudge)

    def test_the_roadmap_portal_webhooks_and_briefs_are_kept(self) -> None:
        document = export_document(self.workspace)
        merged = [p for p in document["portal_posts"] if p["merged_into"] is not None]
        # A post merged into a newer one refers forward, within its own section.
        self.assertTrue(any(p["merged_into"] > p["id"] for p in merged))
        keys = {notice["key"] for notice in document["portal_notices"]}
        self.assertIn("solved:gone-987654", keys)
        # The builder overrode the score of the initiative the notice names.
        (overridden,) = (
            i for i in document["initiatives"] if i["override_reason"].startswith("The board")
        )
        self.assertEqual(overridden["score_override"], 42.5)
        self.assertIn(f"shipped:initiative:{overridden['id']}", keys)
        for endpoint in document["webhook_endpoints"]:
            self.assertNotIn("secret", endpoint)
        self.assertNotIn("whsec_", json.dumps(document))

        restore_text(self.empty, export_text(self.workspace))
        # The initiatives are counted again at once; which items repeat a conversation (counted
        # once) is for the refresh the restore queues, as for any derived figure: after it, the
        # copy counts as the original does.
        synthesize_workspace(self.empty, refresh_only=True, embedder=HashingEmbedder())
        synthesize_workspace(self.workspace, refresh_only=True, embedder=HashingEmbedder())
        self.assertEqual(_derived(self.empty), _derived(self.workspace))
        post = Post.objects.get(workspace=self.empty, merged_into__isnull=False)
        assert post.merged_into is not None
        self.assertEqual(post.merged_into.workspace, self.empty)
        for notice in Notice.objects.filter(post__workspace=self.empty, key__startswith="solved:"):
            pk = notice.key.removeprefix("solved:")
            if pk.isdigit():
                self.assertTrue(Problem.objects.filter(workspace=self.empty, pk=pk).exists())
        old = set(Endpoint.objects.filter(workspace=self.workspace).values_list("secret"))
        new = set(Endpoint.objects.filter(workspace=self.empty).values_list("secret"))
        self.assertEqual(len(new), Endpoint.objects.filter(workspace=self.empty).count())
        self.assertFalse(old & new)
        self.assertEqual(
            list(Endpoint.objects.filter(workspace=self.empty).values_list("failures_in_a_row")),
            [(0,), (0,)],
        )

    def test_the_import_command_says_which_webhooks_need_their_new_secret(self) -> None:
        path = self.tmp / "demo.json"
        path.write_text(export_text(self.workspace), encoding="utf-8")
        self.assertEqual(main(["import", str(path), "-w", "moved"]), 0)
        out = self.capsys.readouterr().out
        self.assertIn("webhook_endpoints[0] (webhook endpoint) got a new secret", out)

    def test_a_version_2_file_restores_without_the_newer_sections(self) -> None:
        document = as_of_version(export_document(self.workspace), 2)
        self.workspace.delete()
        summary = restore_document(self.empty, document)
        self.assertEqual(summary.counts["goals"], 0)
        again = as_of_version(export_document(self.empty), 2)
        for section in schema.ALL_SECTIONS:
            expected = document.get(section.name, [])
            self.assertEqual(again.get(section.name, []), expected, section.name)


class WholeWorkspaceRefusalsTestCase(TestCase):
    workspace: Workspace

    @classmethod
    def setUpTestData(cls) -> None:
        cls.workspace = build_everything()

    def setUp(self) -> None:
        self.empty = Workspace.objects.create(name="Moved", slug="moved")
        self.document = export_document(self.workspace)

    def assertRefused(self, document: dict[str, Any], message: str) -> None:
        with self.assertRaisesMessage(RestoreError, message) as caught:
            restore_document(self.empty, document)
        self.assertIn("Nothing was restored.", str(caught.exception))
        for section in schema.ALL_SECTIONS:
            rows = section.model._default_manager.filter(**{section.scope: self.empty})
            self.assertFalse(rows.exists(), section.name)
        self.assertFalse(Job.objects.filter(workspace=self.empty).exists())

    def test_it_names_a_bad_reference_to_evidence(self) -> None:
        self.document["highlights"][0]["evidence"] = 99999
        self.assertRefused(
            self.document,
            "highlights[0].evidence refers to evidence item 99999, which the file does not define",
        )

    def test_it_names_a_bad_reference_in_a_list(self) -> None:
        self.document["hypotheses"][1]["problems"] = [1, 4242]
        self.assertRefused(
            self.document,
            "hypotheses[1].problems[1] refers to problem 4242, which the file does not define",
        )

    def test_it_refuses_a_reference_to_a_later_item(self) -> None:
        self.document["campaigns"][0]["availability"] = len(self.document["availabilities"]) + 1
        self.assertRefused(self.document, "campaigns[0].availability refers to schedule")

    def test_it_refuses_a_missing_required_reference(self) -> None:
        self.document["problem_evidence"][3]["problem"] = None
        self.assertRefused(
            self.document, "problem_evidence[3].problem is null; it must be the id of a problem."
        )

    def test_it_refuses_a_reference_to_an_unknown_question(self) -> None:
        candidate = next(c for c in self.document["candidates"] if c["answers"])
        where = self.document["candidates"].index(candidate)
        candidate["answers"][0]["question"] = 777
        self.assertRefused(
            self.document,
            f"candidates[{where}].answers[0].question refers to screener question 777",
        )

    def test_it_refuses_evidence_in_two_problems(self) -> None:
        from problemspace.transfer import restore

        links = self.document["problem_evidence"]
        links[-1]["evidence"] = links[0]["evidence"]
        original, restore.BATCH_SIZE = restore.BATCH_SIZE, 5
        try:
            self.assertRefused(
                self.document,
                f"problem_evidence[{len(links) - 1}] has the same evidence as an item before it;"
                " an evidence item backs one problem at most.",
            )
        finally:
            restore.BATCH_SIZE = original

    def test_it_refuses_the_same_token_twice(self) -> None:
        self.workspace.delete()
        tokens = self.document["availabilities"]
        tokens[1]["token"] = tokens[0]["token"]
        self.assertRefused(
            self.document, "availabilities[1] has the same token as availabilities[0]"
        )

    def test_it_refuses_a_merge_into_a_post_the_file_lacks(self) -> None:
        self.document["portal_posts"][0]["merged_into"] = 9999
        self.assertRefused(
            self.document,
            "portal_posts[0].merged_into refers to portal post 9999, which the file does not"
            " define.",
        )

    def test_it_refuses_a_notice_about_a_problem_the_file_lacks(self) -> None:
        self.document["portal_notices"][0]["key"] = "solved:4242"
        self.assertRefused(
            self.document,
            "portal_notices[0].key refers to problem 4242, which the file does not define.",
        )

    def test_it_refuses_the_same_vote_twice(self) -> None:
        votes = self.document["portal_votes"]
        votes[1]["post"], votes[1]["contact"] = votes[0]["post"], votes[0]["contact"]
        self.assertRefused(
            self.document,
            "portal_votes[1] has the same post and contact as portal_votes[0]; a contact votes"
            " for a post once.",
        )

    def test_it_checks_rules_across_fields(self) -> None:
        cases = [
            ("highlights", "end", 0, "highlights[0].end is not after start"),
            ("windows", "on_date", "2026-01-05", "windows[0] must have either a weekday"),
            ("interviews", "duration_minutes", 0, "it must be from 1 to 480"),
            (
                "hypotheses",
                "importance",
                6,
                "hypotheses[0].importance is 6; it must be from 1 to 5",
            ),
            ("bookings", "uid", "not-a-uuid", "bookings[0].uid is 'not-a-uuid'; it must be a UUID"),
            ("windows", "starts", "25:00", "windows[0].starts is '25:00'; it must be a time"),
            ("availabilities", "time_zone", "Mars/Olympus", "it must be a time zone name"),
            ("initiatives", "effort", 0, "initiatives[0].effort is 0.0; it must be above 0"),
            ("initiatives", "impact", 7, "initiatives[0].impact is 7.0; it must be one of"),
            ("initiatives", "score_override", 3, "initiatives[0].override_reason is empty"),
            ("key_results", "target", "lots", "key_results[0].target is 'lots'; it must be a"),
            ("briefs", "period_end", "2000-01-01T00:00:00+00:00", "briefs[0].period_end is not"),
            ("briefs", "content", [], "briefs[0].content is a list; it must be an object"),
            ("brief_schedules", "weekday", 7, "brief_schedules[0].weekday is 7; it must be"),
            ("roadmap_moves", "to_horizon", "", "roadmap_moves[0].to_horizon is ''; it must be"),
        ]
        for section, key, value, message in cases:
            with self.subTest(section=section, key=key):
                document = export_document(self.workspace)
                document[section][0][key] = value
                if key == "score_override":
                    document[section][0]["override_reason"] = ""
                self.assertRefused(document, message)


class OldVersionTestCase(TestCase):
    """Files written before a section existed keep restoring, with that section empty."""

    VERSION_1 = {
        "format": "problemspace-workspace",
        "version": 1,
        "exported_at": "2025-06-01T08:00:00+00:00",
        "workspace": {"name": "Old", "slug": "old", "created_at": "2024-01-15T10:02:11+00:00"},
        "members": [
            {
                "id": 1,
                "email": "old-pm@example.org",
                "username": "old-pm@example.org",
                "first_name": "Olga",
                "last_name": "",
                "date_joined": "2024-01-15T10:00:00+00:00",
                "role": "editor",
                "created_at": "2024-01-15T10:02:11+00:00",
            }
        ],
        "accounts": [
            {
                "id": 1,
                "name": "Globex",
                "segment": "SMB",
                "plan": "",
                "revenue": "1200.00",
                "region": "",
                "lifecycle": "customer",
                "created_at": "2024-02-01T00:00:00+00:00",
            }
        ],
        "contacts": [],
        "tags": [{"id": 1, "name": "pricing"}],
        "evidence": [
            {
                "id": 1,
                "text": "Pricing is confusing.",
                "occurred_at": "2024-03-01T09:00:00+00:00",
                "channel": "support",
                "account": 1,
                "contact": None,
                "captured_by": 1,
                "provenance": "first_hand",
                "relayed_by": "",
                "source": "manual",
                "external_id": None,
                "source_url": "",
                "tags": [1],
                "created_at": "2024-03-01T09:05:00+00:00",
            }
        ],
    }

    def test_a_version_1_file_still_restores(self) -> None:
        workspace = Workspace.objects.create(name="New", slug="new")
        summary = restore_document(workspace, self.VERSION_1)
        self.assertEqual(summary.counts["evidence"], 1)
        self.assertEqual(summary.counts["problems"], 0)
        self.assertFalse(summary.refresh_queued)
        document = export_document(workspace)
        self.assertEqual(document["version"], schema.VERSION)
        for section in ("members", "accounts", "tags", "evidence"):
            self.assertEqual(as_of_version(document, 1)[section], self.VERSION_1[section])
        # What version 5 added to evidence: not decided yet, and no score.
        added = ("kind", "kind_corrected", "kind_confidence", "score", "score_scale")
        self.assertEqual(
            {key: document["evidence"][0][key] for key in added},
            {
                "kind": "",
                "kind_corrected": False,
                "kind_confidence": None,
                "score": None,
                "score_scale": "",
            },
        )

    def test_a_version_1_file_cannot_hold_later_sections(self) -> None:
        workspace = Workspace.objects.create(name="New", slug="new")
        document = {**self.VERSION_1, "problems": []}
        with self.assertRaisesMessage(
            RestoreError,
            'The file has "problems" at its top level after "evidence"; format version 1 ends'
            " there.",
        ):
            restore_document(workspace, document)
        self.assertFalse(Interview.objects.exists() or Highlight.objects.exists())
        self.assertFalse(Campaign.objects.filter(workspace=workspace).exists())


def _sections(text: str) -> dict[str, list[Any]]:
    document = json.loads(text)
    return {section: document[section] for section in schema.SECTIONS}


def _curation(workspace: Workspace) -> list[tuple[Any, ...]]:
    """What the PM decided about each problem, with its evidence by text, in creation order."""
    problems = Problem.objects.filter(workspace=workspace).order_by("created_at", "pk")
    return [
        (
            p.title,
            p.statement,
            p.status,
            p.title_edited,
            p.pinned,
            p.dismissed,
            p.candidate,
            sorted(
                ProblemEvidence.objects.filter(problem=p).values_list(
                    "evidence__text", "evidence__occurred_at", "placed_by"
                )
            ),
        )
        for p in problems
    ]


def _derived(workspace: Workspace) -> list[Any]:
    """What the restore counts again: the posts' votes and the initiatives' scores."""
    votes = Post.objects.filter(workspace=workspace).order_by("created_at", "pk")
    initiatives = Initiative.objects.filter(workspace=workspace).order_by("created_at", "pk")
    return [
        [(p.title, p.vote_count) for p in votes],
        [(i.title, round(i.score, 9), i.explanation, i.figures) for i in initiatives],
    ]


def _scores(workspace: Workspace) -> list[tuple[str, float]]:
    problems = Problem.objects.filter(workspace=workspace).order_by("created_at", "pk")
    return [(p.title, round(p.score, 9)) for p in problems]
