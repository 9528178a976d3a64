"""The demo's sign-in password: generated on first use, kept in PROBLEMSPACE_HOME, never fixed.

A hard-coded demo password would be a known password on every server someone tried the demo
on. Instead each installation gets its own, written once with owner-only permissions and
printed by `problemspace demo` every time it runs.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PASSWORD_FILE = "demo-password"  # noqa: S105 (a file name, not a password)
# No 0/o, 1/l/i: people copy this from a terminal into a sign-in form.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def generate_password() -> str:
    """Four groups of four characters: about 79 bits, and easy to retype."""
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def password_path(home: Path) -> Path:
    return home / PASSWORD_FILE


def demo_password(home: Path) -> str:
    """The password in `home`/demo-password, creating the file (mode 0600) on first use."""
    path = password_path(home)
    if path.exists():
        password = path.read_text().strip()
        if password:
            return password
        path.unlink()  # an empty file would mean an empty password: start again
    home.mkdir(parents=True, exist_ok=True)
    password = generate_password()
    # O_EXCL: when two commands start at once, only one password is ever written.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(password + "\n")
    return password
