"""Writing files whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


@contextlib.contextmanager
def atomic_write(path: Path, *, newline: str | None = None) -> Iterator[TextIO]:
    """A UTF-8 text stream that becomes `path` only when the block ends without an error.

    It writes to a temporary file in the same folder (so the final rename cannot cross file
    systems), flushes it to disk, then renames it over `path`. An interrupted or failed write
    leaves `path` as it was, never half a file. Raises OSError when the folder is unusable.
    """
    directory = path.parent
    fd, name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".partial")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private; give it the permissions any new file would get.
        temporary.chmod(0o666 & ~_umask())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    # The only way to read the umask is to set it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
