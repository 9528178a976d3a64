"""The forms of the roadmap pages. They read and shape input; the rules are in services.py,
whose errors the views put back next to the field they name. Numbers are read as text so what
was typed comes back as typed when something is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from problemspace.hypotheses.forms import AccessibleForm, EvidenceRefsField
from problemspace.problems.models import Problem
from problemspace.roadmap.models import (
    IMPACTS,
    MAX_REASON,
    MAX_TEXT,
    MAX_TITLE,
    Goal,
    GoalStatus,
    Horizon,
    InitiativeStatus,
)
from problemspace.roadmap.scoring import IMPACT_WORDS, format_number
from problemspace.workspaces.models import Member

NUMBER = {"inputmode": "decimal", "autocomplete": "off"}


def _number_field(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(attrs=NUMBER),
        error_messages={"required": f"Give {label.lower()} as a number."},
    )


def _owner_choices(field: forms.Field, members: Sequence[Member]) -> None:
    assert isinstance(field, forms.TypedChoiceField)
    field.choices = [("", "Nobody yet")] + [(m.pk, m.display_name) for m in members]


class GoalForm(AccessibleForm):
    objective = forms.CharField(
        label="Objective",
        max_length=MAX_TITLE,
        help_text="What the business wants to achieve, such as “Win mid-market finance teams”.",
        error_messages={"required": "Write the objective."},
    )
    description = forms.CharField(
        label="Why it matters",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = forms.TypedChoiceField(
        label="Owner",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a member of this workspace."},
    )
    period = forms.CharField(
        label="Period", required=False, max_length=40, help_text="Such as “Q1 2027” or “H2”."
    )
    due_on = forms.DateField(
        label="Judged on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Give the date as YYYY-MM-DD, such as 2027-03-31."},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=GoalStatus.choices,
        help_text="A goal becomes active once it has a key result to measure it by.",
        error_messages={"invalid_choice": "Choose one of the statuses in the list."},
    )

    def __init__(self, *args: Any, members: Sequence[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _owner_choices(self.fields["owner"], members)


class KeyResultForm(AccessibleForm):
    metric = forms.CharField(
        label="Metric",
        max_length=MAX_TITLE,
        help_text="What you measure, such as “Monthly logo churn” or “Invoices approved on a "
        "phone”.",
        error_messages={"required": "Write what you measure."},
    )
    unit = forms.CharField(label="Unit", required=False, max_length=24, help_text="%, €, days…")
    baseline = _number_field("Baseline", help_text="Where it stood when the goal was set.")
    target = _number_field(
        "Target", help_text="Below the baseline for a measure that should go down."
    )
    current = _number_field(
        "Current value", required=False, help_text="Left empty, it is the baseline."
    )
    due_on = forms.DateField(
        label="Due",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Give the date as YYYY-MM-DD, such as 2027-03-31."},
    )


IMPACT_CHOICES = [(str(i), f"{format_number(i)} — {IMPACT_WORDS[i]}") for i in IMPACTS]


class InitiativeForm(AccessibleForm):
    title = forms.CharField(
        label="Initiative",
        max_length=MAX_TITLE,
        help_text="What the team will do, such as “Approve invoices from a phone”.",
        error_messages={"required": "Write what the initiative is."},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    horizon = forms.ChoiceField(
        label="Horizon", choices=Horizon.choices, widget=forms.RadioSelect, initial=Horizon.LATER
    )
    status = forms.ChoiceField(
        label="Status", choices=InitiativeStatus.choices, initial=InitiativeStatus.PROPOSED
    )
    reason = forms.CharField(
        label="Why it goes on the roadmap",
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in its history; briefs quote it.",
    )
    problems = forms.TypedMultipleChoiceField(
        label="Customer problems it solves (the why)",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Reach and confidence come from these problems' evidence.",
        error_messages={"invalid_choice": "Choose among this workspace's problems."},
    )
    goals = forms.TypedMultipleChoiceField(
        label="Goals it serves (what for)",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose among this workspace's goals."},
    )
    evidence = EvidenceRefsField(
        label="Quotes it cites",
        required=False,
        max_length=4_000,
        help_text="Evidence numbers, such as 12, 40, or addresses of evidence pages.",
    )
    impact = forms.ChoiceField(
        label="Impact on each customer reached",
        choices=IMPACT_CHOICES,
        widget=forms.RadioSelect,
        initial="1.0",
        help_text="RICE's scale: 3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal.",
        error_messages={"invalid_choice": "Choose one of the impacts on RICE's scale."},
    )
    effort = _number_field("Effort in person-weeks", help_text="All the work: design, build, test.")
    external_url = forms.CharField(
        label="Issue tracker link",
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    owner = forms.TypedChoiceField(
        label="Owner",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a member of this workspace."},
    )
    score_override = _number_field(
        "Score set by hand",
        required=False,
        help_text="Leave empty to rank by the computed score.",
    )
    override_reason = forms.CharField(
        label="Reason for the score set by hand",
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed with a score set by hand; shown next to the score.",
    )

    def __init__(
        self,
        *args: Any,
        members: Sequence[Member],
        problems: Sequence[Problem],
        goals: Sequence[Goal],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _owner_choices(self.fields["owner"], members)
        linked = self.fields["problems"]
        assert isinstance(linked, forms.TypedMultipleChoiceField)
        linked.choices = [(p.pk, p.title) for p in problems]
        served = self.fields["goals"]
        assert isinstance(served, forms.TypedMultipleChoiceField)
        served.choices = [(g.pk, g.objective) for g in goals]
        if editing:
            # Horizon and status change by a move, which asks for its reason.
            for name in ("horizon", "status", "reason"):
                del self.fields[name]


class MoveForm(AccessibleForm):
    horizon = forms.ChoiceField(
        label="Horizon",
        choices=Horizon.choices,
        error_messages={"invalid_choice": "Choose now, next or later."},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=InitiativeStatus.choices,
        error_messages={"invalid_choice": "Choose one of the statuses in the list."},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why it moves: kept in its history, and quoted by briefs.",
    )


class ListFilterForm(forms.Form):
    horizon = forms.ChoiceField(choices=[("", "Any horizon"), *Horizon.choices], required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *InitiativeStatus.choices], required=False
    )
