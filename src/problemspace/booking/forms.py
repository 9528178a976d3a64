"""Forms parse what was typed; the checks that need the database live in schedules.py and
services.py, and their messages are put next to the fields here."""

from __future__ import annotations

from typing import Any

from django import forms

from problemspace.booking.models import Purpose, Weekday
from problemspace.booking.schedules import MAX_BUFFER_MINUTES, ScheduleError, Settings, WindowSpec
from problemspace.booking.slots import zone_names

DAY_CHOICES = [("", "Choose…")] + [(str(v), f"Every {label}") for v, label in Weekday.choices]
DAY_CHOICES.append(("date", "One date…"))


class ErrorsMixin:
    def put(self, error: ScheduleError | Any) -> None:
        for field, message in error.errors.items():
            target = field if field in self.fields else None  # type: ignore[attr-defined]
            self.add_error(target, message)  # type: ignore[attr-defined]


class AvailabilityForm(ErrorsMixin, forms.Form):
    title = forms.CharField(max_length=120, initial="Office hours")
    purpose = forms.ChoiceField(choices=Purpose.choices, initial=Purpose.OFFICE_HOURS)
    time_zone = forms.CharField(
        max_length=64,
        widget=forms.TextInput(attrs={"list": "tz-list", "autocomplete": "off"}),
        help_text="Your time zone; windows are in it, and slots follow its daylight saving.",
    )
    slot_minutes = forms.IntegerField(
        label="Slot length (minutes)", initial=30, min_value=1, max_value=1440
    )
    buffer_minutes = forms.IntegerField(
        label="Buffer between slots (minutes)",
        initial=10,
        min_value=0,
        max_value=MAX_BUFFER_MINUTES,
    )
    description = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the booking page: what people can bring to the session.",
    )
    active = forms.BooleanField(required=False, initial=True, label="Take bookings")

    def settings(self) -> Settings:
        data = self.cleaned_data
        return Settings(
            title=data["title"],
            time_zone=data["time_zone"].strip(),
            slot_minutes=data["slot_minutes"],
            buffer_minutes=data["buffer_minutes"],
            purpose=data["purpose"],
            description=data.get("description", ""),
            active=bool(data.get("active")),
        )


class WindowForm(ErrorsMixin, forms.Form):
    day = forms.ChoiceField(choices=DAY_CHOICES)
    on_date = forms.DateField(
        required=False,
        label="Date (for one date)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    starts = forms.TimeField(label="From", widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label="To", widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") == "date" and not data.get("on_date"):
            self.add_error("on_date", "Give the date of this window.")
        return data

    def spec(self) -> WindowSpec:
        data = self.cleaned_data
        weekly = data["day"] != "date"
        return WindowSpec(
            starts=data["starts"],
            ends=data["ends"],
            weekday=int(data["day"]) if weekly else None,
            on_date=None if weekly else data["on_date"],
        )


def time_zone_choices() -> list[str]:
    return zone_names()
