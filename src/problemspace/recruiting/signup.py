"""The public sign-up: a person answers a campaign's screener and is screened in or out.

They are matched to a contact by email (made when there is none) and to an account by company
name, whatever its case (made when there is none). The campaign's row is locked while the
quota is counted, so two people signing up at once cannot both take a segment's last place.

A sign-up beyond a segment's full quota is screened out, and told kindly that the round has
heard from enough people like them; their answers are kept, so the PM can still invite them
by hand (set them to screened in) or in a later round. We chose this over a waiting list:
a waiting list promises a call that most people on it would never get.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from problemspace.customers.matching import match_contact
from problemspace.customers.models import Contact
from problemspace.recruiting.models import (
    QUOTA_STATUSES,
    Campaign,
    Candidate,
    CandidateStatus,
    Source,
)
from problemspace.recruiting.screening import Answer, answer_key, check_answers, screen

logger = logging.getLogger(__name__)

OTHER_SEGMENT = ""


class Outcome(Enum):
    SCREENED_IN = "in"
    SCREENED_OUT = "out"
    QUOTA_FULL = "full"
    ALREADY = "already"
    CLOSED = "closed"


@dataclass(frozen=True)
class SignUp:
    name: str
    email: str
    company: str
    role: str
    segment: str
    answers: dict[str, Answer]
    consent: bool


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    candidate: Candidate | None


class SignUpError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def _check(campaign: Campaign, data: SignUp) -> tuple[dict[str, Answer], dict[str, str]]:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "Tell us your name."
    elif len(data.name) > 200:
        errors["name"] = "Keep your name under 200 characters."
    try:
        validate_email(data.email.strip())
    except ValidationError:
        errors["email"] = "That is not an email address; we write to you there, so check it."
    if len(data.company) > 200:
        errors["company"] = "Keep the company name under 200 characters."
    if len(data.role) > 120:
        errors["role"] = "Keep your role under 120 characters."
    targets = [q.segment for q in campaign.quotas.all()]
    if targets and data.segment not in [*targets, OTHER_SEGMENT]:
        errors["segment"] = "Choose one of the descriptions listed."
    if not data.consent:
        errors["consent"] = "We can only contact you about this research if you agree to it."
    answers, answer_errors = check_answers(campaign.questions.all(), data.answers)
    errors.update(answer_errors)
    return answers, errors


def _contact(campaign: Campaign, data: SignUp) -> Contact:
    contact = match_contact(
        campaign.workspace_id,
        data.email,
        name=data.name,
        company=data.company,
        role=data.role,
        segment=data.segment,
    )
    # Signing up is asking to take part: they agreed to research contact on the form.
    contact.research_consent = True
    contact.last_contacted = timezone.localdate()
    contact.save(update_fields=["research_consent", "last_contacted"])
    return contact


def sign_up(campaign: Campaign, data: SignUp) -> Result:
    answers, errors = _check(campaign, data)
    if errors:
        raise SignUpError(errors)
    questions = {answer_key(q): q for q in campaign.questions.all()}
    targets = [q.segment for q in campaign.quotas.all()]
    now = timezone.now()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not locked.is_open:
            return Result(Outcome.CLOSED, None)
        contact = _contact(campaign, data)
        account = contact.account
        segment = (account.segment if account and account.segment else data.segment)[:80]
        candidate = Candidate.objects.filter(campaign=campaign, contact=contact).first()
        if candidate is not None and candidate.status != CandidateStatus.INVITED:
            return Result(Outcome.ALREADY, candidate)
        if candidate is None:
            candidate = Candidate(
                workspace_id=campaign.workspace_id,
                campaign=campaign,
                contact=contact,
                source=Source.SIGN_UP,
                created_at=now,
            )
        verdict = screen(questions.values(), answers, segment=segment, targets=targets)
        outcome = Outcome.SCREENED_IN if verdict.screened_in else Outcome.SCREENED_OUT
        note = verdict.note
        quota = next((q.quota for q in campaign.quotas.all() if q.segment == segment), None)
        if verdict.screened_in and quota is not None:
            filled = Candidate.objects.filter(
                campaign=campaign, segment=segment, status__in=QUOTA_STATUSES
            ).count()
            if filled >= quota:
                outcome = Outcome.QUOTA_FULL
                note = f"qualified, but the {segment} quota ({quota}) was full"
        candidate.segment = segment
        candidate.answers = {
            key: {"question": questions[key].text, "answer": value}
            for key, value in answers.items()
        }
        candidate.status = (
            CandidateStatus.SCREENED_IN
            if outcome == Outcome.SCREENED_IN
            else CandidateStatus.SCREENED_OUT
        )
        candidate.screening_note = note[:300]
        candidate.screened_at = now
        candidate.save()
    return Result(outcome, candidate)
