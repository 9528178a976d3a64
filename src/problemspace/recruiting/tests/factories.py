"""Campaigns, screeners and contacts for recruiting tests."""

from __future__ import annotations

from datetime import date

from problemspace.booking.models import Availability, Purpose
from problemspace.booking.tests.factories import availability
from problemspace.customers.models import Account, Contact
from problemspace.recruiting.models import (
    Campaign,
    CampaignQuota,
    QuestionKind,
    ScreenerQuestion,
)
from problemspace.workspaces.models import Member, Workspace


def interview_schedule(member: Member) -> Availability:
    return availability(member, purpose=Purpose.INTERVIEW, title="Customer interviews")


def campaign(
    workspace: Workspace,
    *,
    schedule: Availability | None = None,
    quotas: dict[str, int] | None = None,
    name: str = "Month-end close",
) -> Campaign:
    """A campaign whose screener asks how they close the books (qualifying: spreadsheets),
    what tools they use (qualifying: Excel), and a free-text question (information)."""
    made = Campaign.objects.create(
        workspace=workspace,
        name=name,
        goal="Learn how finance teams close the month",
        availability=schedule,
    )
    for segment, quota in (quotas if quotas is not None else {"SMB": 2, "Enterprise": 1}).items():
        CampaignQuota.objects.create(campaign=made, segment=segment, quota=quota)
    ScreenerQuestion.objects.create(
        campaign=made,
        position=1,
        text="How do you close the month?",
        kind=QuestionKind.SINGLE,
        choices=["Spreadsheets", "Our ERP", "An accountant does it"],
        qualifying=["Spreadsheets"],
    )
    ScreenerQuestion.objects.create(
        campaign=made,
        position=2,
        text="Which tools do you use?",
        kind=QuestionKind.MULTI,
        choices=["Excel", "Google Sheets", "QuickBooks"],
        qualifying=["Excel", "Google Sheets"],
    )
    ScreenerQuestion.objects.create(
        campaign=made, position=3, text="What is hardest about it?", kind=QuestionKind.TEXT
    )
    return made


def answers(made: Campaign, *, qualifying: bool = True) -> dict[str, object]:
    single, multi, text = made.questions.all()
    return {
        f"q{single.pk}": "Spreadsheets" if qualifying else "Our ERP",
        f"q{multi.pk}": ["Excel", "QuickBooks"] if qualifying else ["QuickBooks"],
        f"q{text.pk}": "Chasing receipts",
    }


def contact(
    workspace: Workspace,
    email: str,
    *,
    account: Account | None = None,
    consent: bool = True,
    last_contacted: date | None = None,
    name: str = "",
) -> Contact:
    return Contact.objects.create(
        workspace=workspace,
        email=email,
        name=name or email.split("@")[0].title(),
        account=account,
        research_consent=consent,
        last_contacted=last_contacted,
    )
