from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Evidence, EvidenceTag, Tag
from problemspace.testing import BaseTestCase
from problemspace.transfer import RestoreError, restore_workspace
from problemspace.transfer.tests.builders import (
    export_document,
    export_text,
    fill,
    restore_document,
    restore_text,
    rows,
)
from problemspace.workspaces.models import Member, Workspace


class RestoreErrorsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        fill(cls.workspace)

    def setUp(self) -> None:
        self.empty = Workspace.objects.create(name="Restored", slug="restored")
        self.document = export_document(self.workspace)
        self.users_before = User.objects.count()

    def assertRefused(self, document: Any, message: str) -> RestoreError:
        text = document if isinstance(document, str) else json.dumps(document)
        with self.assertRaisesMessage(RestoreError, message) as caught:
            restore_text(self.empty, text)
        self.assertNothingWritten()
        self.assertIn("Nothing was restored.", str(caught.exception))
        return caught.exception

    def assertNothingWritten(self) -> None:
        for model in (Member, Account, Contact, Tag, Evidence):
            self.assertFalse(model.objects.filter(workspace=self.empty).exists(), model)
        self.assertEqual(User.objects.count(), self.users_before)

    def test_it_refuses_a_workspace_that_is_not_empty(self) -> None:
        before = rows(self.workspace)
        with self.assertRaisesMessage(
            RestoreError, "The workspace 'acme' is not empty: it already has accounts, contacts,"
        ):
            restore_text(self.workspace, export_text(self.workspace))
        self.assertEqual(rows(self.workspace), before)

    def test_a_single_tag_makes_a_workspace_not_empty(self) -> None:
        Tag.objects.create(workspace=self.empty, name="x")
        with self.assertRaisesMessage(RestoreError, "it already has tags."):
            restore_document(self.empty, self.document)
        self.assertEqual(Tag.objects.filter(workspace=self.empty).count(), 1)

    def test_it_names_the_path_of_a_bad_reference(self) -> None:
        self.document["evidence"][12]["contact"] = 99
        self.assertRefused(
            self.document,
            "evidence[12].contact refers to contact 99, which the file does not define",
        )

    def test_it_names_a_bad_tag_reference(self) -> None:
        self.document["evidence"][3]["tags"] = [1, 42]
        self.assertRefused(
            self.document, "evidence[3].tags[1] refers to tag 42, which the file does not define"
        )

    def test_a_late_error_undoes_everything_before_it(self) -> None:
        self.document["evidence"][-1]["channel"] = "carrier pigeon"
        last = len(self.document["evidence"]) - 1
        self.assertRefused(self.document, f"evidence[{last}].channel is 'carrier pigeon'; it must")

    def test_it_refuses_a_newer_version(self) -> None:
        self.document["version"] = 8
        self.assertRefused(
            self.document,
            "The file is in export format version 8, written by a newer problemspace; this one"
            " reads version 7. Upgrade problemspace and try again.",
        )

    def test_it_refuses_a_bad_header(self) -> None:
        self.document["exported_at"] = "last Tuesday"
        self.assertRefused(self.document, "exported_at is 'last Tuesday'; it must be an ISO 8601")
        self.document["exported_at"] = "2025-01-01T00:00:00Z"
        self.document["version"] = "1"
        self.assertRefused(self.document, "\"version\" is '1'; it must be a whole number like 1.")

    def test_it_refuses_another_format(self) -> None:
        self.document["format"] = "something-else"
        self.assertRefused(self.document, "is not a problemspace workspace export")
        self.assertRefused([1, 2], "is not a problemspace workspace export")

    def test_it_refuses_a_truncated_file(self) -> None:
        text = export_text(self.workspace)
        cut = text.index('"evidence": [') + 300
        self.assertRefused(text[:cut], "The file ends in evidence[")
        self.assertRefused(text[:-3], 'The file ends after "briefs": it is incomplete')
        self.assertRefused("", "The file ends at its start: it is incomplete")

    def test_it_refuses_broken_json(self) -> None:
        text = export_text(self.workspace)
        at = text.index('"contacts": [')
        self.assertRefused(text[:at] + "oops" + text[at:], "The file is not valid JSON")
        self.assertRefused(text + "trailing", "The file is not valid JSON after its end")

    def test_it_refuses_keys_out_of_order(self) -> None:
        reordered = {key: self.document[key] for key in sorted(self.document)}
        reordered = {"format": self.document["format"], **reordered}
        self.assertRefused(
            reordered, 'The file has "accounts" at its top level where "version" was expected'
        )

    def test_it_refuses_unknown_and_missing_fields(self) -> None:
        self.document["accounts"][1]["colour"] = "blue"
        self.assertRefused(
            self.document, 'accounts[1] has "colour", which format version 7 does not define'
        )
        del self.document["accounts"][1]["colour"]
        del self.document["contacts"][0]["research_consent"]
        self.assertRefused(
            self.document, 'contacts[0] has no "research_consent"; every contact needs one'
        )

    def test_it_refuses_bad_values(self) -> None:
        cases = [
            ("accounts", 0, "revenue", "12.345", "with more than 2 decimal places"),
            ("accounts", 0, "revenue", "1e20", "too large to store"),
            ("accounts", 0, "name", "x" * 201, "is 201 characters long; the limit is 200"),
            ("contacts", 0, "last_contacted", "yesterday", "it must be a date like 2025-03-01"),
            ("contacts", 0, "research_consent", "yes", "it must be true or false"),
            ("evidence", 0, "occurred_at", "2025-03-01T10:00:00", "with a UTC offset"),
            ("evidence", 0, "text", None, "it must be a string"),
            ("evidence", 0, "text", "nul\x00here", "contains a NUL character"),
            ("members", 0, "role", "boss", "it must be one of"),
        ]
        for section, index, key, value, message in cases:
            with self.subTest(key=key, value=value):
                document = export_document(self.workspace)
                document[section][index][key] = value
                self.assertRefused(document, f"{section}[{index}].{key} ")
                self.assertRefused(document, message)

    def test_it_reads_a_decimal_written_as_a_json_number_exactly(self) -> None:
        self.document["accounts"][0]["revenue"] = 12.35
        restore_document(self.empty, self.document)
        name = self.document["accounts"][0]["name"]
        revenue = Account.objects.get(workspace=self.empty, name=name).revenue
        self.assertEqual(revenue, Decimal("12.35"))

    def test_it_refuses_ids_that_do_not_increase(self) -> None:
        self.document["tags"][1]["id"] = 1
        self.assertRefused(self.document, "tags[1].id is 1, not above the id before it (1)")

    def test_it_refuses_duplicate_account_names_whatever_the_case(self) -> None:
        self.document["accounts"][2]["name"] = self.document["accounts"][0]["name"].upper()
        self.assertRefused(self.document, "accounts[2].name is ")
        self.assertRefused(self.document, "the name of accounts[0] too")

    def test_it_refuses_duplicate_external_ids(self) -> None:
        keyed = [item for item in self.document["evidence"] if item["external_id"]]
        keyed[1]["external_id"] = keyed[0]["external_id"]
        keyed[1]["source"] = keyed[0]["source"]
        where = self.document["evidence"].index(keyed[1])
        self.assertRefused(self.document, f"evidence[{where}] has source 'zendesk' and external_id")

    def test_it_refuses_duplicate_external_ids_across_batches(self) -> None:
        from problemspace.transfer import restore

        keyed = [item for item in self.document["evidence"] if item["external_id"]]
        keyed[-1]["external_id"] = keyed[0]["external_id"]
        where = self.document["evidence"].index(keyed[-1])
        original, restore.BATCH_SIZE = restore.BATCH_SIZE, 2
        try:
            self.assertRefused(self.document, f"evidence[{where}] has source 'zendesk'")
        finally:
            restore.BATCH_SIZE = original

    def test_it_refuses_relayed_by_on_first_hand_evidence(self) -> None:
        item = next(i for i in self.document["evidence"] if i["provenance"] == "first_hand")
        item["relayed_by"] = "Sam"
        where = self.document["evidence"].index(item)
        self.assertRefused(self.document, f"evidence[{where}].relayed_by is 'Sam' but its")

    def test_it_refuses_a_person_listed_twice(self) -> None:
        self.document["members"][1]["email"] = self.document["members"][0]["email"]
        self.assertRefused(self.document, "members[1] is the same person as members[0]")

    def test_it_accepts_a_byte_order_mark(self) -> None:
        data = b"\xef\xbb\xbf" + export_text(self.workspace).encode()
        restore_workspace(self.empty, io.BytesIO(data))
        self.assertEqual(
            EvidenceTag.objects.filter(evidence__workspace=self.empty).count(),
            EvidenceTag.objects.filter(evidence__workspace=self.workspace).count(),
        )
