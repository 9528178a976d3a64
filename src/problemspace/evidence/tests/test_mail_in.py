"""Email in: real messages sent over SMTP to `mail-in`'s receiver, and .eml/mbox files imported.

TransactionTestCase: the receiver stores from its own thread, which must see the workspace the
test made and the test must see what it stored.
"""

from __future__ import annotations

import mailbox
import smtplib
import socket
import tempfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import TransactionTestCase

from problemspace.cli.main import main
from problemspace.customers.models import Account, Contact
from problemspace.evidence.mail import MAX_MESSAGE_BYTES
from problemspace.evidence.mail_server import controller
from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.evidence.tests.test_paste import REQUESTS_BODY
from problemspace.workspaces.models import Member, Role, Workspace


def customer_email(body: str = REQUESTS_BODY, message_id: str = "<req-1@granitepeak.com>") -> bytes:
    message = EmailMessage()
    message["From"] = "Rick Stone <rick@granitepeak.com>"
    message["To"] = "feedback@ledgerly.test"
    message["Subject"] = "A few things from our team"
    message["Date"] = "Tue, 04 Mar 2025 10:12:00 +0100"
    message["Message-ID"] = message_id
    message.set_content(body)
    return bytes(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MailInTestCase(TransactionTestCase):
    def setUp(self) -> None:
        self.workspace = Workspace.objects.create(name="Acme Product", slug="acme")
        self.dana = User.objects.create_user(
            username="dana@acme.example", email="dana@acme.example", password="x" * 20
        )
        Member.objects.create(workspace=self.workspace, user=self.dana, role=Role.CONTRIBUTOR)
        Account.objects.create(workspace=self.workspace, name="Granite Peak Construction")
        self.port = free_port()
        self.receiver = controller("127.0.0.1", self.port, "in.acme.test")
        self.receiver.start()
        self.addCleanup(self.receiver.stop)

    def send(self, raw: bytes, to: str = "acme@in.acme.test") -> dict[str, tuple[int, bytes]]:
        with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as client:
            return client.sendmail("relay@mail.acme.test", [to], raw)

    def test_an_email_listing_requests_becomes_one_item_each(self) -> None:
        self.send(customer_email())
        items = Evidence.objects.filter(workspace=self.workspace).order_by("external_id")
        assert [item.text for item in items] == [
            "Approvers need to approve from their phones on site.",
            "The NetSuite sync creates duplicate vendors every week.",
            "Please add a read-only role for our auditors.",
            "Foreign vendors get a W-9 instead of a W-8BEN.",
        ]
        first = items[0]
        assert first.channel == Channel.EMAIL and first.source == "email"
        assert first.provenance == Provenance.FIRST_HAND
        assert first.contact is not None and first.contact.email == "rick@granitepeak.com"
        # The sender's domain spells the account's name: no second "Granite Peak" is made.
        assert first.account is not None and first.account.name == "Granite Peak Construction"
        assert Account.objects.filter(workspace=self.workspace).count() == 1
        assert first.occurred_at.isoformat() == "2025-03-04T09:12:00+00:00"

    def test_the_same_message_delivered_twice_is_stored_once(self) -> None:
        self.send(customer_email())
        self.send(customer_email())
        assert Evidence.objects.filter(workspace=self.workspace).count() == 4

    def test_a_members_forward_names_the_customer_and_the_relayer(self) -> None:
        forward = EmailMessage()
        forward["From"] = "Dana Whitfield <dana@acme.example>"
        forward["Subject"] = "Fwd: Export"
        forward["Message-ID"] = "<fwd-1@acme.example>"
        forward.set_content(
            "FYI, see below.\n\n"
            "---------- Forwarded message ---------\n"
            "From: Ola Berg <ola@meridian.org>\n"
            "Date: Mon, 3 Mar 2025 08:00:00 +0000\n"
            "Subject: Export\n\n"
            "Hello,\n\nThe month-end export timed out again.\n\nBest regards,\nOla\n"
        )
        self.send(bytes(forward))
        item = Evidence.objects.get(workspace=self.workspace)
        assert item.text == "Export\n\nThe month-end export timed out again."
        assert item.contact is not None and item.contact.email == "ola@meridian.org"
        assert item.provenance == Provenance.RELAYED
        assert item.relayed_by == "Dana Whitfield <dana@acme.example>"
        assert item.captured_by is not None and item.captured_by.user == self.dana

    def test_a_forward_as_an_attachment_is_read_from_the_attached_message(self) -> None:
        outer = EmailMessage()
        outer["From"] = "dana@acme.example"
        outer["Subject"] = "Fwd: SSO"
        outer.set_content("See the attached message.")
        inner = EmailMessage()
        inner["From"] = "Li Wei <li@tang.cn>"
        inner["Subject"] = "SSO"
        inner["Date"] = "Mon, 3 Mar 2025 08:00:00 +0000"
        inner.set_content("IT wants SSO enforced for everyone.")
        outer.add_attachment(inner)
        self.send(bytes(outer))
        item = Evidence.objects.get(workspace=self.workspace)
        assert item.text == "IT wants SSO enforced for everyone."
        assert item.contact is not None and item.contact.email == "li@tang.cn"
        assert item.provenance == Provenance.RELAYED

    def test_an_unknown_address_is_refused_before_the_message(self) -> None:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            self.send(customer_email(), to="nobody@in.acme.test")
        code, reply = refused.value.recipients["nobody@in.acme.test"]
        assert code == 550 and b"No workspace receives mail at nobody@in.acme.test" in reply
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            self.send(customer_email(), to="acme@elsewhere.test")
        assert not Evidence.objects.exists()

    def test_a_malformed_message_is_refused_with_the_reason(self) -> None:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            self.send(b"Subject: no sender\r\n\r\nJust text.\r\n")
        assert refused.value.smtp_code == 550
        assert b"no From header" in refused.value.smtp_error
        broken = (
            b"From: a@b.example\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\n'
            b"Content-Type: image/png\r\n\r\n\x89PNG\r\n--x--\r\n"
        )
        with pytest.raises(smtplib.SMTPDataError) as refused:
            self.send(broken)
        assert b"no text" in refused.value.smtp_error
        assert not Evidence.objects.exists()

    def test_a_message_over_25_mb_is_refused_and_nothing_stored(self) -> None:
        message = EmailMessage()
        message["From"] = "rick@granitepeak.com"
        message["Subject"] = "Logs"
        message.set_content("The export failed; logs attached.")
        message.add_attachment(
            b"\0" * (MAX_MESSAGE_BYTES + 1024), maintype="application", subtype="octet-stream"
        )
        with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused)) as refused:
            self.send(bytes(message))
        assert refused.value.smtp_code == 552
        assert not Evidence.objects.exists()
        assert not Contact.objects.exists()


