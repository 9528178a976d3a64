"""Forms for the members' recruiting pages; checks needing the database are in campaigns.py."""

from __future__ import annotations

from typing import Any

from django import forms

from problemspace.booking.models import Availability
from problemspace.interviews.models import Kind as InterviewKind
from problemspace.recruiting.campaigns import (
    CampaignError,
    CampaignInput,
    QuestionInput,
    lines,
    parse_quotas,
)
from problemspace.recruiting.models import CandidateStatus, QuestionKind


class ErrorsMixin:
    def put(self, error: CampaignError) -> None:
        for field, message in error.errors.items():
            target = field if field in self.fields else None  # type: ignore[attr-defined]
            self.add_error(target, message)  # type: ignore[attr-defined]


class CampaignForm(ErrorsMixin, forms.Form):
    name = forms.CharField(max_length=160)
    goal = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the team wants to learn; becomes the goal of the interviews booked.",
    )
    interview_kind = forms.ChoiceField(choices=InterviewKind.choices, label="Interview kind")
    public_intro = forms.CharField(
        required=False,
        max_length=2000,
        label="Introduction on the sign-up page",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In the customer's words: what you would talk about, how long, what they get.",
    )
    quotas = forms.CharField(
        required=False,
        label="Target segments and quotas",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "SMB: 5\nMid-market: 5"}),
        help_text="One “segment: number” per line. Leave empty to take anyone.",
    )
    availability = forms.ChoiceField(
        required=False,
        label="Interview schedule",
        help_text="Whose calendar screened-in candidates book.",
    )
    is_open = forms.BooleanField(required=False, initial=True, label="Open for sign-ups")

    def __init__(self, *args: Any, schedules: list[Availability], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["availability"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "None yet")] + [
            (str(a.pk), f"{a.title} ({a.member.display_name})") for a in schedules
        ]

    def clean_quotas(self) -> dict[str, int]:
        quotas, problem = parse_quotas(self.cleaned_data.get("quotas", ""))
        if problem:
            raise forms.ValidationError(problem)
        return quotas

    def to_input(self) -> CampaignInput:
        data = self.cleaned_data
        return CampaignInput(
            name=data["name"],
            goal=data.get("goal", ""),
            interview_kind=data["interview_kind"],
            public_intro=data.get("public_intro", ""),
            quotas=data["quotas"],
            availability_id=int(data["availability"]) if data.get("availability") else None,
            is_open=bool(data.get("is_open")),
        )


class QuestionForm(ErrorsMixin, forms.Form):
    text = forms.CharField(max_length=300, label="Question")
    kind = forms.ChoiceField(choices=QuestionKind.choices, label="Answer")
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line (for one or several choices).",
    )
    qualifying = forms.CharField(
        required=False,
        label="Qualifying answers",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "One per line: choices that screen a person in, or words a free-text answer must "
            "contain. Empty: the question only gathers information."
        ),
    )

    def to_input(self) -> QuestionInput:
        data = self.cleaned_data
        return QuestionInput(
            text=data["text"],
            kind=data["kind"],
            choices=lines(data.get("choices", "")),
            qualifying=lines(data.get("qualifying", "")),
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=CandidateStatus.choices)
