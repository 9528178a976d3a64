"""Browser tests: the real `problemspace serve` (gunicorn and its job worker) on the demo
workspace, driven by Playwright in Debian's Chromium (/usr/bin/chromium; nothing downloaded).

The server runs in a fresh PROBLEMSPACE_HOME with its own SQLite database, so these tests
run once, in the SQLite pass of the suite; the PostgreSQL pass covers the same code through
the page and API tests. Screenshots of each main page go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from problemspace.testing import SmtpServer

CHROMIUM = os.environ.get("PROBLEMSPACE_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[5]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DEMO_EMAIL = "pm@demo.problemspace.local"
VIEWER_EMAIL = "helen@demo.problemspace.local"
SERVER_START_TIMEOUT = 180


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    reason = ""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        reason = "browser tests run in the SQLite pass (their server has its own database)"
    elif not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            raise pytest.UsageError(f"{CHROMIUM} is missing: install Debian's chromium package.")
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@dataclass
class Server:
    url: str
    home: Path
    password: str
    # The real SMTP server the served process sends its email to.
    smtp: SmtpServer | None = None
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    def check_running(self) -> None:
        """Fail with the server's own last words when it has stopped, not with a refused
        connection that says nothing of why."""
        if self.process is None or self.process.poll() is None:
            return
        pytest.fail(
            f"problemspace serve stopped (exit code {self.process.returncode}); "
            f"the end of its log:\n{_tail(self.log)}",
            pytrace=False,
        )

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "problemspace", *args],
            env=_env(self.home),
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "PROBLEMSPACE_HOME": str(home), "DATABASE_URL": ""}
    env["HF_HUB_OFFLINE"] = "1"
    # The served worker delivers webhooks to a receiver in the test process, on 127.0.0.1.
    env["PROBLEMSPACE_WEBHOOKS_ALLOW_PRIVATE"] = "true"
    return env


def _tail(log: Path | None, lines: int = 60) -> str:
    if log is None or not log.exists():
        return "(no log)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("browser-home")
    subprocess.run(
        [sys.executable, "-m", "problemspace", "demo", "--no-synthesize"],
        env=_env(home),
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = _free_port()
    smtp = SmtpServer()
    smtp.start()
    mail = {"PROBLEMSPACE_EMAIL_HOST": "127.0.0.1", "PROBLEMSPACE_EMAIL_PORT": str(smtp.port)}
    # The server's log goes to a file, never to an unread pipe, whose filling would stall it.
    log = home / "serve.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "problemspace", "serve", "--port", str(port), "--workers", "2"],
            env={**_env(home), **mail},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process, log)
        password = (home / "demo-password").read_text().strip()
        yield Server(url=url, home=home, password=password, smtp=smtp, process=process, log=log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        smtp.stop()


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    # Generous: on a busy 2-core machine the first start (collecting the static files,
    # booting the workers) has taken half a minute.
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/login/", timeout=2).read()  # noqa: S310
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"problemspace serve stopped:\n{_tail(log)}") from None
            time.sleep(0.2)
    raise RuntimeError(
        f"problemspace serve did not answer within {SERVER_START_TIMEOUT} s:\n{_tail(log)}"
    )


@pytest.fixture(autouse=True)
def _server_still_running(server: Server) -> None:
    server.check_running()


@pytest.fixture
def demo_problems(server: Server) -> Server:
    """The served demo with its problems, whichever test of this worker came first.

    The demo is served unsynthesized so that one test can run synthesis from the web; a test
    that needs problems must not count on that test having run before it in this process.
    """
    listed = server.cli("problems", "-w", "demo", "--format", "json")
    if not json.loads(listed.stdout):
        server.cli("synthesize", "-w", "demo")
    return server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Page, server: Server, email: str = DEMO_EMAIL) -> None:
    page.goto(f"{server.url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def screenshot(page: Page, name: str, *, phone: bool = False) -> Path:
    """Save the whole page, at laptop width and (with phone=True) at phone width too."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if phone:
        size = page.viewport_size or {"width": 1280, "height": 900}
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
        page.set_viewport_size(size)
    return path
