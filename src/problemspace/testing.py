"""A shared test base: every feature gets its access tests for free.

alice owns workspace "acme"; bob edits there; carol contributes; vic only views; charlie owns
another workspace and must never see acme's data.
"""

from __future__ import annotations

import email.policy
import socket
import threading
from email.message import EmailMessage
from email.parser import BytesParser

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


class SmtpTestCase(BaseTestCase):
    """BaseTestCase whose email goes to a real SMTP server, `self.smtp`, emptied before each
    test."""

    smtp: SmtpServer
    _smtp_settings: override_settings

    @classmethod
    def setUpClass(cls) -> None:
        cls.smtp = SmtpServer()
        cls.smtp.start()
        cls._smtp_settings = override_settings(**cls.smtp.settings())
        cls._smtp_settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls._smtp_settings.disable()
        cls.smtp.stop()

    def setUp(self) -> None:
        super().setUp()
        self.smtp.clear()
