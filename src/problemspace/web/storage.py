"""Static files storage that works before `collectstatic` has ever run."""

from __future__ import annotations

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
