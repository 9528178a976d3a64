"""The portal listens to other apps: a problem marked solved tells the people of the posts
linked to it (problems.edits.set_status saves the status with update_fields)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from problemspace.portal import notify
from problemspace.portal.models import Post, Vote
from problemspace.problems.models import Problem, Status


@receiver(post_save, sender=Problem)
def _problem_saved(
    sender: Any, instance: Problem, update_fields: Any = None, **kwargs: Any
) -> None:
    if instance.status != Status.SOLVED:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    # Announced once per post and problem (Notice.key), however often it is saved as solved.
    notify.problem_solved(instance)


@receiver(post_delete, sender=Vote)
def _vote_deleted(sender: Any, instance: Vote, **kwargs: Any) -> None:
    """A vote gone (two contacts merged into one who had voted for the post twice): the post's
    count follows the votes it has."""
    Post.objects.filter(pk=instance.post_id).update(
        vote_count=Vote.objects.filter(post_id=instance.post_id).count()
    )


def _initiative_saved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """An initiative of the roadmap moved to shipped: tell the people of the posts linked to
    the problems it solves. Connected by name, so the portal works without the roadmap."""
    if getattr(instance, "status", None) != "shipped":
        return
    if update_fields is not None and "status" not in update_fields:
        return
    for problem in instance.problems.all():
        notify.notify_shipped(problem, instance.title, key=f"initiative:{instance.pk}")


def connect_roadmap() -> None:
    """Listen to the roadmap's initiatives, where the roadmap app is installed."""
    from django.apps import apps

    if apps.is_installed("problemspace.roadmap"):
        post_save.connect(
            _initiative_saved,
            sender="roadmap.Initiative",
            dispatch_uid="portal.initiative_shipped",
        )
