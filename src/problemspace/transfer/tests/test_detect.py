from __future__ import annotations

from pathlib import Path

import pytest

from problemspace.transfer import is_workspace_export


@pytest.mark.parametrize(
    "content",
    [
        b'{"format": "problemspace-workspace", "version": 1}',
        b'\xef\xbb\xbf{"format":"problemspace-workspace"}',
        b'\n  {\n    "format" : "problemspace-workspace",\n    "version": 1\n',
    ],
)
def test_it_recognises_an_export(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(content)
    assert is_workspace_export(path)
    assert is_workspace_export(str(path))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"text,occurred_at\nhello,2025-01-01\n",
        b'{"text": "hello", "format": "problemspace-workspace"}\n',
        b'{"format": "problemspace-workspace-2"}',
        b'[{"format": "problemspace-workspace"}]',
        b"\x00\x01\x02 binary",
    ],
)
def test_it_rejects_other_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other.json"
    path.write_bytes(content)
    assert not is_workspace_export(path)


def test_a_missing_file_is_not_an_export(tmp_path: Path) -> None:
    assert not is_workspace_export(tmp_path / "nope.json")
    assert not is_workspace_export(tmp_path)