class MailFileImportTestCase(TransactionTestCase):
    @pytest.fixture(autouse=True)
    def _capsys(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def setUp(self) -> None:
        self.workspace = Workspace.objects.create(name="Acme Product", slug="acme")
        self.tmp = Path(tempfile.mkdtemp())

    def run_cli(self, *argv: str) -> tuple[int, str, str]:
        code = main(["import", *argv, "--workspace", "acme"])
        out, err = self.capsys.readouterr()
        return code, out, err

    def test_an_eml_file_imports_its_requests(self) -> None:
        path = self.tmp / "requests.eml"
        path.write_bytes(customer_email())
        code, out, err = self.run_cli(str(path))
        assert code == 0, err
        assert "Imported 4 new evidence items from 1 message in requests.eml" in out
        code, out, _ = self.run_cli(str(path))
        assert "Imported 0 new evidence items" in out and "4 already imported" in out

    def test_an_mbox_imports_every_message_or_none(self) -> None:
        path = self.tmp / "inbox.mbox"
        box = mailbox.mbox(str(path))
        box.add(customer_email(message_id="<a@granitepeak.com>"))
        box.add(customer_email("The payment run failed on Friday.", "<b@granitepeak.com>"))
        box.flush()
        code, out, err = self.run_cli(str(path))
        assert code == 0, err
        assert "Imported 5 new evidence items from 2 messages" in out
        box.add(b"Subject: no sender\n\nJust text.\n")
        box.flush()
        box.close()
        Evidence.objects.all().delete()
        code, _, err = self.run_cli(str(path))
        assert code == 2 and "message 3: the message has no From header" in err
        assert not Evidence.objects.exists()
