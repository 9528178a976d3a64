from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.evidence.tests.importing_helpers import run_import, snapshot, write
from problemspace.testing import BaseTestCase

ZENDESK = """\
Ticket ID,Created,Body,Requester,Requester email,Organization,Segment,ARR,Tags,Agent,Channel
101,2025-03-04 10:00,"Export to NetSuite duplicated our vendors, again.",Ann Lee,ann@acme.io,Acme Corp,Enterprise,"$410,000","integration; sync",bob@example.org,ticket
102,2025-03-05T09:30:00Z,"Approvals stall when our approver is on holiday.
Nobody can pay anything.",Bo Chen,bo@beta.io,Beta LLC,SMB,12k,approvals,,email
103,2025-03-06,"<script>alert('x')</script> still broken",Ann Lee,ANN@acme.io,acme corp,,,,,
"""


class ImportCsvTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())

    def test_it_imports_a_support_desk_export_as_it_is(self) -> None:
        path = write(self.tmp, "zendesk.csv", ZENDESK)
        report = run_import(self.workspace, path, channel="support")
        assert report.ok, report.errors
        assert (report.created, report.accounts_created, report.contacts_created) == (3, 2, 2)
        assert report.columns["text"] == "Body"
        assert report.columns["external_id"] == "Ticket ID"
        first = Evidence.objects.get(external_id="101")
        assert first.text == "Export to NetSuite duplicated our vendors, again."
        assert first.occurred_at == datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
        assert first.channel == Channel.SUPPORT
        assert first.source == "zendesk"
        # The ticket's agent is who answered it, not who captured what the customer said.
        assert first.captured_by is None
        assert sorted(first.tags.values_list("name", flat=True)) == ["integration", "sync"]
        acme = Account.objects.get(workspace=self.workspace, name="Acme Corp")
        assert (acme.segment, acme.revenue) == ("Enterprise", Decimal("410000.00"))
        assert Account.objects.get(name="Beta LLC").revenue == Decimal("12000.00")
        second = Evidence.objects.get(external_id="102")
        assert second.channel == Channel.EMAIL
        assert "\nNobody can pay anything." in second.text

    def test_it_matches_accounts_and_contacts_whatever_the_case(self) -> None:
        run_import(self.workspace, write(self.tmp, "zendesk.csv", ZENDESK))
        third = Evidence.objects.get(external_id="103")
        assert third.account is not None and third.account.name == "Acme Corp"
        assert third.contact is not None and third.contact.email == "ann@acme.io"
        assert Contact.objects.filter(workspace=self.workspace).count() == 2

    def test_it_stores_html_as_written(self) -> None:
        run_import(self.workspace, write(self.tmp, "zendesk.csv", ZENDESK))
        third = Evidence.objects.get(external_id="103")
        assert third.text == "<script>alert('x')</script> still broken"

    def test_reimporting_the_same_file_changes_nothing(self) -> None:
        path = write(self.tmp, "zendesk.csv", ZENDESK)
        run_import(self.workspace, path)
        before = snapshot(self.workspace)
        report = run_import(self.workspace, path, channel="survey")
        assert (report.created, report.unchanged) == (0, 3)
        assert snapshot(self.workspace) == before

    def test_rows_without_ids_are_recognised_on_reimport(self) -> None:
        content = "text,date,account\nSlow export,2025-01-02,Acme\nSlow export,2025-01-02,Acme\n"
        path = write(self.tmp, "notes.csv", content)
        first = run_import(self.workspace, path)
        assert first.created == 2  # identical rows are both kept: two tickets said the same
        second = run_import(self.workspace, path, channel="survey")
        assert (second.created, second.unchanged) == (0, 2)

    def test_the_same_ids_from_another_source_are_other_evidence(self) -> None:
        run_import(self.workspace, write(self.tmp, "zendesk.csv", ZENDESK))
        report = run_import(self.workspace, write(self.tmp, "intercom.csv", ZENDESK))
        assert report.created == 3
        assert Evidence.objects.filter(workspace=self.workspace).count() == 6

    def test_it_detects_semicolons_and_a_byte_order_mark(self) -> None:
        content = "\ufefftext;date;account\nZu langsam, wirklich;04.03.2025;Müller GmbH\n"
        path = write(self.tmp, "de.csv", content)
        report = run_import(self.workspace, path, dayfirst=True)
        assert report.ok, report.errors
        assert (report.delimiter, report.encoding) == (";", "utf-8-sig")
        item = Evidence.objects.get(workspace=self.workspace)
        assert item.text == "Zu langsam, wirklich"
        assert item.occurred_at.date().isoformat() == "2025-03-04"
        assert item.account is not None and item.account.name == "Müller GmbH"

    def test_it_reads_windows_1252(self) -> None:
        content = "text,date\n“Café” invoices fail — every time,2025-01-02\n"
        path = write(self.tmp, "excel.csv", content, encoding="cp1252")
        report = run_import(self.workspace, path)
        assert report.encoding == "cp1252"
        assert Evidence.objects.get().text == "“Café” invoices fail — every time"

    def test_it_reads_tab_separated_utf16_from_excel(self) -> None:
        content = "text\tdate\nNeeds SSO\t2025-01-02\n"
        path = write(self.tmp, "excel.txt", content, encoding="utf-16")
        report = run_import(self.workspace, path)
        assert report.ok, report.errors
        assert Evidence.objects.get().text == "Needs SSO"

    def test_it_follows_the_column_mapping(self) -> None:
        content = "Review,When,Version\nThe app logs me out daily,2025-02-01,2.1\n"
        path = write(self.tmp, "appstore.csv", content)
        report = run_import(self.workspace, path, mapping={"text": "Review", "occurred_at": "When"})
        assert report.ok and report.ignored_columns == ["Version"]
        assert Evidence.objects.get().text == "The app logs me out daily"

    def test_relayed_by_marks_the_row_relayed(self) -> None:
        content = "text,date,relayed_by\nThey want SSO,2025-02-01,Dana (Sales)\n"
        run_import(self.workspace, write(self.tmp, "crm.csv", content))
        item = Evidence.objects.get()
        assert (item.provenance, item.relayed_by) == (Provenance.RELAYED, "Dana (Sales)")

    def test_the_default_provenance_applies_to_rows_without_one(self) -> None:
        content = "text,date\nThey want SSO,2025-02-01\n"
        path = write(self.tmp, "crm.csv", content)
        run_import(self.workspace, path, provenance="relayed", relayed_by="Sales team")
        item = Evidence.objects.get()
        assert (item.provenance, item.relayed_by) == (Provenance.RELAYED, "Sales team")

    def test_common_date_formats(self) -> None:
        dates = [
            "2025-03-04",
            "2025-03-04T10:00:00+02:00",
            "03/04/2025",
            "03/04/2025 14:30",
            "Mar 4, 2025",
            "4 March 2025",
            "Tue, 04 Mar 2025 10:00:00 +0000",
            "1741082400",
        ]
        lines = "".join(f'"Item {i}","{d}"\n' for i, d in enumerate(dates))
        report = run_import(self.workspace, write(self.tmp, "dates.csv", "text,date\n" + lines))
        assert report.ok, report.errors
        days = {e.occurred_at.astimezone(UTC).date().isoformat() for e in Evidence.objects.all()}
        assert days == {"2025-03-04"}


class ReimportLookupTestCase(BaseTestCase):
    def test_the_lookup_of_imported_ids_does_not_sort(self) -> None:
        # Sorting by the model's default ordering makes SQLite walk the whole workspace per
        # batch (minutes on a million rows) instead of seeking the unique index.
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        path = write(Path(tempfile.mkdtemp()), "zendesk.csv", ZENDESK)
        run_import(self.workspace, path)
        with CaptureQueriesContext(connection) as queries:
            run_import(self.workspace, path)
        lookups = [q["sql"] for q in queries.captured_queries if '"external_id" IN' in q["sql"]]
        assert lookups
        assert not any("ORDER BY" in sql for sql in lookups)
