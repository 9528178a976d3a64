import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from problemspace.lib.env import ConfigurationError, envbool, envint, secret_key


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("PROBLEMSPACE_SECRET_KEY", raising=False)
    monkeypatch.delenv("PROBLEMSPACE_SECRET_KEY_FILE", raising=False)
    first = secret_key(tmp_path)
    assert len(first) >= 50
    assert secret_key(tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_secret_key_from_the_environment_wins(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PROBLEMSPACE_SECRET_KEY", "from-env")
    assert secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_bad_values_name_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("PROBLEMSPACE_DEBUG", "maybe")
    with pytest.raises(ConfigurationError, match="PROBLEMSPACE_DEBUG"):
        envbool("PROBLEMSPACE_DEBUG")
    monkeypatch.setenv("PROBLEMSPACE_PORT", "eighty")
    with pytest.raises(ConfigurationError, match="PROBLEMSPACE_PORT"):
        envint("PROBLEMSPACE_PORT", 8000)


def test_the_default_database_is_a_sqlite_file_in_wal_mode(tmp_path: Path) -> None:
    env = {**os.environ, "PROBLEMSPACE_HOME": str(tmp_path), "DATABASE_URL": ""}
    subprocess.run(
        [sys.executable, "-m", "problemspace", "init"], env=env, check=True, capture_output=True
    )
    database = tmp_path / "problemspace.sqlite3"
    assert database.exists()
    with sqlite3.connect(database) as connection:
        # WAL is a property of the file: it persists once set.
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (tmp_path / "secret_key").exists()
