"""Sending scheduled briefs by email (HTML, the Markdown as the text part, the PDF attached) and,
where the schedule says so, to the workspace's chat endpoints.

Two ways in, one claim, as booking reminders have: a task queued with `run_after` for the
schedule's next send (the database task backend holds it until then; `problemspace serve` or
`problemspace worker` runs it), and `problemspace brief --send-due` for a cron job, which sends
whatever is due. Either first moves the schedule's `next_run_at` on with a conditional UPDATE
("active, and still due at the moment I read"), so only one of them sends; the BriefSend row,
unique per schedule and due moment, is the second lock. Each send is recorded with its
recipients, and with the error if the mail server refused.

A mail server that refuses is usually down for a while, not for good: the addresses it
refused get the same brief again after RETRY_DELAYS (the same two ways in, the same kind of
claim on the send's `retry_at`), and the schedule's page says when.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from problemspace.briefs import render, services
from problemspace.briefs.models import Brief, BriefSchedule, BriefSend, SendStatus
from problemspace.briefs.period import Period

logger = logging.getLogger(__name__)

# After a refused send, the refused addresses are tried again after each of these in turn.
RETRY_DELAYS = (timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4))


def claim(schedule_id: int, now: datetime) -> tuple[BriefSchedule, datetime] | None:
    """Take the schedule's due send, if it is due and nobody took it: (schedule, due moment)."""
    schedule = (
        BriefSchedule.objects.select_related("workspace")
        .filter(pk=schedule_id, active=True, next_run_at__lte=now)
        .first()
    )
    if schedule is None or schedule.next_run_at is None:
        return None
    due = schedule.next_run_at
    following = services.next_run(schedule.weekday, schedule.time_of_day, max(due, now))
    taken = BriefSchedule.objects.filter(pk=schedule_id, active=True, next_run_at=due).update(
        next_run_at=following
    )
    if not taken:
        return None
    schedule.next_run_at = following
    return schedule, due


def send_schedule(schedule_id: int, now: datetime | None = None) -> BriefSend | None:
    """Send the schedule's brief if it is due and nobody has; the record of the send, or None."""
    now = now or timezone.now()
    claimed = claim(schedule_id, now)
    if claimed is None:
        return None
    schedule, due = claimed
    try:
        with transaction.atomic():
            record = BriefSend.objects.create(
                workspace=schedule.workspace, schedule=schedule, due_at=due, started_at=now
            )
    except IntegrityError:
        return None
    # Queued only once the claim is in: the next send, whatever happens to this one.
    queue(schedule.pk, schedule.next_run_at)
    try:
        brief = services.generate(
            schedule.workspace,
            schedule.audience,
            Period.last_days(schedule.period_days, now),
            schedule=schedule,
            now=now,
        )
        record.brief = brief
        deliver(record, brief, services.recipients(schedule))
        if schedule.post_to_chat:
            services.publish(brief)
            record.posted_to_chat = True
    except Exception as exc:
        # Recorded for the schedule's page; the next send is already planned.
        logger.exception("Could not send brief schedule %s", schedule.pk)
        record.status = SendStatus.FAILED
        record.error = record.error or f"{type(exc).__name__}: {exc}"
    record.finished_at = timezone.now()
    _plan_retry(record, now)
    record.save()
    return record


def _plan_retry(record: BriefSend, now: datetime) -> None:
    """Plan the next try for the refused addresses, while tries are left."""
    if record.brief_id is None or not record.failed_recipients:
        record.retry_at = None
        return
    if record.attempts > len(RETRY_DELAYS):
        record.retry_at = None
        record.error = f"{record.error} Gave up after {record.attempts} tries.".strip()
        return
    record.retry_at = now + RETRY_DELAYS[record.attempts - 1]
    queue_retry(record.pk, record.retry_at)


