"""Restoring a workspace export into an empty workspace, all or nothing.

The file is read once, front to back (see reader.py), and written in batches with bulk_create,
so a million evidence items restore in bounded memory. Everything happens in one transaction:
any bad item, however late in the file, leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import IntegrityError, models, transaction

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Evidence, EvidenceTag, Provenance, Tag
from problemspace.evidence.scores import ScoreError, read_score
from problemspace.evidence.search import prepare_bulk_insert
from problemspace.transfer import schema
from problemspace.transfer.errors import RestoreError
from problemspace.transfer.idmaps import RunMap
from problemspace.transfer.reader import Document
from problemspace.transfer.sections import SectionWriter
from problemspace.transfer.users import UserMatcher
from problemspace.workspaces.models import Member, Workspace

# Items per bulk_create: large enough that round trips do not dominate, small enough that a
# batch of long interview excerpts stays a few megabytes.
BATCH_SIZE = 2000

Items = Iterator[tuple[str, Any]]


@dataclass
class RestoreSummary:
    counts: dict[str, int] = field(default_factory=dict)
    # Emails (or usernames) of the sign-ins created for members this installation did not know;
    # they have no usable password until they reset it.
    users_created: list[str] = field(default_factory=list)
    # What was given a new link token or calendar UID because this installation already uses
    # the file's (a copy restored beside its original), as sentences for the person restoring.
    renewed: list[str] = field(default_factory=list)
    # What was given a new secret the file does not hold (a webhook's signing secret), as
    # sentences for the person restoring.
    new_secrets: list[str] = field(default_factory=list)
    # Whether a refresh of the problems' scores, quotes and profiles was queued (a job).
    refresh_queued: bool = False


def restore_workspace(workspace: Workspace, stream: IO[bytes]) -> RestoreSummary:
    """Fill the empty `workspace` from the export in the binary `stream`.

    The workspace keeps its own name and slug; its creation date and everything in it come from
    the file. Members already in the workspace stay as they are, so that restoring into a
    workspace one has just created does not demote its owner. Raises RestoreError, naming the
    JSON path of the first bad value, and then nothing at all has been written.
    """
    try:
        with transaction.atomic():
            # Locked so that two restores into one workspace cannot interleave (PostgreSQL; on
            # SQLite the transaction already holds the database's write lock).
            target = Workspace.objects.select_for_update().get(pk=workspace.pk)
            _clear_default_guides(target)
            _check_empty(target)
            # The evidence's text index is kept by the database (triggers on SQLite), so
            # restored evidence is searchable as soon as this commits.
            prepare_bulk_insert()
            summary = _Restorer(target, Document(stream)).run()
            _recount(target, summary)
            if summary.counts.get("problems"):
                _queue_refresh(target)
                summary.refresh_queued = True
    except RestoreError as exc:
        raise RestoreError(f"{exc} Nothing was restored.") from None
    workspace.refresh_from_db()
    return summary


def _recount(workspace: Workspace, summary: RestoreSummary) -> None:
    """Count again what the file leaves out because it follows from what it holds: the posts'
    votes, and the initiatives' scores from their problems' evidence."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from problemspace.portal.models import Post, Vote
    from problemspace.roadmap.services import refresh_workspace

    if summary.counts.get("portal_votes"):
        votes = (
            Vote.objects.filter(post=OuterRef("pk"))
            .order_by()
            .values("post")
            .annotate(n=Count("pk"))
            .values("n")
        )
        Post.objects.filter(workspace=workspace).update(vote_count=Coalesce(Subquery(votes), 0))
    if summary.counts.get("initiatives"):
        refresh_workspace(workspace.pk)


def _queue_refresh(workspace: Workspace) -> None:
    """Have a worker recompute what synthesis derives and the file leaves out (see schema.py).

    A job rather than done here: it embeds every placed item, which on an installation whose
    embedding cache is empty takes minutes, and a restore should not hold its transaction open
    that long. The job is queued when the restore commits, and never if it fails.
    """
    from problemspace.jobs.services import start_refresh

    start_refresh(workspace.pk)


