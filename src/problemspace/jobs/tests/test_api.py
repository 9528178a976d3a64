from __future__ import annotations

import json

from problemspace.jobs.models import Job, Kind
from problemspace.testing import BaseTestCase


class JobsApiTestCase(BaseTestCase):
    def test_an_editor_starts_a_synthesis_once(self) -> None:
        headers = self.api_key(self.bob)
        with self.captureOnCommitCallbacks(execute=False):
            first = self.client.post(
                "/api/w/acme/jobs/synthesis",
                data="{}",
                content_type="application/json",
                headers=headers,
            )
            second = self.client.post(
                "/api/w/acme/jobs/synthesis",
                data="{}",
                content_type="application/json",
                headers=headers,
            )
        self.assertEqual(first.status_code, 202)
        self.assertEqual(first.json()["id"], second.json()["id"])
        self.assertEqual(first.json()["state"], "queued")
        self.assertEqual(Job.objects.filter(kind=Kind.SYNTHESIS).count(), 1)

    def test_it_requires_the_editor_role(self) -> None:
        response = self.client.post(
            "/api/w/acme/jobs/synthesis",
            data="{}",
            content_type="application/json",
            headers=self.api_key(self.carol),
        )
        self.assertEqual(response.status_code, 403)

    def test_it_validates_the_granularity(self) -> None:
        response = self.client.post(
            "/api/w/acme/jobs/synthesis",
            data=json.dumps({"granularity": "huge"}),
            content_type="application/json",
            headers=self.api_key(self.bob),
        )
        self.assertEqual(response.status_code, 422)

    def test_it_checks_ownership(self) -> None:
        job = Job.objects.create(workspace=self.other_workspace, kind=Kind.SYNTHESIS)
        response = self.client.get(f"/api/w/acme/jobs/{job.pk}", headers=self.api_key(self.vic))
        self.assertEqual(response.status_code, 404)
        response = self.client.get(f"/api/w/other/jobs/{job.pk}", headers=self.api_key(self.vic))
        self.assertEqual(response.status_code, 404)