def retry_send(record_id: int, now: datetime | None = None) -> BriefSend | None:
    """Send the brief again to the addresses refused before, if that is due and nobody has."""
    now = now or timezone.now()
    taken = BriefSend.objects.filter(
        pk=record_id, retry_at__isnull=False, retry_at__lte=now
    ).update(retry_at=None, attempts=F("attempts") + 1)
    if not taken:
        return None
    record = BriefSend.objects.select_related("brief__workspace", "brief__schedule").get(
        pk=record_id
    )
    if record.brief is None:  # deleted since
        return record
    delivered_before, refused = list(record.recipients), list(record.failed_recipients)
    record.error = ""
    deliver(record, record.brief, refused)
    record.recipients = delivered_before + record.recipients
    record.status = SendStatus.SENT if record.recipients else SendStatus.FAILED
    record.finished_at = timezone.now()
    _plan_retry(record, now)
    record.save()
    return record


def deliver(record: BriefSend, brief: Brief, addresses: list[str]) -> None:
    """Email `brief` to each address (one message each, so nobody sees the others), with the
    PDF attached; the outcome goes on `record`."""
    content = brief.content
    try:
        attachment: bytes | None = render.pdf(content)
    except render.RenderError as exc:
        # The brief still goes out, in the message; the record says why the PDF is missing.
        attachment = None
        record.error = f"Sent without the PDF: {exc}"
    name = render.filename(content, "pdf")
    url = services.brief_url(brief)
    schedule = brief.schedule
    note = (
        f"{schedule.describe()} — the {brief.get_audience_display().lower()} brief of "
        f"{brief.workspace.name}. The PDF is attached; the brief is also at {url}."
        if schedule is not None
        else f"The brief is also at {url}."
    )
    html = render.document_html(content, note=note)
    text = render_to_string(
        "briefs/email/brief.txt", {"note": note, "markdown": render.markdown(content)}
    )
    sent, failed = [], []
    for address in addresses:
        message = EmailMultiAlternatives(
            subject=f"{brief.title} · {brief.workspace.name}",
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        )
        message.attach_alternative(html, "text/html")
        if attachment is not None:
            message.attach(name, attachment, render.PDF_MEDIA_TYPE)
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning("Could not send brief %s to %s: %s", brief.pk, address, exc)
            failed.append(address)
            record.error = f"Could not send to {address}: {exc}"
        else:
            sent.append(address)
    record.recipients = sent
    record.failed_recipients = failed
    record.status = SendStatus.SENT if sent or not failed else SendStatus.FAILED
    if not addresses:
        record.error = "The schedule has no recipient with an email address."
        record.status = SendStatus.FAILED


def send_due(now: datetime | None = None) -> list[BriefSend]:
    """Send every schedule that is due, and every retry (all workspaces); the sends made."""
    now = now or timezone.now()
    due = BriefSchedule.objects.filter(active=True, next_run_at__lte=now).values_list(
        "pk", flat=True
    )
    made = [send_schedule(pk, now) for pk in list(due)]
    retries = BriefSend.objects.filter(retry_at__lte=now).values_list("pk", flat=True)
    made += [retry_send(pk, now) for pk in list(retries)]
    return [record for record in made if record is not None]


@task()
def send_schedule_task(schedule_id: int) -> None:
    close_old_connections()
    send_schedule(schedule_id)


@task()
def retry_send_task(record_id: int) -> None:
    close_old_connections()
    retry_send(record_id)


def queue_retry(record_id: int, moment: datetime) -> None:
    """Have the worker try the refused addresses again at `moment`."""
    try:
        retry_send_task.using(run_after=moment).enqueue(record_id)
    except Exception:
        # `problemspace brief --send-due` sends it instead.
        logger.exception("Could not queue the retry of brief send %s", record_id)


def queue(schedule_id: int, moment: datetime | None) -> None:
    """Have the worker look at the schedule at `moment`. A task for a schedule changed since
    finds nothing due at its moment (the claim reads the schedule as it is then)."""
    if moment is None:
        return
    try:
        send_schedule_task.using(run_after=moment).enqueue(schedule_id)
    except Exception:
        # The schedule stands without its queued task; `problemspace brief --send-due` sends it.
        logger.exception("Could not queue brief schedule %s", schedule_id)
