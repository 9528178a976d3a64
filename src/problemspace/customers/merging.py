"""Merging two accounts, or two contacts, that are one customer told apart ("Granite Peak" and
"Granite Peak Construction"; a person under two addresses).

Everything that points to the one merged away points to the one kept: evidence, contacts,
interviews, recruiting candidacies, portal posts, votes and opt-outs, found from the model's
relations so a relation added later is not forgotten. Where the kept one already has a row the
other's would duplicate (both voted for a post, both are candidates of a campaign), the kept
one's row stays. What the kept one leaves blank is filled from the other. All in one
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db import models, transaction

from problemspace.customers.models import Account, Contact

M = TypeVar("M", bound=models.Model)


class MergeError(ValueError):
    """A merge that cannot be made; the message says why."""


@dataclass(frozen=True)
class Merged:
    kept: str
    merged: str
    moved: int  # rows that now point to the kept one


ACCOUNT_FIELDS = ("segment", "plan", "revenue", "region", "lifecycle")
CONTACT_FIELDS = ("name", "role", "account", "last_contacted")


def merge_accounts(keep: Account, other: Account) -> Merged:
    _check(keep, other)
    with transaction.atomic():
        keep, other = _locked(Account, keep, other)
        moved = _repoint(other, keep)
        _fill_blanks(keep, other, ACCOUNT_FIELDS)
        name = other.name
        other.delete()
        keep.save()
    return Merged(keep.name, name, moved)


def merge_contacts(keep: Contact, other: Contact) -> Merged:
    _check(keep, other)
    with transaction.atomic():
        keep, other = _locked(Contact, keep, other)
        moved = _repoint(other, keep)
        _fill_blanks(keep, other, CONTACT_FIELDS)
        keep.research_consent = keep.research_consent or other.research_consent
        label, email = str(other), other.email
        other.delete()
        if not keep.email and email:
            keep.email = email  # free now that the other row is gone
        keep.save()
    return Merged(str(keep), label, moved)


def _check(keep: models.Model, other: models.Model) -> None:
    if keep.pk == other.pk:
        raise MergeError("Choose another one to merge: a record cannot be merged with itself.")
    if keep.workspace_id != other.workspace_id:  # type: ignore[attr-defined]
        raise MergeError("Only records of the same workspace can be merged.")


def _locked(model: type[M], keep: M, other: M) -> tuple[M, M]:
    rows = {
        row.pk: row
        for row in model._default_manager.select_for_update().filter(pk__in=[keep.pk, other.pk])
    }
    if len(rows) != 2:
        raise MergeError("One of the two was deleted meanwhile; reload the page.")
    return rows[keep.pk], rows[other.pk]


def _repoint(other: models.Model, keep: models.Model) -> int:
    moved = 0
    for relation in type(other)._meta.related_objects:
        related = relation.related_model
        assert isinstance(related, type) and issubclass(related, models.Model)
        if relation.many_to_many:
            accessor = relation.get_accessor_name()
            assert accessor is not None
            rows = list(getattr(other, accessor).all())
            getattr(keep, accessor).add(*rows)
            getattr(other, accessor).clear()
            moved += len(rows)
            continue
        name = relation.field.name
        _drop_duplicates(related, name, other, keep)
        moved += related._default_manager.filter(**{name: other}).update(**{name: keep})
    return moved


def _drop_duplicates(
    related: type[models.Model], name: str, other: models.Model, keep: models.Model
) -> None:
    """Delete the other's rows that, moved, would repeat a row the kept one has under a
    unique constraint on this relation (one vote per post and contact)."""
    for constraint in related._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if not isinstance(constraint, models.UniqueConstraint) or name not in fields:
            continue
        rest = [field for field in fields if field != name]
        kept_rows = related._default_manager.filter(**{name: keep})
        if constraint.condition is not None:
            kept_rows = kept_rows.filter(constraint.condition)
        if not rest:
            if kept_rows.exists():
                clash = related._default_manager.filter(**{name: other})
                if constraint.condition is not None:
                    clash = clash.filter(constraint.condition)
                clash.delete()
            continue
        for values in kept_rows.values(*rest):
            related._default_manager.filter(**{name: other}, **values).delete()


def _fill_blanks(keep: models.Model, other: models.Model, fields: tuple[str, ...]) -> None:
    for field in fields:
        if getattr(keep, field) in (None, "") and getattr(other, field) not in (None, ""):
            setattr(keep, field, getattr(other, field))
