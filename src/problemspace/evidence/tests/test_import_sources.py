"""Each tool's export imports as the tool writes it, with no --map: the right text, channel,
date, score and contact land, the tool's own values are read as ours, and importing the file
again changes nothing. The files in exports/ follow each tool's documented export columns."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from problemspace.customers.models import Account
from problemspace.evidence.importing import ImportFileError
from problemspace.evidence.importing.describe import describe_reading
from problemspace.evidence.importing.layout import SKIPPED_NO_WORDS
from problemspace.evidence.models import Channel, Evidence, Provenance, ScoreScale
from problemspace.evidence.tests.importing_helpers import run_import, snapshot, write
from problemspace.testing import BaseTestCase

EXPORTS = Path(__file__).parent / "exports"


@dataclass(frozen=True)
class Expected:
    """What one file must give: the source recognised, items created, and the first item."""

    file: str
    source: str
    created: int
    text: str
    occurred_at: datetime
    channel: str
    score: tuple[float, str] | None = None
    contact_name: str = ""
    contact_email: str = ""
    account: str = ""
    tags: set[str] = field(default_factory=set)
    provenance: str = Provenance.FIRST_HAND
    relayed_by: str = ""
    skipped: dict[str, int] = field(default_factory=dict)


CET = timezone(timedelta(hours=1))

EXPECTED = [
    Expected(
        "zendesk-tickets.csv",
        "zendesk",
        3,
        "NetSuite export duplicates vendors\n\nEvery time we run the export, vendors get "
        "duplicated.\nWe cleaned it up twice already.",
        datetime(2025, 3, 4, 10, 0, tzinfo=CET),
        Channel.SUPPORT,
        contact_name="Ann Lee",
        contact_email="ann@acme.io",
        account="Acme Corp",
        # Zendesk writes a ticket's tags separated by spaces (a tag has none).
        tags={"netsuite", "sync", "priority: high", "type: incident"},
    ),
    Expected(
        "intercom-conversations.csv",
        "intercom",
        2,
        "Can I switch between client companies without logging out?",
        datetime(2025, 3, 25, 14, 2, tzinfo=UTC),
        Channel.SUPPORT,
        score=(4.0, ScoreScale.CSAT),
        contact_name="Léa Martin",
        contact_email="lea@nordlicht.de",
        account="Nordlicht Design GmbH",
        tags={"multi-entity"},
        skipped={"written by your team or a bot": 1},
    ),
    Expected(
        "freshdesk-tickets.csv",
        "freshdesk",
        2,
        "Bank feed stopped\n\nOur bank feed stopped syncing on Monday.",
        datetime(2025, 4, 1, 8, 30, tzinfo=UTC),
        Channel.SUPPORT,
        contact_name="Priya Nair",
        contact_email="priya@fenwick.com",
        account="Fenwick Ltd",
        tags={"bank-feeds", "priority: high", "type: problem"},
        skipped={"sent by your team": 1},
    ),
    Expected(
        "helpscout-conversations.csv",
        "helpscout",
        2,
        "Export times out\n\nThe month-end export times out after 20 minutes.",
        datetime(2025, 5, 1, 8, 0, tzinfo=UTC),
        Channel.SUPPORT,
        contact_name="Ivy Park",
        contact_email="ivy@lumen.org",
        tags={"export"},
    ),
    Expected(
        "front-messages.csv",
        "front",
        1,
        "Duplicate invoices\n\nDuplicate detection misses invoices with a leading zero.",
        datetime(2025, 6, 1, 10, 0, tzinfo=UTC),
        Channel.SUPPORT,
        contact_name="Elle Wu",
        contact_email="elle@kite.io",
        tags={"duplicates"},
        skipped={"sent by your team": 1},
    ),
    Expected(
        "canny-posts.csv",
        "canny",
        2,
        "Approve from the notification email\n\nLet approvers click Approve right in the "
        "email \u2013 no sign-in.",
        datetime(2025, 2, 10, 12, 0, tzinfo=UTC),
        Channel.PORTAL,
        contact_name="Renée Dubois",
        contact_email="renee@alpen.ch",
        account="Alpen AG",
        tags={"approvals", "board: feature requests", "category: approvals"},
    ),
    Expected(
        "uservoice-suggestions.csv",
        "uservoice",
        1,
        "Read-only role for auditors\n\nOur auditors need to see everything and change nothing.",
        datetime(2025, 1, 15, 8, 0, tzinfo=UTC),
        Channel.PORTAL,
        contact_name="Karl Weber",
        contact_email="karl@bergbau.de",
        account="Bergbau AG",
        tags={"category: permissions", "forum: ideas"},
    ),
    Expected(
        "productboard-notes.csv",
        "productboard",
        2,
        "Peppol\n\nCustomer in Belgium asks when Peppol e-invoicing lands.",
        datetime(2025, 7, 1, 9, 0, tzinfo=UTC),
        Channel.SUPPORT,
        contact_name="Anke Maes",
        contact_email="anke@brugge.be",
        account="Brugge BV",
        tags={"e-invoicing"},
    ),
    Expected(
        "reviews_com.example.ledger_202503.csv",
        "google-play",
        2,
        "Crashes every time I scan a receipt.",
        datetime(2025, 3, 2, 8, 15, tzinfo=UTC),
        Channel.REVIEW,
        score=(2.0, ScoreScale.STARS),
        tags={"version: 4.1.2"},
        skipped={SKIPPED_NO_WORDS: 1},
    ),
    Expected(
        "app-store-reviews.csv",
        "app-store",
        2,
        "Sync broken\n\nSince the update my invoices don't sync.",
        datetime(2025, 4, 10, 16, 0, tzinfo=UTC),
        Channel.REVIEW,
        score=(1.0, ScoreScale.STARS),
        contact_name="ledgerfan22",
        tags={"territory: usa", "version: 4.1.2"},
    ),
    Expected(
        "g2-reviews.csv",
        "g2",
        1,
        "Great approvals, weak mobile\n\nWhat do you like best about Ledgerly? Approval chains "
        "are easy to set up.\n\nWhat do you dislike about Ledgerly? No mobile view, I can't "
        "approve on the go.\n\nRecommendations to others considering Ledgerly: Try the trial "
        "first.",
        datetime(2025, 5, 5, tzinfo=UTC),
        Channel.REVIEW,
        score=(4.0, ScoreScale.STARS),
        # G2's anonymous reviewers name nobody: no contact is made for them.
        contact_name="",
        tags={"segment: mid-market(51-1000 emp.)"},
    ),
    Expected(
        "capterra-reviews.csv",
        "capterra",
        1,
        "Solid but slow exports\n\nPros: Clean invoice capture.\n\nCons: Exports are slow at "
        "month end.\n\nOverall Comments: Good value.",
        datetime(2025, 6, 12, tzinfo=UTC),
        Channel.REVIEW,
        score=(4.0, ScoreScale.STARS),
        contact_name="Maria G.",
        tags={"company size: 51-200", "industry: construction"},
    ),
    Expected(
        "trustpilot-reviews.csv",
        "trustpilot",
        1,
        "Support never answers\n\nWaited a week for an answer about a failed payment run.",
        datetime(2025, 7, 7, 10, 0, tzinfo=UTC),
        Channel.REVIEW,
        score=(1.0, ScoreScale.STARS),
        contact_name="Jonas K.",
    ),
    Expected(
        "typeform-responses.csv",
        "typeform",
        2,
        "The approval emails arrive hours late.",
        datetime(2025, 8, 1, 9, 2, tzinfo=UTC),
        Channel.SURVEY,
        score=(3.0, ScoreScale.NPS),
        contact_email="gina@orca.io",
        skipped={SKIPPED_NO_WORDS: 1},
    ),
    Expected(
        "surveymonkey-responses.csv",
        "surveymonkey",
        2,
        "Vendor onboarding takes too many emails.",
        datetime(2025, 3, 14, 9, 4, 10, tzinfo=UTC),
        Channel.SURVEY,
        score=(6.0, ScoreScale.NPS),
        contact_name="Jo Alder",
        contact_email="jo@alder.com",
    ),
    Expected(
        "delighted-responses.csv",
        "delighted",
        1,
        "Too many clicks to approve one invoice.",
        datetime(2025, 9, 1, 10, 0, tzinfo=UTC),
        Channel.SURVEY,
        score=(2.0, ScoreScale.NPS),
        contact_name="Lou Reyes",
        contact_email="lou@cedar.io",
        account="Cedar Inc",
        tags={"approvals"},
        skipped={SKIPPED_NO_WORDS: 1},
    ),
    Expected(
        "gh-issues.json",
        "github",
        2,
        "CSV export uses the wrong decimal separator\n\nWhen I export to CSV the amounts use a "
        "comma as decimal separator.",
        datetime(2025, 12, 1, 8, 0, tzinfo=UTC),
        Channel.COMMUNITY,
        contact_name="octo-ap",
        tags={"bug", "export"},
        skipped={"opened by a bot": 1},
    ),
    Expected(
        "jira-issues.csv",
        "jira",
        1,
        "Customer: SAP connector needed\n\nGranite Peak needs a native SAP S/4HANA connector "
        "before renewal.",
        datetime(2025, 3, 12, 10, 15, tzinfo=UTC),
        Channel.OTHER,
        tags={"customer-request", "sap", "priority: high", "type: story"},
        # A tracker's reporter is a teammate who passed the request on.
        provenance=Provenance.RELAYED,
        relayed_by="Dana Whitfield",
    ),
    Expected(
        "linear-issues.csv",
        "linear",
        1,
        "Audit trail lacks before/after values\n\nAuditors asked for before and after values in "
        "the audit trail.",
        datetime(2025, 10, 1, 12, 0, tzinfo=UTC),
        Channel.OTHER,
        tags={"audit", "customer", "priority: high", "project: compliance"},
        provenance=Provenance.RELAYED,
        relayed_by="Tomás Ortega",
    ),
    Expected(
        "salesforce-cases.csv",
        "salesforce-cases",
        1,
        "Payment run failed\n\nThe Friday payment run failed with a bank timeout.",
        datetime(2025, 3, 18, 16, 5, tzinfo=UTC),
        Channel.SUPPORT,
        contact_name="Rick Stone",
        contact_email="rick@granitepeak.com",
        account="Granite Peak Construction",
        tags={"priority: high"},
        skipped={"a report's footer, under a blank line": 3},
    ),
    Expected(
        "salesforce-activities.csv",
        "salesforce-activities",
        1,
        "Call: renewal\n\nThey need approvals from the phone before they renew.",
        datetime(2025, 3, 20, tzinfo=UTC),
        Channel.SALES_CALL,
        contact_name="Ola Berg",
        contact_email="ola@meridian.org",
        account="Meridian Health System",
        provenance=Provenance.RELAYED,
        relayed_by="Dana Whitfield",
    ),
    Expected(
        "hubspot-tickets.csv",
        "hubspot-tickets",
        1,
        "Vendor import\n\nCSV vendor import rejects our file with umlauts.",
        datetime(2025, 11, 3, 14, 0, tzinfo=UTC),
        Channel.SUPPORT,
        contact_name="Uwe Kessler",
        contact_email="uwe@kessler.de",
        account="Kessler GmbH",
        tags={"priority: medium", "status: new"},
    ),
    Expected(
        "hubspot-notes.csv",
        "hubspot-notes",
        1,
        "Customer said the close export is the reason they work late at month end.",
        datetime(2025, 11, 4, 15, 0, tzinfo=UTC),
        Channel.SALES_CALL,
        contact_name="Tom Hale",
        account="Harbor & Co",
        provenance=Provenance.RELAYED,
        relayed_by="Dana Whitfield",
    ),
]


class KnownExportsTestCase(BaseTestCase):
    def test_every_export_imports_as_the_tool_writes_it(self) -> None:
        for expected in EXPECTED:
            with self.subTest(expected.file):
                self.check(expected)

    def check(self, expected: Expected) -> None:
        path = EXPORTS / expected.file
        report = run_import(self.workspace, path)
        assert report.ok, [str(e) for e in report.errors]
        assert report.layout.source is not None and report.layout.source.key == expected.source
        assert report.source == expected.source
        assert report.created == expected.created
        assert dict(report.skipped) == expected.skipped
        assert not report.channels_read_as, report.channels_read_as
        items = Evidence.objects.filter(workspace=self.workspace, source=expected.source)
        first = items.order_by("occurred_at", "pk").select_related("contact", "account").first()
        assert first is not None
        assert first.text == expected.text
        assert first.occurred_at == expected.occurred_at
        assert first.channel == expected.channel
        assert first.provenance == expected.provenance
        assert first.relayed_by == expected.relayed_by
        assert first.captured_by is None
        score = (first.score, first.score_scale) if first.score is not None else None
        assert score == expected.score
        assert (first.contact.name if first.contact else "") == expected.contact_name
        assert ((first.contact.email or "") if first.contact else "") == expected.contact_email
        assert (first.contact.role if first.contact else "") in ("", "Controller", "AP Specialist")
        assert (first.account.name if first.account else "") == expected.account
        assert set(first.tags.values_list("name", flat=True)) == expected.tags

        before = snapshot(self.workspace)
        again = run_import(self.workspace, path)
        assert (again.created, again.unchanged) == (0, expected.created)
        assert snapshot(self.workspace) == before

    def test_a_monthly_revenue_is_stored_as_annual(self) -> None:
        run_import(self.workspace, EXPORTS / "canny-posts.csv")
        alpen = Account.objects.get(workspace=self.workspace, name="Alpen AG")
        assert alpen.revenue == Decimal("30000.00")

    def test_a_review_sites_author_is_a_contact_never_a_member(self) -> None:
        report = run_import(self.workspace, EXPORTS / "app-store-reviews.csv")
        assert "captured_by" not in report.columns and "contact_role" not in report.columns
        assert report.columns["contact_name"] == "Reviewer Nickname"
        assert report.columns["title"] == "Title"

    def test_the_preview_names_every_column(self) -> None:
        report = run_import(self.workspace, EXPORTS / "zendesk-tickets.csv", dry_run=True)
        layout = report.layout
        assert layout.destination("Subject") == "title"
        assert layout.destination("Priority") == 'tags ("priority: …")'
        assert layout.destination("Assignee") == "ignored"
        assert layout.samples["Via"] == ["Email", "Web Widget", "Twitter"]
        assert Evidence.objects.filter(workspace=self.workspace).count() == 0


class ForgivingImportTestCase(BaseTestCase):
    """What used to refuse a whole file is counted and said, never fatal, never silent."""

    def setUp(self) -> None:
        self.tmp = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def test_an_unknown_channel_is_read_as_other_and_counted(self) -> None:
        path = write(self.tmp, "c.csv", "text,date,channel\na,2025-01-01,fax\nb,2025-01-02,email\n")
        report = run_import(self.workspace, path)
        assert report.ok and report.created == 2
        assert dict(report.channels_read_as) == {"fax → other": 1}
        assert Evidence.objects.get(text="a").channel == Channel.OTHER

    def test_a_member_of_another_workspace_becomes_a_note(self) -> None:
        path = write(self.tmp, "m.csv", "text,date,captured_by\na,2025-01-01,zed@example.org\n")
        report = run_import(self.workspace, path)
        assert report.ok and report.created == 1
        assert dict(report.unknown_members) == {"zed@example.org": 1}
        assert Evidence.objects.get(text="a").captured_by is None

    def test_a_file_with_no_words_at_all_is_refused_with_the_reason(self) -> None:
        path = write(self.tmp, "stars.csv", "text,date,rating\n,2025-01-01,5\n,2025-01-02,4\n")
        with pytest.raises(ImportFileError, match=r"none of its 2 rows is evidence.*--map text="):
            run_import(self.workspace, path)

    def test_camel_case_keys_and_nested_lists_are_read_by_name(self) -> None:
        records = [
            {
                "id": "t-1",
                "createdAt": "2025-02-01T10:00:00Z",
                "body": "Exports fail",
                "labels": [{"name": "bug"}, {"name": "export"}],
                "requester": {"email": "ann@acme.io"},
            }
        ]
        path = write(self.tmp, "items.json", json.dumps(records))
        report = run_import(self.workspace, path, mapping={"contact_email": "requester.email"})
        assert report.ok and report.format == "json"
        item = Evidence.objects.get(external_id="t-1")
        assert item.occurred_at == datetime(2025, 2, 1, 10, 0, tzinfo=UTC)
        assert set(item.tags.values_list("name", flat=True)) == {"bug", "export"}
        assert item.contact is not None and item.contact.email == "ann@acme.io"

    def test_a_column_named_twice_reads_as_a_list(self) -> None:
        path = write(
            self.tmp, "j.csv", "text,date,Labels,Labels\na,2025-01-01,x,y\nb,2025-01-01,,z\n"
        )
        run_import(self.workspace, path)
        assert set(Evidence.objects.get(text="a").tags.values_list("name", flat=True)) == {"x", "y"}
        assert set(Evidence.objects.get(text="b").tags.values_list("name", flat=True)) == {"z"}

    def test_ignore_and_map_override_what_is_recognised(self) -> None:
        report = run_import(
            self.workspace,
            EXPORTS / "zendesk-tickets.csv",
            ignore=("Organization",),
            mapping={"account": "Requester domain"},
            dry_run=True,
        )
        assert report.columns["account"] == "Requester domain"
        assert report.layout.destination("Organization") == "ignored"
        assert "Organization" in report.layout.ignored_by_user

    def test_ignoring_a_column_the_file_lacks_is_refused(self) -> None:
        with pytest.raises(ImportFileError, match=r"--ignore Nope: zendesk-tickets.csv has no"):
            run_import(self.workspace, EXPORTS / "zendesk-tickets.csv", ignore=("Nope",))

    def test_a_time_zone_in_the_date_columns_name_is_used(self) -> None:
        path = write(self.tmp, "z.csv", "Body,Created at (America/New_York)\na,2024-05-02 08:12\n")
        report = run_import(self.workspace, path)
        assert report.ok and "America/New_York" in report.layout.date_order
        item = Evidence.objects.get(text="a")
        assert item.occurred_at == datetime(2024, 5, 2, 12, 12, tzinfo=UTC)

    def test_a_member_named_as_who_said_it_relays_it(self) -> None:
        path = write(
            self.tmp,
            "m.csv",
            "text,date,email,name\nCustomer wants SSO,2025-01-01,Bob@example.org,Bob\n",
        )
        report = run_import(self.workspace, path)
        item = Evidence.objects.get(text="Customer wants SSO")
        assert item.provenance == Provenance.RELAYED and item.contact is None
        assert item.relayed_by and dict(report.team_as_contact) == {"bob@example.org": 1}

    def test_the_date_order_is_read_from_the_dates(self) -> None:
        path = write(self.tmp, "d.csv", "text,date\na,03/04/2025\nb,25/04/2025\n")
        report = run_import(self.workspace, path)
        assert report.ok and report.layout.dayfirst
        assert Evidence.objects.get(text="a").occurred_at.date().isoformat() == "2025-04-03"
        path = write(self.tmp, "m.csv", "text,date\nc,03/04/2025\nd,04/25/2025\n")
        report = run_import(self.workspace, path)
        assert report.ok and not report.layout.dayfirst
        assert Evidence.objects.get(text="c").occurred_at.date().isoformat() == "2025-03-04"

    def test_a_new_account_like_an_existing_one_is_pointed_out(self) -> None:
        Account.objects.create(workspace=self.workspace, name="Granite Peak Construction")
        path = write(self.tmp, "a.csv", "text,date,company\nExports fail,2025-01-01,Granite Peak\n")
        report = run_import(self.workspace, path)
        assert report.similar_accounts == {"Granite Peak": ["Granite Peak Construction"]}
        assert "New account 'Granite Peak' may be 'Granite Peak Construction'" in "\n".join(
            describe_reading(report, full=False)
        )
