"""Ids and member choices typed by a person (a form field, an API body), turned into the
workspace's own objects, with a message that names what is wrong.

Each app reports such mistakes with its own error type (a message and the field it belongs
to), so each passes the function that makes one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models

from problemspace.lib.ids import MAX_KEY
from problemspace.workspaces.models import Member

FieldError = Callable[[str, str], Exception]
M = TypeVar("M", bound=models.Model)


def parse_ids(
    values: Iterable[Any], *, field: str, plural: str, limit: int, error: FieldError
) -> list[int]:
    """Distinct ids in the order given; refused when not numbers or too many."""
    try:
        ids = list(dict.fromkeys(int(v) for v in values))
    except (TypeError, ValueError):
        raise error(f"Give {plural} as numbers (their ids).", field) from None
    if len(ids) > limit:
        raise error(f"Link at most {limit} {plural} at a time.", field)
    return ids


def objects_in(
    workspace_id: int,
    model: type[M],
    values: Iterable[Any],
    *,
    field: str,
    plural: str,
    singular: str,
    limit: int,
    error: FieldError,
) -> list[M]:
    """The workspace's objects of `model` with these ids, in the order given; one that is not
    the workspace's is named in the message, whoever else's it may be."""
    ids = parse_ids(values, field=field, plural=plural, limit=limit, error=error)
    wanted = [pk for pk in ids if 0 < pk <= MAX_KEY]
    found = {
        o.pk: o for o in model._default_manager.filter(workspace_id=workspace_id, pk__in=wanted)
    }
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise error(
            f"There is no {singular} #{missing[0]} in this workspace; choose among its {plural}.",
            field,
        )
    return [found[pk] for pk in ids]


def member_in(
    workspace_id: int, chosen: Member | int | str | None, *, error: FieldError
) -> Member | None:
    """The member chosen (as an owner, say), or None when nobody is; someone who is not a
    member of the workspace is refused."""
    if chosen is None or chosen == "" or chosen == 0:
        return None
    pk = chosen.pk if isinstance(chosen, Member) else chosen
    found = (
        Member.objects.select_related("user").filter(workspace_id=workspace_id, pk=pk).first()
        if str(pk).isdigit() and int(pk) <= MAX_KEY
        else None
    )
    if found is None:
        raise error("Choose the owner among the members of this workspace.", "owner")
    return found


def members_by_email(workspace_id: int) -> dict[str, Member]:
    """The workspace's members by their sign-in address, lowercase: who is the team when an
    export or an email names someone."""
    return {
        member.user.email.lower(): member
        for member in Member.objects.filter(workspace_id=workspace_id).select_related("user")
        if member.user.email
    }
