"""Importing a rating or score column: its scale from the column's name, a score_scale column
or --score-scale; bad scores and scores of no known scale refuse the whole file."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from problemspace.evidence.importing import ImportFileError
from problemspace.evidence.models import Evidence
from problemspace.evidence.tests.importing_helpers import (
    confirm_preview,
    run_import,
    snapshot,
    write,
)
from problemspace.jobs.models import Job
from problemspace.jobs.tasks import run_job
from problemspace.testing import BaseTestCase


class ImportScoresTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())

    def scores(self) -> list[tuple[str, float | None, str]]:
        return [
            (e.text, e.score, e.score_scale)
            for e in Evidence.objects.filter(workspace=self.workspace).order_by("text")
        ]

    def test_the_column_name_says_the_scale(self) -> None:
        cases = {
            "Rating": "stars",
            "Stars": "stars",
            "star_rating": "stars",
            "Star Rating": "stars",
            "Review Rating": "stars",
            "NPS": "nps",
            "nps_score": "nps",
            "Likelihood to recommend": "nps",
            "CSAT": "csat",
            "csat_score": "csat",
            "Satisfaction": "csat",
        }
        for n, (column, scale) in enumerate(cases.items()):
            with self.subTest(column=column):
                content = f"text,date,{column}\nItem {n},2025-01-02,3\nBlank {n},2025-01-02,\n"
                report = run_import(self.workspace, write(self.tmp, f"{n}.csv", content))
                assert report.ok, report.errors
                assert report.columns["score"] == column
                assert report.score_scale == scale
                assert Evidence.objects.get(text=f"Item {n}").score == 3
                assert Evidence.objects.get(text=f"Item {n}").score_scale == scale
                blank = Evidence.objects.get(text=f"Blank {n}")
                assert (blank.score, blank.score_scale) == (None, "")

    def test_it_reads_stars_fractions_and_decimal_commas(self) -> None:
        content = (
            "text;date;Rating\n"
            "Glyphs;2025-01-02;★★★★☆\n"
            "Fraction;2025-01-02;4/5\n"
            "Comma;2025-01-02;4,5\n"
            "Decimal;2025-01-02;3.5\n"
        )
        report = run_import(self.workspace, write(self.tmp, "reviews.csv", content))
        assert report.ok, report.errors
        assert self.scores() == [
            ("Comma", 4.5, "stars"),
            ("Decimal", 3.5, "stars"),
            ("Fraction", 4.0, "stars"),
            ("Glyphs", 4.0, "stars"),
        ]

    def test_a_score_scale_column_gives_each_row_its_scale(self) -> None:
        content = (
            "text,date,score,score_scale\n"
            "Survey,2025-01-02,9,NPS\n"
            "Support,2025-01-02,2,csat\n"
            "Store,2025-01-02,5,stars\n"
            "Nothing,2025-01-02,,\n"
        )
        report = run_import(self.workspace, write(self.tmp, "mixed.csv", content))
        assert report.ok, report.errors
        assert self.scores() == [
            ("Nothing", None, ""),
            ("Store", 5.0, "stars"),
            ("Support", 2.0, "csat"),
            ("Survey", 9.0, "nps"),
        ]

    def test_the_score_scale_option_overrides_the_column_name(self) -> None:
        # A "rating" out of ten: the column's name says stars, the person knows better.
        content = "text,date,Rating\nWould recommend,2025-01-02,9\n"
        report = run_import(
            self.workspace, write(self.tmp, "survey.csv", content), score_scale="nps"
        )
        assert report.ok, report.errors
        assert self.scores() == [("Would recommend", 9.0, "nps")]

    def test_the_score_scale_option_reads_a_bare_score_column(self) -> None:
        content = "text,date,Score\nFine,2025-01-02,4\n"
        path = write(self.tmp, "bare.csv", content)
        report = run_import(self.workspace, path, score_scale="csat")
        assert report.ok, report.errors
        assert self.scores() == [("Fine", 4.0, "csat")]

    def test_a_row_s_own_scale_wins_over_the_option(self) -> None:
        content = "text,date,score,score_scale\nOwn,2025-01-02,9,nps\nDefault,2025-01-02,4,\n"
        report = run_import(
            self.workspace, write(self.tmp, "own.csv", content), score_scale="stars"
        )
        assert report.ok, report.errors
        assert self.scores() == [("Default", 4.0, "stars"), ("Own", 9.0, "nps")]

    def test_json_lines_scores(self) -> None:
        lines = [
            {"text": "Number", "date": "2025-01-02", "rating": 4},
            {"text": "Glyphs", "date": "2025-01-02", "rating": "★★☆☆☆"},
            {"text": "None", "date": "2025-01-02", "rating": None},
        ]
        content = "".join(json.dumps(line) + "\n" for line in lines)
        report = run_import(self.workspace, write(self.tmp, "reviews.jsonl", content))
        assert report.ok, report.errors
        assert self.scores() == [
            ("Glyphs", 2.0, "stars"),
            ("None", None, ""),
            ("Number", 4.0, "stars"),
        ]

    def test_reimporting_a_file_with_scores_changes_nothing(self) -> None:
        path = write(self.tmp, "r.csv", "text,date,Rating\nGood,2025-01-02,5\n")
        run_import(self.workspace, path)
        report = run_import(self.workspace, path)
        assert (report.created, report.unchanged) == (0, 1)
        assert self.scores() == [("Good", 5.0, "stars")]


class BadScoresTestCase(BaseTestCase):
    """Refused as every bad row is: each one named, with the column and what the scale allows,
    and nothing stored."""

    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        run_import(self.workspace, write(self.tmp, "before.csv", "text,date\nKept,2025-01-01\n"))
        self.before = snapshot(self.workspace)

    def tearDown(self) -> None:
        assert snapshot(self.workspace) == self.before

    def row_errors(self, name: str, content: str, **options: object) -> list[str]:
        report = run_import(self.workspace, write(self.tmp, name, content), **options)
        assert not report.ok and not report.written
        return [report.describe(error) for error in report.errors]

    def test_a_score_off_its_scale(self) -> None:
        content = (
            "text,date,Rating\n"
            "Fine,2025-01-02,4\n"
            "Seven stars,2025-01-02,7\n"
            "Words,2025-01-02,great\n"
        )
        assert self.row_errors("stars.csv", content) == [
            "line 3, score (column 'Rating'): '7' is not on the stars scale (1 to 5)",
            "line 4, score (column 'Rating'): 'great' is not a score: write a number from 1 to 5,"
            " like 4, 4.5, 4/5 or ★★★★☆",
        ]

    def test_a_negative_nps(self) -> None:
        errors = self.row_errors("nps.csv", "text,date,NPS\nMeh,2025-01-02,-1\n")
        assert errors == ["line 2, score (column 'NPS'): '-1' is not on the NPS scale (0 to 10)"]

    def test_an_unknown_scale_in_a_score_scale_column(self) -> None:
        content = "text,date,score,score_scale\nHm,2025-01-02,4,percent\n"
        (error,) = self.row_errors("scale.csv", content)
        assert error.startswith("line 2, score_scale: 'percent' is not a scale: use stars (1 to 5)")

    def test_a_score_without_a_scale_in_a_score_scale_column(self) -> None:
        content = "text,date,score,score_scale\nHm,2025-01-02,4,\n"
        (error,) = self.row_errors("noscale.csv", content)
        assert error.startswith("line 2, score_scale: is empty, but the score '4' needs one")

    def test_a_bare_score_column_refuses_the_file(self) -> None:
        path = write(self.tmp, "bare.csv", "text,date,Score\nFine,2025-01-02,4\n")
        with pytest.raises(ImportFileError) as caught:
            run_import(self.workspace, path)
        message = str(caught.value)
        assert "bare.csv has a column of scores ('Score') but nothing says their scale" in message
        assert "--score-scale stars, nps or csat" in message

    def test_a_mapped_column_of_another_name_needs_its_scale(self) -> None:
        path = write(self.tmp, "q.csv", "text,date,Q5\nFine,2025-01-02,4\n")
        with pytest.raises(ImportFileError, match="--score-scale"):
            run_import(self.workspace, path, mapping={"score": "Q5"})

    def test_a_bare_score_key_refuses_a_json_lines_file(self) -> None:
        path = write(self.tmp, "bare.jsonl", '{"text": "Fine", "date": "2025-01-02", "score": 4}\n')
        with pytest.raises(ImportFileError, match=r"has a key of scores \('score'\)"):
            run_import(self.workspace, path)


class ImportPageScoreScaleTestCase(BaseTestCase):
    """The import page's "Scale of scores" reaches the import job, and the job page names the
    column of a refused score."""

    url = "/w/acme/import/"

    def setUp(self) -> None:
        media = override_settings(MEDIA_ROOT=tempfile.mkdtemp())
        media.enable()
        self.addCleanup(media.disable)
        self.client.force_login(self.carol)

    def upload(self, content: str, **fields: object) -> Job:
        data: dict[str, object] = {
            "channel": "survey",
            "provenance": "first_hand",
            "file": SimpleUploadedFile("survey.csv", content.encode(), content_type="text/csv"),
            **fields,
        }
        with self.captureOnCommitCallbacks(execute=False):
            response = self.client.post(self.url, data)
            confirm_preview(self.client, response["Location"])
        job = Job.objects.get()
        run_job(job.pk)
        job.refresh_from_db()
        return job

    def test_it_offers_the_scales(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "Scale of scores")
        self.assertContains(response, '<option value="nps">NPS (0-10)</option>', html=True)

    def test_the_chosen_scale_reads_a_bare_score_column(self) -> None:
        job = self.upload("text,date,Score\nWould recommend,2025-01-02,9\n", score_scale="nps")
        self.assertEqual(job.params["score_scale"], "nps")
        evidence = Evidence.objects.get(workspace=self.workspace)
        self.assertEqual((evidence.score, evidence.score_scale), (9.0, "nps"))

    def test_a_refused_score_is_listed_with_its_column(self) -> None:
        job = self.upload("text,date,Rating\nToo many,2025-01-02,7\n")
        self.assertFalse(Evidence.objects.filter(workspace=self.workspace).exists())
        self.assertEqual(
            job.result["errors"],
            [
                {
                    "line": 2,
                    "field": "score",
                    "column": "Rating",
                    "reason": "'7' is not on the stars scale (1 to 5)",
                }
            ],
        )
        page = self.client.get(f"/w/acme/jobs/{job.pk}/")
        self.assertContains(page, "(column “Rating”)")
