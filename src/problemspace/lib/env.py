"""Typed helpers that read configuration from the environment.

Everything a deployment can change comes through these, so a wrong value fails at start-up with
the variable's name in the message rather than somewhere deep in a request.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs


class ConfigurationError(Exception):
    """A setting in the environment cannot be used as given."""


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}.")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_home() -> Path:
    """The directory holding the SQLite database, the secret key and collected static files.

    PROBLEMSPACE_HOME wins; otherwise the platform's per-user data directory, so two users of
    one machine never share a database by accident.
    """
    configured = os.environ.get("PROBLEMSPACE_HOME")
    home = Path(configured) if configured else Path(platformdirs.user_data_dir("problemspace"))
    return home.expanduser().resolve()


def secret_key(home: Path) -> str:
    """The secret key from the environment, a file it names, or one generated on first run.

    A generated key is written once with owner-only permissions and reused afterwards; without
    that, every restart would sign everyone out and invalidate password-reset links.
    """
    if value := os.environ.get("PROBLEMSPACE_SECRET_KEY"):
        return value
    if path := os.environ.get("PROBLEMSPACE_SECRET_KEY_FILE"):
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ConfigurationError(
                f"PROBLEMSPACE_SECRET_KEY_FILE points to {path}, which cannot be read: {exc}."
            ) from None
    key_file = home / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: when two processes start at once, only one key is ever written.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
