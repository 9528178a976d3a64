"""Inviting contacts into a campaign by email, and sending screened-in people their booking
link. Invitations are rate limited per sender and per workspace, like member invitations."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from problemspace.customers.models import Contact
from problemspace.recruiting.booking_link import booking_url
from problemspace.recruiting.models import Campaign, Candidate, CandidateStatus, Source
from problemspace.web.ratelimit import Limit
from problemspace.workspaces.models import Member

logger = logging.getLogger(__name__)

INVITES_PER_SENDER = Limit("recruiting:invites", capacity=200, per_seconds=60 * 60)
MAX_PER_BATCH = 100
INVITE_SALT = "problemspace.recruiting.invite"


class InviteError(ValueError):
    pass


@dataclass(frozen=True)
class Invited:
    sent: int
    failed: int
    skipped: int


def signup_url(campaign: Campaign, candidate: Candidate | None = None) -> str:
    url = str(settings.SITE_URL).rstrip("/") + reverse(
        "recruiting_public:signup", args=[campaign.token]
    )
    if candidate is not None:
        url += "?" + urlencode({"i": signing.Signer(salt=INVITE_SALT).sign(str(candidate.pk))})
    return url


def invited_candidate(campaign: Campaign, token: str) -> Candidate | None:
    """The invited candidate an invitation link names, to fill in the form for them."""
    try:
        pk = signing.Signer(salt=INVITE_SALT).unsign(token[:200])
    except signing.BadSignature:
        return None
    if not pk.isdigit():
        return None
    return (
        Candidate.objects.select_related("contact__account")
        .filter(pk=int(pk), campaign=campaign)
        .first()
    )


def _send(to: str, template: str, context: dict[str, object], reply_to: str | None = None) -> bool:
    context = {**context, "site_url": str(settings.SITE_URL).rstrip("/")}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send %s to %s", template, to)
        return False
    return True


def invite(sender: Member, campaign: Campaign, contact_ids: list[int]) -> Invited:
    """Invite the chosen contacts: each becomes an invited candidate, gets the sign-up link by
    email, and is marked contacted today. Contacts already in the campaign, without consent
    or without email are skipped; the caller checks the sender is an editor."""
    if not campaign.is_open:
        raise InviteError("The campaign is closed; open it again to invite people.")
    ids = list(dict.fromkeys(contact_ids))[:MAX_PER_BATCH]
    if not ids:
        raise InviteError("Tick the people to invite first.")
    decision = INVITES_PER_SENDER.take(f"{sender.pk}")
    if not decision.allowed:
        raise InviteError(
            f"You sent many invitations in the last hour; try again in "
            f"{decision.retry_minutes} minutes."
        )
    contacts = list(
        Contact.objects.filter(
            workspace_id=campaign.workspace_id, pk__in=ids, research_consent=True
        )
        .exclude(email__isnull=True)
        .exclude(email="")
        .exclude(candidacies__campaign=campaign)
    )
    now = timezone.now()
    made = []
    with transaction.atomic():
        for contact in contacts:
            made.append(
                Candidate.objects.create(
                    workspace_id=campaign.workspace_id,
                    campaign=campaign,
                    contact=contact,
                    segment=contact.account.segment if contact.account else "",
                    status=CandidateStatus.INVITED,
                    source=Source.LIST,
                    invited_at=now,
                    created_at=now,
                )
            )
        Contact.objects.filter(pk__in=[c.pk for c in contacts]).update(
            last_contacted=timezone.localdate(now)
        )
    sent = failed = 0
    for candidate in made:
        context = {
            "campaign": campaign,
            "contact": candidate.contact,
            "sender": sender.display_name,
            "url": signup_url(campaign, candidate),
        }
        ok = _send(
            candidate.contact.email or "",
            "recruiting/email/invitation",
            context,
            reply_to=sender.user.email,
        )
        sent += ok
        failed += not ok
    return Invited(sent=sent, failed=failed, skipped=len(ids) - len(contacts))


def send_booking_link(candidate: Candidate) -> bool:
    """Email a screened-in candidate the link to book their interview."""
    url = booking_url(candidate)
    if url is None or not candidate.contact.email:
        return False
    context = {"campaign": candidate.campaign, "contact": candidate.contact, "url": url}
    return _send(candidate.contact.email, "recruiting/email/booking_link", context)
