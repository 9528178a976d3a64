"""Two people press "Book" on the same slot at the same moment: exactly one gets it.

Real threads, each with its own database connection, through the real page; run on SQLite and
on PostgreSQL (DATABASE_URL). TransactionTestCase, because the threads must see each other's
committed rows and the test's own setup.

On SQLite the race runs on a file copy of the test database: Django's in-memory test database
is shared between threads in SQLite's shared-cache mode, whose table locks fail at once instead
of waiting; a file with WAL and IMMEDIATE transactions is what a deployment runs.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, TransactionTestCase, override_settings
from django.urls import reverse

from problemspace.booking.models import Booking, BookingStatus
from problemspace.booking.tests.factories import availability, first_slot
from problemspace.workspaces.models import Member, Role, Workspace

PEOPLE = 4


@contextmanager
def file_database() -> Iterator[None]:
    """On SQLite, point every connection at a file copy of the test database meanwhile."""
    if connection.vendor != "sqlite":
        yield
        return
    folder = Path(tempfile.mkdtemp())
    path = folder / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    original, kept = connection.settings_dict["NAME"], connection.connection
    # Django never closes its in-memory test database (it would vanish), so set it aside.
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        connection.connection = kept
        shutil.rmtree(folder, ignore_errors=True)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class SimultaneousBookingTests(TransactionTestCase):
    # Emails here only need to not fail; what they contain is tested on the real SMTP server.

    def setUp(self) -> None:
        database = file_database()
        database.__enter__()
        self.addCleanup(database.__exit__, None, None, None)
        workspace = Workspace.objects.create(name="Acme", slug="acme")
        user = User.objects.create_user(username="pm@example.org", email="pm@example.org")
        member = Member.objects.create(workspace=workspace, user=user, role=Role.EDITOR)
        self.availability = availability(member)

    def book_at_once(self, key: str) -> list[int]:
        url = reverse("booking_public:book", args=[self.availability.token])
        barrier = threading.Barrier(PEOPLE)
        statuses: list[int] = []
        errors: list[BaseException] = []

        def person(number: int) -> None:
            try:
                client = Client(REMOTE_ADDR=f"10.0.0.{number}")
                data: dict[str, Any] = {
                    "slot": key,
                    "name": f"Person {number}",
                    "email": f"person{number}@example.org",
                    "time_zone": "Europe/Paris",
                }
                barrier.wait(timeout=10)
                statuses.append(client.post(url, data).status_code)
            except BaseException as error:  # reported by the main thread
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=person, args=(n,)) for n in range(PEOPLE)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        return statuses

    def test_exactly_one_of_them_gets_the_slot(self) -> None:
        slot = first_slot(self.availability)
        statuses = self.book_at_once(slot.key())
        self.assertEqual(sorted(statuses), [302] + [409] * (PEOPLE - 1))
        confirmed = Booking.objects.filter(status=BookingStatus.CONFIRMED)
        self.assertEqual(confirmed.count(), 1)
        self.assertEqual(confirmed.get().starts_at, slot.starts_at)

    def test_the_others_are_told_it_was_just_taken(self) -> None:
        slot = first_slot(self.availability)
        self.book_at_once(slot.key())
        late = Client(REMOTE_ADDR="10.0.1.1").post(
            reverse("booking_public:book", args=[self.availability.token]),
            {"slot": slot.key(), "name": "Late", "email": "late@example.org", "time_zone": "UTC"},
        )
        self.assertContains(late, "That slot was just taken", status_code=409)
        self.assertContains(late, "Choose another time", status_code=409)
