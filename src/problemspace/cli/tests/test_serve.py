"""`problemspace serve` for real: a gunicorn process answering HTTP on a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from problemspace.cli.commands.serve import default_workers, public_url

STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (a local http URL)
        return response.status, response.headers["Content-Type"], response.read()


@pytest.fixture
def server(tmp_path: Path):
    port = free_port()
    # SQLite in a fresh home, whatever database the test run itself uses.
    env = {**os.environ, "PROBLEMSPACE_HOME": str(tmp_path), "DATABASE_URL": ""}
    # A home of its own, to see what the server leaves in a user's home.
    env["HOME"] = str(tmp_path / "user")
    env.pop("XDG_RUNTIME_DIR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "problemspace", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"serve exited with {process.returncode}:\n{output}")
            try:
                get(f"{base}/login/")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail("serve did not answer in time")
                time.sleep(0.2)
        yield base, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if process.stdout:
            process.stdout.close()


def test_it_serves_pages_and_static_files(server, tmp_path: Path) -> None:
    base, _ = server
    status, content_type, body = get(f"{base}/login/")
    assert status == 200
    assert content_type.startswith("text/html")
    assert b'name="password"' in body
    # The page links the collected, hashed stylesheet; WhiteNoise serves it as CSS.
    stylesheet = body.split(b'rel="stylesheet" href="', 1)[1].split(b'"', 1)[0].decode()
    assert stylesheet.startswith("/static/web/app.") and stylesheet != "/static/web/app.css"
    status, content_type, css = get(base + stylesheet)
    assert status == 200
    assert content_type.startswith("text/css")
    assert b".quote" in css
    # It brought the database up to date and collected the static files first.
    assert (tmp_path / "problemspace.sqlite3").exists()
    assert (tmp_path / "static" / "staticfiles.json").exists()
    # No gunicorn control socket, which every server of the user would share.
    assert not (tmp_path / "user" / ".gunicorn").exists()


def test_it_stops_cleanly_and_says_where_it_runs(server) -> None:
    base, process = server
    os.killpg(process.pid, signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    output = process.stdout.read().decode()
    assert f"problemspace is running at {base}/" in output
    assert "Traceback" not in output


def test_a_busy_port_is_a_user_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PROBLEMSPACE_HOME": str(tmp_path), "DATABASE_URL": ""}
        result = subprocess.run(
            [sys.executable, "-m", "problemspace", "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2
    assert "choose another port with --port" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_defaults() -> None:
    assert 2 <= default_workers() <= 8
    assert default_workers() == max(2, min(len(os.sched_getaffinity(0)) + 1, 8))
    assert public_url("0.0.0.0", 8000) == "http://127.0.0.1:8000/"  # noqa: S104
    assert public_url("::1", 8000) == "http://[::1]:8000/"
