"""Telling a workspace export from any other file by its first bytes."""

from __future__ import annotations

import os
import re

from problemspace.transfer.schema import FORMAT

# An export starts with its format; a few KiB is plenty even for a pretty-printed copy.
_HEAD_BYTES = 4096
_START = re.compile(
    rb'^(?:\xef\xbb\xbf)?\s*\{\s*"format"\s*:\s*"' + re.escape(FORMAT.encode()) + rb'"'
)


def is_workspace_export(path: str | os.PathLike[str]) -> bool:
    """True when the file at `path` starts like a workspace export.

    Only the first few KiB are read, so the import command can decide between restoring a
    workspace and importing evidence before it reads a large file. A file that cannot be read
    is not an export; the caller reports that when it opens the file itself.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return False
    return _START.match(head) is not None
