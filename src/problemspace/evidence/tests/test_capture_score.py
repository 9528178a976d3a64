"""A score given with an item typed in the capture form or pushed over the API: checked by the
importer's rules, and a bad one refused on its field with nothing stored."""

from __future__ import annotations

import json

from problemspace.evidence.capture import CaptureError, capture
from problemspace.evidence.models import Evidence
from problemspace.evidence.tests.test_capture import FrozenTestCase, item
from problemspace.testing import BaseTestCase


class CaptureFormScoreTestCase(FrozenTestCase):
    url = "/w/acme/capture/"

    def post(self, **fields: object):
        self.client.force_login(self.carol)
        return self.client.post(self.url, item(**fields))

    def test_it_offers_a_score_and_its_scale(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(self.url)
        self.assertContains(response, 'name="score"')
        self.assertContains(response, '<option value="csat">CSAT (1-5)</option>', html=True)

    def test_it_saves_a_score_as_typed(self) -> None:
        for n, (score, scale, expected) in enumerate(
            [
                ("4/5", "stars", (4.0, "stars")),
                ("★★☆☆☆", "", (2.0, "stars")),
                ("9", "nps", (9.0, "nps")),
                ("4,5", "csat", (4.5, "csat")),
                ("", "", (None, "")),
            ]
        ):
            with self.subTest(score=score, scale=scale):
                self.post(text=f"Item {n}", score=score, score_scale=scale)
                saved = Evidence.objects.get(text=f"Item {n}")
                self.assertEqual((saved.score, saved.score_scale), expected)

    def test_a_bad_score_is_said_next_to_its_field(self) -> None:
        cases = [
            ("7", "stars", "score", "'7' is not on the stars scale (1 to 5)."),
            ("great", "nps", "score", "'great' is not a score: write a number from 0 to 10"),
            ("4", "", "score_scale", "Choose the scale of the score: stars (1 to 5), NPS"),
        ]
        for score, scale, field, message in cases:
            with self.subTest(score=score):
                response = self.post(score=score, score_scale=scale)
                self.assertEqual(response.status_code, 200)
                errors = response.context["form"].errors
                self.assertEqual(list(errors), [field])
                self.assertTrue(errors[field][0].startswith(message), errors[field])
                self.assertContains(response, 'aria-invalid="true"')
        self.assertFalse(Evidence.objects.exists())

    def test_capture_checks_the_score_as_the_importer_does(self) -> None:
        # The same rules behind the form and the API: capture() refuses what either misses.
        with self.assertRaises(CaptureError) as caught:
            capture(self.member(self.carol), [{"text": "x", "score": "6", "score_scale": "csat"}])
        (error,) = caught.exception.errors
        self.assertEqual((error.line, error.field), (1, "score"))
        self.assertEqual(error.reason, "'6' is not on the CSAT scale (1 to 5)")


class PushScoreTestCase(BaseTestCase):
    def post(self, items: list[dict[str, object]]):
        return self.client.post(
            "/api/w/acme/evidence",
            data=json.dumps(items),
            content_type="application/json",
            headers=self.api_key(self.carol),
        )

    def test_it_stores_and_returns_the_score(self) -> None:
        response = self.post(
            [
                {"text": "Love it.", "score": 5, "score_scale": "stars"},
                {"text": "Would recommend.", "score": 9.5, "score_scale": "nps"},
                {"text": "No score."},
            ]
        )
        self.assertEqual(response.status_code, 201, response.content)
        items = response.json()["items"]
        self.assertEqual(
            [(i["score"], i["score_scale"]) for i in items],
            [(5.0, "stars"), (9.5, "nps"), (None, None)],
        )
        self.assertEqual(Evidence.objects.get(text="Love it.").score_scale, "stars")

    def test_a_bad_score_refuses_every_item_naming_the_field(self) -> None:
        response = self.post(
            [
                {"text": "Fine.", "score": 4, "score_scale": "stars"},
                {"text": "Off the scale.", "score": 7, "score_scale": "stars"},
                {"text": "Negative.", "score": -1, "score_scale": "nps"},
                {"text": "No scale.", "score": 3},
            ]
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["errors"],
            [
                {"item": 2, "field": "score", "reason": "'7' is not on the stars scale (1 to 5)"},
                {"item": 3, "field": "score", "reason": "'-1' is not on the NPS scale (0 to 10)"},
                {
                    "item": 4,
                    "field": "score_scale",
                    "reason": "is empty, but the score '3' needs one: say if it is stars (1 to 5),"
                    " nps (0 to 10) or csat (1 to 5)",
                },
            ],
        )
        self.assertFalse(Evidence.objects.exists())

    def test_an_unknown_scale_is_refused_by_the_schema(self) -> None:
        response = self.post([{"text": "x", "score": 4, "score_scale": "percent"}])
        self.assertEqual(response.status_code, 422)
        self.assertIn("score_scale", json.dumps(response.json()))
        self.assertFalse(Evidence.objects.exists())
