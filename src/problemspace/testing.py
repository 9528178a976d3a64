"""A shared test base: every feature gets its access tests for free.

alice owns workspace "acme"; bob edits there; carol contributes; vic only views; charlie owns
another workspace and must never see acme's data.
"""

from __future__ import annotations

import email.policy
import json
import socket
import threading
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from django.contrib.auth.models import User
from django.test import TestCase, override_settings

from problemspace.workspaces.models import Member, Role, Workspace

PASSWORD = "correct horse battery staple"  # noqa: S105 (test users only)


class BaseTestCase(TestCase):
    workspace: Workspace
    other_workspace: Workspace
    alice: User
    bob: User
    carol: User
    vic: User
    charlie: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.workspace = Workspace.objects.create(name="Acme Product", slug="acme")
        cls.other_workspace = Workspace.objects.create(name="Other Team", slug="other")
        cls.alice = cls._user("alice", cls.workspace, Role.OWNER)
        cls.bob = cls._user("bob", cls.workspace, Role.EDITOR)
        cls.carol = cls._user("carol", cls.workspace, Role.CONTRIBUTOR)
        cls.vic = cls._user("vic", cls.workspace, Role.VIEWER)
        cls.charlie = cls._user("charlie", cls.other_workspace, Role.OWNER)

    @staticmethod
    def _user(name: str, workspace: Workspace, role: Role) -> User:
        user = User.objects.create_user(
            username=f"{name}@example.org", email=f"{name}@example.org", password=PASSWORD
        )
        Member.objects.create(workspace=workspace, user=user, role=role)
        return user

    def member(self, user: User) -> Member:
        return Member.objects.get(user=user)

    def api_key(self, user: User) -> dict[str, str]:
        """Headers that authenticate an API request as `user`, with a fresh key."""
        from problemspace.workspaces.tokens import create_token

        _, key = create_token(user, "tests")
        return {"Authorization": f"Bearer {key}"}


class SmtpServer:
    """A real SMTP server on 127.0.0.1 (aiosmtpd), keeping every message it receives.

    Email tests send through Django's SMTP backend to it, so what they check is what a mail
    server would have been handed: headers, encodings and attachments included.
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        # The controller checks it is up by connecting to its port, so it needs a real one.
        self.port = _free_port()
        self._controller = Controller(_Collector(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def received(self, message: EmailMessage) -> None:
        with self._lock:
            self.messages.append(message)

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def settings(self) -> dict[str, object]:
        """Django settings that send email to this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": False,
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Collector:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        message = BytesParser(policy=email.policy.default).parsebytes(content)
        assert isinstance(message, EmailMessage)
        self.server.received(message)
        return "250 Message accepted for delivery"


@dataclass
class ReceivedRequest:
    """One request as the HTTP receiver got it: the raw body, and headers by any case."""

    method: str
    path: str
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"ok"
    # Seconds to wait before answering: longer than the sender's timeout makes a hang.
    delay: float = 0.0


class HttpReceiver:
    """A real HTTP server on 127.0.0.1 (http.server, one thread per request), keeping every
    request it receives and answering as told: `reply(...)` sets the answer from now on,
    `script(...)` the next few answers in order.

    Webhook tests send to it over a real socket, so what they check is what a receiver would
    have been handed: the bytes that were signed, the headers, and what a hang or a 500 does.
    """

    def __init__(self) -> None:
        self.requests: list[ReceivedRequest] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._default = Reply()
        self._script: list[Reply] = []
        # Set on stop, so a handler that is "hanging" lets go at once.
        self._released = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def reply(self, status: int = 200, body: bytes = b"ok", delay: float = 0.0) -> None:
        with self._lock:
            self._default = Reply(status, body, delay)
            self._script.clear()

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script = list(replies)

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
            self._script.clear()
            self._default = Reply()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedRequest]:
        """The requests once at least `count` have arrived (or after `timeout`)."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.requests) >= count, timeout)
            return list(self.requests)

    def _receive(self, request: ReceivedRequest) -> Reply:
        with self._arrived:
            self.requests.append(request)
            self._arrived.notify_all()
            return self._script.pop(0) if self._script else self._default

    def _wait(self, seconds: float) -> None:
        self._released.wait(seconds)


def _handler_for(receiver: HttpReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            reply = receiver._receive(ReceivedRequest("POST", self.path, self.headers, body))
            if reply.delay:
                receiver._wait(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except OSError:
                pass  # the sender gave up waiting and closed the connection

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler


class HttpReceiverTestCase(BaseTestCase):
    """BaseTestCase with a real HTTP receiver, `self.receiver`, emptied before each test."""

    receiver: HttpReceiver

    @classmethod
    def setUpClass(cls) -> None:
        cls.receiver = HttpReceiver()
        cls.receiver.start()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.receiver.stop()

    def setUp(self) -> None:
        super().setUp()
        self.receiver.clear()


class SmtpTestCase(BaseTestCase):
    """BaseTestCase whose email goes to a real SMTP server, `self.smtp`, emptied before each
    test."""

    smtp: SmtpServer

    @classmethod
    def setUpClass(cls) -> None:
        cls.smtp = SmtpServer()
        cls.smtp.start()
        cls.addClassCleanup(cls.smtp.stop)
        smtp_settings = override_settings(**cls.smtp.settings())
        smtp_settings.enable()
        # A class cleanup, not tearDownClass: Django undoes a subclass's @override_settings in
        # a class cleanup, which runs after tearDownClass; undone in any other order, this
        # override would outlive the class and send every later test's email here.
        cls.addClassCleanup(smtp_settings.disable)
        super().setUpClass()

    def setUp(self) -> None:
        super().setUp()
        self.smtp.clear()