def _clear_default_guides(workspace: Workspace) -> None:
    """Remove the default guides a workspace gets when someone first opens its interviews.

    Opening a new workspace's interview pages must not make it "not empty"; the file brings the
    guides the original workspace had, defaults included. Guides an interview uses stay, and
    then the workspace is not empty. Undone with the rest when the restore is refused.
    """
    from problemspace.interviews.models import Guide

    Guide.objects.filter(workspace=workspace, is_default=True, interviews__isnull=True).delete()


def _check_empty(workspace: Workspace) -> None:
    # Members are allowed, and so are a member's own things that hang off them (exposure
    # preferences, which the file's replace); everything else that a file brings must be absent.
    held = [
        section.name
        for section in schema.ALL_SECTIONS
        if section.name != "members"
        and section.scope == "workspace"
        and not section.replaces
        and section.model._default_manager.filter(workspace=workspace).exists()
    ]
    if held:
        listed = ", ".join(held[:-1]) + (" and " if len(held) > 1 else "") + held[-1]
        raise RestoreError(
            f"The workspace {workspace.slug!r} is not empty: it already has {listed}. An export"
            " restores only into an empty workspace, so that nothing is mixed up or overwritten;"
            " create a new workspace and restore into that."
        )


class _Restorer:
    def __init__(self, workspace: Workspace, document: Document) -> None:
        self.workspace = workspace
        self.document = document
        # section -> file-local id -> primary key of the row restored from it. Compact, since
        # later sections refer to evidence (idmaps.py).
        self.ids: dict[str, RunMap] = {section: RunMap() for section in schema.SECTIONS}
        self.last_id: dict[str, int] = {}
        self.summary = RestoreSummary()
        # The file's format version, once its header is read.
        self.version = schema.VERSION

    def run(self) -> RestoreSummary:
        document = self.document
        document.open()
        version = self.version = self._header()
        special = {
            "members": self._members,
            "accounts": self._accounts,
            "contacts": self._contacts,
            "tags": self._tags,
            "evidence": self._evidence,
        }
        # A file of an older version lacks the later sections: they restore as empty.
        sections = schema.sections_of(version)
        document.read_as(version, (*schema.HEADER_KEYS, *(s.name for s in sections)))
        for section in sections:
            document.key(section.name)
            items = document.items(section.name)
            if section.name in special:
                special[section.name](items)
            else:
                writer = SectionWriter(
                    section,
                    self.workspace,
                    self.ids,
                    self._local_id,
                    batch_size=BATCH_SIZE,
                    version=version,
                )
                writer.restore(items)
                self.summary.renewed.extend(writer.renewed)
                self.summary.new_secrets.extend(writer.new_secrets)
        document.close()
        self.summary.counts = {section: len(ids) for section, ids in self.ids.items()}
        return self.summary

    def _header(self) -> int:
        """Read the header; returns the file's format version."""
        document = self.document
        document.key("format")
        if document.value("format") != schema.FORMAT:
            raise RestoreError(
                'The file is not a problemspace workspace export: its first key is "format"'
                f' but not "{schema.FORMAT}".'
            )
        document.key("version")
        version = document.value("version")
        if not schema.is_id(version):
            raise RestoreError(f'"version" is {version!r}; it must be a whole number like 1.')
        if version > schema.VERSION:
            raise RestoreError(
                f"The file is in export format version {version}, written by a newer problemspace;"
                f" this one reads version {schema.VERSION}. Upgrade problemspace and try again."
            )
        document.key("exported_at")
        moment = schema.Moment("exported_at", "exported_at")
        moment.load(document.value("exported_at"), "", self.ids)
        document.key("workspace")
        values = schema.load_item(
            schema.WORKSPACE_FIELDS,
            document.value("workspace"),
            "workspace",
            self.ids,
            with_id=False,
        )
        # The name and slug belong to the workspace restored into; its history starts when the
        # original was created.
        self.workspace.created_at = values["created_at"]
        self.workspace.save(update_fields=["created_at"])
        return int(version)

    def _local_id(self, section: str, item: Any, where: str) -> int:
        if not isinstance(item, dict):
            raise RestoreError(f"{where} is not an object; every item of {section} must be one.")
        if "id" not in item:
            raise RestoreError(f'{where} has no "id".')
        value = item["id"]
        if not schema.is_id(value):
            raise RestoreError(f"{where}.id is {value!r}; it must be a whole number above 0.")
        last = self.last_id.get(section, 0)
        if value <= last:
            raise RestoreError(
                f"{where}.id is {value}, not above the id before it ({last}); ids must increase"
                " through each list (an export numbers them 1, 2, 3...)."
            )
        self.last_id[section] = value
        return int(value)

    def _members(self, items: Items) -> None:
        ids = self.ids["members"]
        users = UserMatcher()
        existing = {m.user_id: m.pk for m in Member.objects.filter(workspace=self.workspace)}
        seen: dict[int, str] = {}
        for where, item in items:
            local_id = self._local_id("members", item, where)
            values = schema.load_item(
                schema.MEMBER_FIELDS, item, where, self.ids, version=self.version
            )
            user = users.find_or_create(values, where)
            if user.pk in seen:
                raise RestoreError(
                    f"{where} is the same person as {seen[user.pk]}; a person is a member once."
                )
            seen[user.pk] = where
            if user.pk in existing:
                ids.add(local_id, existing[user.pk])
                continue
            member = Member.objects.create(
                workspace=self.workspace,
                user=user,
                role=values["role"],
                created_at=values["created_at"],
            )
            ids.add(local_id, member.pk)
        self.summary.users_created = users.created

    def _accounts(self, items: Items) -> None:
        seen: dict[str, str] = {}

        def check(values: dict[str, Any], where: str) -> None:
            # The database compares names ignoring case; say so here, with both paths.
            key = values["name"].lower()
            if key in seen:
                raise RestoreError(
                    f"{where}.name is {values['name']!r}, the name of {seen[key]} too; account"
                    " names must differ (ignoring case)."
                )
            seen[key] = where

        self._plain("accounts", Account, items, check)

    def _contacts(self, items: Items) -> None:
        seen: dict[str, str] = {}

        def check(values: dict[str, Any], where: str) -> None:
            if values["email"] is None:
                return
            key = values["email"].lower()
            if key in seen:
                raise RestoreError(
                    f"{where}.email is {values['email']!r}, the email of {seen[key]} too;"
                    " contacts' emails must differ (ignoring case)."
                )
            seen[key] = where

        self._plain("contacts", Contact, items, check)

    def _tags(self, items: Items) -> None:
        seen: dict[str, str] = {}

        def check(values: dict[str, Any], where: str) -> None:
            if values["name"] in seen:
                raise RestoreError(
                    f"{where}.name is {values['name']!r}, like {seen[values['name']]}.name;"
                    " tag names must differ."
                )
            seen[values["name"]] = where

        self._plain("tags", Tag, items, check)

    def _plain(self, section: str, model: type[models.Model], items: Items, check: Any) -> None:
        """Accounts, contacts and tags: rows that only refer to sections before them."""
        fields = schema.FIELDS[section]
        batch: list[tuple[int, str, models.Model]] = []
        for where, item in items:
            local_id = self._local_id(section, item, where)
            values = schema.load_item(fields, item, where, self.ids, version=self.version)
            check(values, where)
            batch.append((local_id, where, model(workspace=self.workspace, **values)))
            if len(batch) == BATCH_SIZE:
                self._insert_plain(section, model, batch)
                batch = []
        if batch:
            self._insert_plain(section, model, batch)

    def _insert_plain(
        self, section: str, model: type[models.Model], batch: list[tuple[int, str, models.Model]]
    ) -> None:
        try:
            with transaction.atomic():
                model._default_manager.bulk_create([row for _, _, row in batch])
        except IntegrityError as exc:
            raise _refused(batch[0][1], batch[-1][1], exc) from None
        ids = self.ids[section]
        for local_id, _, row in batch:
            ids.add(local_id, row.pk)

    def _evidence(self, items: Items) -> None:
        fields = schema.EVIDENCE_FIELDS
        batch: list[tuple[int, str, Evidence, list[int]]] = []
        for where, item in items:
            local_id = self._local_id("evidence", item, where)
            values = schema.load_item(fields, item, where, self.ids, version=self.version)
            if values["relayed_by"] and values["provenance"] != Provenance.RELAYED:
                raise RestoreError(
                    f"{where}.relayed_by is {values['relayed_by']!r} but its provenance is"
                    f' "{values["provenance"]}"; only relayed evidence names who relayed it.'
                )
            _check_score(values, where)
            tags = values.pop("tags")
            batch.append((local_id, where, Evidence(workspace=self.workspace, **values), tags))
            if len(batch) == BATCH_SIZE:
                self._insert_evidence(batch)
                batch = []
        if batch:
            self._insert_evidence(batch)

    def _insert_evidence(self, batch: list[tuple[int, str, Evidence, list[int]]]) -> None:
        try:
            # A savepoint per batch: on PostgreSQL a refused statement spoils the transaction,
            # and _explain_refusal still needs to query it.
            with transaction.atomic():
                Evidence.objects.bulk_create([evidence for _, _, evidence, _ in batch])
                EvidenceTag.objects.bulk_create(
                    EvidenceTag(evidence_id=evidence.pk, tag_id=tag_id)
                    for _, _, evidence, tags in batch
                    for tag_id in tags
                )
        except IntegrityError as exc:
            raise self._explain_refusal(batch, exc) from None
        ids = self.ids["evidence"]
        for local_id, _, evidence, _ in batch:
            ids.add(local_id, evidence.pk)

    def _explain_refusal(
        self, batch: list[tuple[int, str, Evidence, list[int]]], exc: IntegrityError
    ) -> RestoreError:
        """Which item broke the one constraint Python did not check: (source, external_id)."""
        keyed = [(where, e.source, e.external_id) for _, where, e, _ in batch if e.external_id]
        earlier: dict[tuple[str, str], str] = {}
        for where, source, external_id in keyed:
            if (source, external_id) in earlier:
                return _duplicate(where, source, external_id, earlier[(source, external_id)])
            earlier[(source, external_id)] = where
        for where, source, external_id in keyed:
            restored = Evidence.objects.filter(
                workspace=self.workspace, source=source, external_id=external_id
            )
            if restored.exists():
                return _duplicate(where, source, external_id, "an item before it")
        return _refused(batch[0][1], batch[-1][1], exc)


def _check_score(values: dict[str, Any], where: str) -> None:
    """A score comes with its scale and lies within it, as the database's check requires."""
    score, scale = values.get("score"), values.get("score_scale", "")
    if score is None:
        if scale:
            raise RestoreError(
                f'{where}.score_scale is "{scale}" but its score is null; a scale goes with a'
                ' score (use "" without one).'
            )
        return
    if not scale:
        raise RestoreError(
            f"{where}.score is {score:g} but its score_scale is empty; a score needs its scale."
        )
    try:
        read_score(score, scale)
    except ScoreError as exc:
        raise RestoreError(f"{where}.score: {exc.reason}.") from None


def _duplicate(where: str, source: str, external_id: str, other: str) -> RestoreError:
    return RestoreError(
        f"{where} has source {source!r} and external_id {external_id!r}, like {other}; an"
        " external id identifies one item of its source."
    )


def _refused(first: str, last: str, exc: IntegrityError) -> RestoreError:
    return RestoreError(f"The database refused the items {first} to {last}: {exc}.")
