"""Writing validated rows: accounts, contacts and tags matched or created, evidence in batches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models.functions import Lower

from problemspace.customers.models import Account, Contact
from problemspace.evidence.importing.bulk import BulkInserter, datetime_adapter, reserve_ids
from problemspace.evidence.importing.report import ImportReport
from problemspace.evidence.importing.rows import Row
from problemspace.evidence.models import Evidence, EvidenceTag, Tag
from problemspace.evidence.search import prepare_bulk_insert
from problemspace.lib.statistics import refresh_statistics
from problemspace.workspaces.models import Member, Workspace

# Imports adding at least this many items refresh the planner's statistics when they finish.
LARGE_IMPORT = 10_000
# Below SQLite's and PostgreSQL's limits on parameters in one statement.
_IN_CHUNK = 900
ContactKey = tuple[str, str]
EVIDENCE_COLUMNS = [
    "id",
    "workspace_id",
    "text",
    "occurred_at",
    "channel",
    "account_id",
    "contact_id",
    "captured_by_id",
    "provenance",
    "relayed_by",
    "source",
    "external_id",
    "source_url",
    "score",
    "score_scale",
]  # ("email", address) or ("name", "account|name")


def _chunks(items: list[str], size: int = _IN_CHUNK) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def contact_key(row: Row) -> ContactKey | None:
    if row.contact_email:
        return ("email", row.contact_email)
    if row.contact_name:
        return ("name", f"{row.account.lower()}|{row.contact_name.lower()}")
    return None


# New accounts' names kept in the report, to check against the accounts already there.
NEW_ACCOUNTS_KEPT = 100


class EvidenceWriter:
    """Matches what rows refer to, and inserts what is new, one batch at a time.

    The workspace's accounts, contacts, tags and members are read once into dictionaries; a
    million-row file usually names a few thousand customers, so this is what keeps the import
    fast. In a dry run nothing is inserted and new objects are only counted.
    """

    def __init__(self, workspace: Workspace, report: ImportReport, *, dry_run: bool) -> None:
        self.workspace = workspace
        self.report = report
        self.dry_run = dry_run
        self.accounts: dict[str, int | None] = {
            name: pk
            for pk, name in Account.objects.filter(workspace=workspace)
            .annotate(lower=Lower("name"))
            .values_list("pk", "lower")
        }
        self.contacts: dict[ContactKey, tuple[int | None, int | None]] = {}
        contacts = Contact.objects.filter(workspace=workspace).select_related("account")
        for contact in contacts.only("pk", "email", "name", "account_id", "account__name"):
            value = (contact.pk, contact.account_id)
            if contact.email:
                self.contacts[("email", contact.email.lower())] = value
            elif contact.name:
                account = contact.account.name.lower() if contact.account else ""
                self.contacts[("name", f"{account}|{contact.name.lower()}")] = value
        self.tags: dict[str, int | None] = dict(
            Tag.objects.filter(workspace=workspace).values_list("name", "pk")
        )
        self.members: dict[str, int] = {}
        for pk, username, email in Member.objects.filter(workspace=workspace).values_list(
            "pk", "user__username", "user__email"
        ):
            self.members[username.lower()] = pk
            if email:
                self.members[email.lower()] = pk
        self._sources_with_evidence: dict[str, bool] = {}
        self._evidence_inserter = BulkInserter(Evidence, EVIDENCE_COLUMNS)
        self._tag_inserter = BulkInserter(EvidenceTag, ["id", "evidence_id", "tag_id"])
        self._adapt_datetime = datetime_adapter()
        if not dry_run:
            prepare_bulk_insert()

    def existing_ids(self, rows: list[Row]) -> set[tuple[str, str]]:
        """(source, external_id) of rows already in the workspace from an earlier import."""
        by_source: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            by_source[row.source].append(row.external_id)
        found: set[tuple[str, str]] = set()
        for source, ids in by_source.items():
            if not self._source_has_evidence(source):
                continue
            for chunk in _chunks(ids):
                # No ORDER BY: the model's default ordering would tempt SQLite into walking the
                # inbox index over the whole workspace instead of seeking the unique index.
                existing = (
                    Evidence.objects.filter(
                        workspace=self.workspace, source=source, external_id__in=chunk
                    )
                    .order_by()
                    .values_list("external_id", flat=True)
                )
                found.update((source, external_id) for external_id in existing if external_id)
        return found

    def _source_has_evidence(self, source: str) -> bool:
        # Asked once per source: a first import of a source skips every per-batch lookup.
        if source not in self._sources_with_evidence:
            exists = Evidence.objects.filter(workspace=self.workspace, source=source).exists()
            if exists and not self._sources_with_evidence:
                # A re-import looks up every id; make sure the planner knows the table's size.
                refresh_statistics(Evidence)
            self._sources_with_evidence[source] = exists
        return self._sources_with_evidence[source]

    def finish(self) -> None:
        """After a large import, refresh statistics so the next queries plan well."""
        if not self.dry_run and self.report.created >= LARGE_IMPORT:
            refresh_statistics(Evidence, EvidenceTag, Account, Contact)

    def write(self, rows: list[Row]) -> None:
        existing = self.existing_ids(rows)
        new_rows = [row for row in rows if (row.source, row.external_id) not in existing]
        self.report.unchanged += len(rows) - len(new_rows)
        if not new_rows:
            return
        self._create_accounts(new_rows)
        self._create_contacts(new_rows)
        self._create_tags(new_rows)
        self.report.created += len(new_rows)
        if self.dry_run:
            return
        ids = reserve_ids(Evidence, len(new_rows))
        self._evidence_inserter.insert(
            [self._evidence(pk, row) for pk, row in zip(ids, new_rows, strict=True)]
        )
        links = [(pk, row.tags) for pk, row in zip(ids, new_rows, strict=True) if row.tags]
        if links:
            link_ids = iter(reserve_ids(EvidenceTag, sum(len(tags) for _, tags in links)))
            self._tag_inserter.insert(
                [(next(link_ids), pk, self.tags[tag]) for pk, tags in links for tag in tags]
            )

    def _evidence(self, pk: int, row: Row) -> tuple[Any, ...]:
        contact_id, contact_account_id = (None, None)
        key = contact_key(row)
        if key is not None:
            contact_id, contact_account_id = self.contacts[key]
        account_id = self.accounts[row.account.lower()] if row.account else contact_account_id
        captured_by = self.members.get(row.captured_by) if row.captured_by else None
        # In the order of EVIDENCE_COLUMNS.
        return (
            pk,
            self.workspace.pk,
            row.text,
            self._adapt_datetime(row.occurred_at),
            row.channel,
            account_id,
            contact_id,
            captured_by,
            row.provenance,
            row.relayed_by,
            row.source,
            row.external_id,
            row.source_url,
            row.score,
            row.score_scale,
        )

    def _create_accounts(self, rows: list[Row]) -> None:
        new: dict[str, dict[str, Any]] = {}
        for row in rows:
            lower = row.account.lower()
            if not row.account or lower in self.accounts:
                continue
            fields = new.setdefault(lower, {"name": row.account})
            for name, value in row.account_fields.items():
                fields.setdefault(name, value)
        if not new:
            return
        self.report.accounts_created += len(new)
        room = NEW_ACCOUNTS_KEPT - len(self.report.new_accounts)
        self.report.new_accounts.extend(fields["name"] for fields in list(new.values())[:room])
        if self.dry_run:
            self.accounts.update(dict.fromkeys(new))
            return
        created = Account.objects.bulk_create(
            [Account(workspace=self.workspace, **fields) for fields in new.values()]
        )
        self.accounts.update({account.name.lower(): account.pk for account in created})

    def _create_contacts(self, rows: list[Row]) -> None:
        new: dict[ContactKey, Contact] = {}
        for row in rows:
            key = contact_key(row)
            if key is None or key in self.contacts or key in new:
                continue
            new[key] = Contact(
                workspace=self.workspace,
                account_id=self.accounts[row.account.lower()] if row.account else None,
                name=row.contact_name,
                email=row.contact_email or None,
                role=row.contact_role,
            )
        if not new:
            return
        self.report.contacts_created += len(new)
        if not self.dry_run:
            Contact.objects.bulk_create(new.values())
        for key, contact in new.items():
            self.contacts[key] = (contact.pk, contact.account_id)

    def _create_tags(self, rows: list[Row]) -> None:
        names = sorted({tag for row in rows for tag in row.tags if tag not in self.tags})
        if not names:
            return
        self.report.tags_created += len(names)
        if self.dry_run:
            self.tags.update(dict.fromkeys(names))
            return
        created = Tag.objects.bulk_create([Tag(workspace=self.workspace, name=n) for n in names])
        self.tags.update({tag.name: tag.pk for tag in created})
