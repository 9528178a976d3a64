"""Sending deliveries in the background worker: claim, POST, then record, retry or give up.

Each attempt claims its delivery with a conditional UPDATE (pending, due, and not claimed by
anyone else: claiming moves `next_attempt_at` past the request's timeout), so a delivery queued
twice, or swept by `problemspace webhooks --send-due` while the worker has it, is sent once.
A failed attempt queues the next with `run_after` on an exponential schedule; after
MAX_ATTEMPTS the delivery is failed, and an endpoint whose deliveries keep failing is turned off
with a notice on the integrations page and an email to the workspace's owners.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import close_old_connections, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from problemspace.integrations import events, sending, signing
from problemspace.integrations.models import Delivery, Endpoint, Status
from problemspace.workspaces.models import Member, Role

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Waits after attempts 1..4: 1, 4, 16 and 48 minutes — about 70 minutes from first to last.
FIRST_RETRY_SECONDS = 60
BACKOFF_FACTOR = 4
MAX_WAIT_SECONDS = 48 * 60
# Given-up deliveries in a row after which an endpoint is turned off.
DISABLE_AFTER_FAILURES = 5
# A claimed delivery is left alone this long: well past the request's timeout.
CLAIM_SECONDS = 120


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after `attempts` failed attempts."""
    seconds = FIRST_RETRY_SECONDS * BACKOFF_FACTOR ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, MAX_WAIT_SECONDS))


def encode(payload: object) -> bytes:
    """The exact bytes sent, and signed."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def deliver(delivery_id: int, now: datetime | None = None) -> bool:
    """Make one attempt at delivery `delivery_id` if it is due and unclaimed; True if tried."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now
    ).update(
        attempts=F("attempts") + 1,
        last_attempt_at=now,
        next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS),
    )
    if not claimed:
        return False
    delivery = Delivery.objects.select_related("endpoint__workspace").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active and delivery.event != events.TEST:
        _finish(delivery, Status.FAILED, error="Not sent: the endpoint is turned off.")
        return True
    body = encode(delivery.payload)
    headers = {
        signing.SIGNATURE_HEADER: signing.signature_header(endpoint.secret, int(time.time()), body),
        signing.ID_HEADER: str(delivery.uid),
        signing.EVENT_HEADER: delivery.event,
    }
    outcome = sending.post(endpoint.url, body, headers, float(settings.WEBHOOKS_TIMEOUT))
    fields = {
        "response_code": outcome.status,
        "response_excerpt": outcome.excerpt,
        "duration_ms": outcome.duration_ms,
    }
    if outcome.ok:
        _finish(delivery, Status.DELIVERED, delivered_at=timezone.now(), error="", **fields)
        Endpoint.objects.filter(pk=endpoint.pk, failures_in_a_row__gt=0).update(failures_in_a_row=0)
    elif delivery.attempts >= MAX_ATTEMPTS:
        _finish(delivery, Status.FAILED, error=outcome.error, **fields)
        _count_failure(endpoint, outcome.error)
    else:
        moment = now + retry_delay(delivery.attempts)
        Delivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=moment, error=outcome.error, **fields
        )
        schedule(delivery.pk, moment)
    return True


def _finish(delivery: Delivery, status: str, **fields: object) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(status=status, next_attempt_at=None, **fields)


def _count_failure(endpoint: Endpoint, error: str) -> None:
    Endpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=F("failures_in_a_row") + 1)
    with transaction.atomic():
        # Turned off by one worker only, even when several give up at once.
        turned_off = Endpoint.objects.filter(
            pk=endpoint.pk, active=True, failures_in_a_row__gte=DISABLE_AFTER_FAILURES
        ).update(
            active=False,
            disabled_at=timezone.now(),
            disabled_reason=(
                f"Turned off after {DISABLE_AFTER_FAILURES} deliveries in a row failed "
                f"({MAX_ATTEMPTS} attempts each). Last error: {error}"
            )[:400],
        )
    if turned_off:
        _tell_owners(endpoint, error)


def _tell_owners(endpoint: Endpoint, error: str) -> None:
    workspace = endpoint.workspace
    owners = Member.objects.filter(workspace=workspace, role=Role.OWNER).select_related("user")
    recipients = [m.user.email for m in owners if m.user.email]
    if not recipients:
        return
    page = settings.SITE_URL.rstrip("/") + reverse("integrations:index", args=[workspace.slug])
    try:
        send_mail(
            f"[{workspace.name}] Webhook endpoint “{endpoint.name}” was turned off",
            f"Deliveries to {endpoint.url} failed {DISABLE_AFTER_FAILURES} times in a row, "
            f"{MAX_ATTEMPTS} attempts each, so problemspace stopped sending to it.\n\n"
            f"Last error: {error}\n\n"
            f"Fix the receiver, then turn the endpoint back on and redeliver what it missed: "
            f"{page}\n",
            None,
            recipients,
        )
    except Exception:
        logger.exception("Could not email the owners about endpoint %s", endpoint.pk)


def schedule(delivery_id: int, moment: datetime) -> None:
    """Queue the next attempt at `moment`. If queuing fails the row stays pending and due,
    and the next `problemspace webhooks --send-due` sends it."""
    try:
        deliver_task.using(run_after=moment).enqueue(delivery_id)
    except Exception:
        logger.exception("Could not queue the next attempt of webhook delivery %s", delivery_id)


def send_due(now: datetime | None = None, workspace_id: int | None = None) -> int:
    """Attempt every due delivery (for cron, or after the worker was down); how many tried."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    if workspace_id is not None:
        due = due.filter(workspace_id=workspace_id)
    return sum(deliver(pk, now) for pk in list(due.values_list("pk", flat=True)))


@task()
def deliver_task(delivery_id: int) -> None:
    close_old_connections()
    deliver(delivery_id)
