"""Restoring a section that needs nothing beyond its table in schema.py.

Members, accounts, contacts, tags and evidence have rules of their own (restore.py); every
later section is restored here from its declaration alone: items checked field by field and by
the section's checks, written in batches with their many-to-many links, and a refusal by the
database explained by the section's unique values, naming both items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction

from problemspace.transfer import schema
from problemspace.transfer.errors import RestoreError
from problemspace.transfer.idmaps import RunMap
from problemspace.workspaces.models import Workspace

# Interview transcripts run to a million characters: a batch is also cut by the characters it
# holds, so two thousand long interviews never sit in memory at once.
BATCH_CHARS = 8_000_000


@dataclass(slots=True)
class _Row:
    local_id: int
    where: str
    values: dict[str, Any]
    # Refs attr -> the primary keys it lists, written to the many-to-many table.
    links: dict[str, list[int]]


class SectionWriter:
    def __init__(
        self,
        section: schema.Section,
        workspace: Workspace,
        ids: Mapping[str, RunMap],
        local_id: Callable[[str, Any, str], int],
        *,
        batch_size: int,
        version: int = schema.VERSION,
    ) -> None:
        self.section = section
        # The file's format version: keys added later are not expected in its items.
        self.version = version
        self.model: type[models.Model] = section.model
        self.workspace = workspace
        self.ids = ids
        self.local_id = local_id
        self.batch_size = batch_size
        self.links = [f for f in section.fields if isinstance(f, schema.Refs)]
        self.self_refs = [f for f in section.fields if isinstance(f, schema.SelfRef)]
        self.in_workspace = any(f.name == "workspace" for f in self.model._meta.concrete_fields)
        # Sentences for the person restoring: what got a new token or UID, and why.
        self.renewed: list[str] = []
        # Sentences for the person restoring: what got a new secret, which the file never holds.
        self.new_secrets: list[str] = []
        # (where, field, file-local id of the row, file-local id it refers to): references
        # within the section, set once all of it is in.
        self._pending: list[tuple[str, schema.SelfRef, int, int]] = []

    def restore(self, items: Iterator[tuple[str, Any]]) -> None:
        if self.section.replaces:
            self._rows().delete()
        batch: list[_Row] = []
        chars = 0
        for where, item in items:
            local_id = self.local_id(self.section.name, item, where)
            values = schema.load_item(
                self.section.fields, item, where, self.ids, version=self.version
            )
            for check in self.section.checks:
                check(values, where)
            links = {link.attr: values.pop(link.attr) for link in self.links}
            for ref in self.self_refs:
                if values[ref.attr] is not None:
                    self._pending.append((where, ref, local_id, values[ref.attr]))
                values[ref.attr] = None
            batch.append(_Row(local_id, where, values, links))
            chars += sum(len(value) for value in values.values() if isinstance(value, str))
            if len(batch) >= self.batch_size or chars >= BATCH_CHARS:
                self._insert(batch)
                batch, chars = [], 0
        if batch:
            self._insert(batch)
        self._link_within()

    def _link_within(self) -> None:
        ids = self.ids[self.section.name]
        updates: dict[str, list[models.Model]] = {ref.attr: [] for ref in self.self_refs}
        for where, ref, local_id, target in self._pending:
            pk = ids.get(target)
            if pk is None:
                raise RestoreError(
                    f"{where}.{ref.key} refers to {self.section.singular} {target}, which the"
                    " file does not define."
                )
            updates[ref.attr].append(self.model(pk=ids[local_id], **{ref.attr: pk}))
        for attr, objects in updates.items():
            self.model._default_manager.bulk_update(objects, [attr], batch_size=self.batch_size)

    def _rows(self) -> models.QuerySet[Any]:
        return self.model._default_manager.filter(**{self.section.scope: self.workspace})

    def _insert(self, batch: list[_Row]) -> None:
        self._renew(batch)
        extra = {"workspace": self.workspace} if self.in_workspace else {}
        objects = [self.model(**extra, **row.values) for row in batch]
        try:
            # A savepoint per batch: on PostgreSQL a refused statement spoils the transaction,
            # and _explain still needs to query it.
            with transaction.atomic():
                self.model._default_manager.bulk_create(objects)
                for link in self.links:
                    assert link.through is not None
                    link.through._default_manager.bulk_create(
                        link.through(**{link.owner: obj.pk, link.target: target})
                        for obj, row in zip(objects, batch, strict=True)
                        for target in row.links[link.attr]
                    )
        except IntegrityError as exc:
            raise self._explain(batch, exc) from None
        ids = self.ids[self.section.name]
        for obj, row in zip(objects, batch, strict=True):
            assert obj.pk is not None
            ids.add(row.local_id, obj.pk)
            self.new_secrets.extend(
                f"{row.where} ({self.section.singular}) got a new {attr}: the file never holds"
                " one; give it to the receiving end."
                for attr in self.section.secrets
            )

    def _renew(self, batch: list[_Row]) -> None:
        """Give a fresh value to each installation-wide unique value another workspace holds."""
        for attr, make in self.section.renew:
            wanted = [row.values[attr] for row in batch]
            holders = dict(
                self.model._default_manager.filter(**{f"{attr}__in": wanted}).values_list(
                    attr, self.section.scope
                )
            )
            for row in batch:
                holder = holders.get(row.values[attr])
                if holder is None:
                    continue
                if holder == self.workspace.pk:
                    raise RestoreError(
                        f"{row.where}.{attr} is the {attr} of an item before it;"
                        f" {self._reason(attr)}."
                    )
                row.values[attr] = make()
                self.renewed.append(
                    f"{row.where} ({self.section.singular}) got a new {attr}: another workspace"
                    f" here already uses the file's, so links or invites made with it lead there."
                )

    def _reason(self, attr: str) -> str:
        for unique in self.section.unique:
            if unique.attrs == (attr,):
                return unique.reason
        return f"each {self.section.singular} has its own"

    def _explain(self, batch: list[_Row], exc: IntegrityError) -> RestoreError:
        """Which item broke which unique rule; the database's own words when none did."""
        for unique in self.section.unique:
            named = " and ".join(name.removesuffix("_id") for name in unique.attrs)
            keyed = [(row, key) for row in batch if (key := _key(unique, row.values))]
            earlier: dict[tuple[Any, ...], str] = {}
            for row, key in keyed:
                if key in earlier:
                    return RestoreError(
                        f"{row.where} has the same {named} as {earlier[key]}; {unique.reason}."
                    )
                earlier[key] = row.where
            for row, key in keyed:
                lookup = dict(zip(unique.attrs, key, strict=True))
                if self._rows().filter(**lookup, **unique.when).exists():
                    return RestoreError(
                        f"{row.where} has the same {named} as an item before it; {unique.reason}."
                    )
        return RestoreError(
            f"The database refused the items {batch[0].where} to {batch[-1].where}: {exc}."
        )


def _key(unique: schema.Unique, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
    if any(values.get(attr) != wanted for attr, wanted in unique.when.items()):
        return None
    key = tuple(values[attr] for attr in unique.attrs)
    return None if None in key else key
