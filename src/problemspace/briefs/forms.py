"""The forms of the brief pages: a new brief (audience and period) and a schedule. They read and
shape input; the rules are in services.py and period.py, whose errors the views put back next
to the field they name."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms

from problemspace.briefs.models import AUDIENCE_HELP, MAX_PERIOD_DAYS, Audience, Weekday
from problemspace.briefs.period import Period, PeriodError
from problemspace.hypotheses.forms import AccessibleForm
from problemspace.workspaces.models import Member

PERIODS = [
    ("7", "The last 7 days"),
    ("14", "The last 14 days"),
    ("30", "The last 30 days"),
    ("90", "The last 90 days"),
    ("dates", "Between two dates"),
]
DATE_INPUT = forms.DateInput(attrs={"type": "date"})
DATE_ERRORS = {"invalid": "Give the date as YYYY-MM-DD, such as 2026-11-01."}


def audience_choices() -> list[tuple[str, str]]:
    return [
        (value, f"{label} — {AUDIENCE_HELP[Audience(value)]}") for value, label in Audience.choices
    ]


class BriefForm(AccessibleForm):
    audience = forms.ChoiceField(
        label="Audience",
        choices=audience_choices,
        widget=forms.RadioSelect,
        initial=Audience.EXECUTIVES,
        error_messages={"required": "Choose who the brief is for."},
    )
    period = forms.ChoiceField(
        label="Period",
        choices=PERIODS,
        initial="30",
        error_messages={"invalid_choice": "Choose a period from the list."},
    )
    start = forms.DateField(
        label="From", required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS
    )
    end = forms.DateField(
        label="To (included)", required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = data.get("period")
        if choice is None:
            return data
        try:
            if choice != "dates":
                data["chosen_period"] = Period.last_days(int(choice))
            elif not data.get("start"):
                self.add_error("start", "Give the first day of the period.")
            elif not data.get("end"):
                self.add_error("end", "Give the last day of the period.")
            else:
                data["chosen_period"] = Period.between(data["start"], data["end"], self.today)
        except PeriodError as exc:
            self.add_error("end" if choice == "dates" else "period", str(exc))
        return data


def _member_choices(members: Sequence[Member]) -> list[tuple[int, str]]:
    return [(m.pk, f"{m.display_name} ({m.user.email})") for m in members if m.user.email]


class ScheduleForm(AccessibleForm):
    audience = forms.ChoiceField(
        label="Audience",
        choices=audience_choices,
        widget=forms.RadioSelect,
        initial=Audience.EXECUTIVES,
        error_messages={"required": "Choose who the brief is for."},
    )
    period_days = forms.IntegerField(
        label="Each brief covers the last … days",
        min_value=1,
        max_value=MAX_PERIOD_DAYS,
        initial=7,
        help_text="7 for a weekly brief; 30 for a monthly view sent each week.",
        error_messages={
            "required": "Give the number of days each brief covers.",
            "invalid": "Give a whole number of days.",
            "min_value": "At least one day.",
            "max_value": f"At most {MAX_PERIOD_DAYS} days.",
        },
    )
    weekday = forms.TypedChoiceField(
        label="Sent on", choices=Weekday.choices, coerce=int, initial=Weekday.MONDAY
    )
    time_of_day = forms.TimeField(
        label="At",
        initial="08:00",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="In the server's time zone.",
        error_messages={
            "required": "Give the time it is sent at.",
            "invalid": "Give the time as HH:MM, such as 08:00.",
        },
    )
    member_ids = forms.TypedMultipleChoiceField(
        label="Members who get it",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose members of this workspace."},
    )
    emails = forms.CharField(
        label="Other email addresses",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text="One per line, such as a leadership list.",
    )
    post_to_chat = forms.BooleanField(
        label="Also post it to the workspace's chat webhooks",
        required=False,
        help_text="Chat endpoints subscribed to “brief published” on the Integrations page.",
    )
    active = forms.BooleanField(label="Active", required=False, initial=True)

    def __init__(self, *args: Any, members: Sequence[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member_ids"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = _member_choices(members)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["emails"] = [data.get("emails") or ""]
        return data
