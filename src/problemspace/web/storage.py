"""Static files: a storage that works before `collectstatic` has ever run, and a collection
that runs only when the sources changed."""

from __future__ import annotations

import hashlib
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.apps import StaticFilesConfig
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed names once collected; the plain names before that.

    The manifest storage refuses to build any URL until `collectstatic` has written its manifest,
    which breaks the test suite, `problemspace manage runserver` and a first request racing
    `problemspace serve`. With no manifest at all, the plain name is used instead and WhiteNoise
    serves it from the app directories (WHITENOISE_USE_FINDERS). Once a manifest exists it is
    strict again, so a missing file still fails loudly.
    """

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return str(super().stored_name(name))


# Written into STATIC_ROOT after a collection: the fingerprint of the sources it was made from.
FINGERPRINT_NAME = ".sources"


def source_fingerprint() -> str:
    """A digest of every static source file's name, size and modification time.

    It changes when problemspace or a library with static files is installed anew, which is
    when a collection is due.
    """
    ignore = list(StaticFilesConfig.ignore_patterns)
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    seen: set[str] = set()
    for finder in get_finders():
        for path, storage in finder.list(ignore):
            prefix = getattr(storage, "prefix", None)
            prefixed = f"{prefix}/{path}" if prefix else path
            if prefixed in seen:  # collectstatic keeps only the first one found too
                continue
            seen.add(prefixed)
            info = Path(storage.path(path)).stat()
            digest.update(f"{prefixed}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_if_changed() -> bool:
    """Run `collectstatic` unless the collection on disk was made from these very sources.

    Hashing and compressing every file takes 17 s on a 2-core machine even when nothing has
    changed, and `problemspace serve` would pay it at every start. Returns whether it ran.
    """
    root = Path(settings.STATIC_ROOT)
    fingerprint = source_fingerprint()
    recorded = root / FINGERPRINT_NAME
    manifest = root / CompressedManifestStaticFilesStorage.manifest_name
    if manifest.exists() and recorded.exists() and recorded.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO())
    recorded.write_text(fingerprint)
    return True
