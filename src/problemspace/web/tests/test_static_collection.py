"""`problemspace serve` collects the static files only when their sources changed."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase, override_settings

from problemspace.web import storage


class CollectIfChangedTests(SimpleTestCase):
    def setUp(self) -> None:
        root = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.root = root / "static"
        self.enterContext(override_settings(STATIC_ROOT=self.root))

    def test_the_first_start_collects_hashed_compressed_copies(self) -> None:
        self.assertTrue(storage.collect_if_changed())

        manifest = json.loads((self.root / "staticfiles.json").read_text())
        stylesheet = manifest["paths"]["web/app.css"]
        self.assertNotEqual(stylesheet, "web/app.css")
        self.assertTrue((self.root / stylesheet).exists())
        self.assertTrue((self.root / f"{stylesheet}.gz").exists())
        # Only the hashed copies are kept: pages never link to the plain names once collected.
        self.assertFalse((self.root / "web/app.css").exists())

    def test_a_second_start_with_the_same_sources_skips_the_collection(self) -> None:
        storage.collect_if_changed()
        with mock.patch.object(storage, "call_command") as collectstatic:
            self.assertFalse(storage.collect_if_changed())
        collectstatic.assert_not_called()

    def test_changed_sources_are_collected_again(self) -> None:
        storage.collect_if_changed()
        with mock.patch.object(storage, "source_fingerprint", return_value="a new release"):
            self.assertTrue(storage.collect_if_changed())
        self.assertEqual((self.root / storage.FINGERPRINT_NAME).read_text(), "a new release")

    def test_a_lost_manifest_is_collected_again(self) -> None:
        storage.collect_if_changed()
        (self.root / "staticfiles.json").unlink()
        self.assertTrue(storage.collect_if_changed())
        self.assertTrue((self.root / "staticfiles.json").exists())

    def test_the_fingerprint_follows_a_source_file(self) -> None:
        before = storage.source_fingerprint()
        with mock.patch.object(Path, "stat", autospec=True) as stat:
            stat.return_value = mock.Mock(st_size=1, st_mtime_ns=2)
            after = storage.source_fingerprint()
        self.assertNotEqual(before, after)
