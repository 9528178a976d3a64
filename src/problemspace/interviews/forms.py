"""The interview pages' forms: they keep what was typed and say what is wrong next to the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from problemspace.customers.models import Contact
from problemspace.evidence.forms import split_tags
from problemspace.hypotheses.models import Hypothesis
from problemspace.interviews import services
from problemspace.interviews.models import (
    DEFAULT_DURATION_MINUTES,
    MAX_DURATION_MINUTES,
    MAX_NOTES_LENGTH,
    MAX_TRANSCRIPT_LENGTH,
    Guide,
    Interview,
    Kind,
    Source,
    Status,
)
from problemspace.interviews.transcripts import FORMATS, MAX_BYTES, format_size
from problemspace.workspaces.models import Member, Workspace

# A select box of more people than this is unusable; the most recently added are offered, and
# anyone already chosen stays.
CONTACTS_OFFERED = 2000


class MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.display_name} ({obj.get_role_display().lower()})"


class ContactChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return contact_label(obj)


def contact_label(contact: Contact) -> str:
    name = contact.name or contact.email or f"contact {contact.pk}"
    return f"{name}, {contact.account.name}" if contact.account else name


class PlanForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.PROBLEM)
    goal = forms.CharField(
        max_length=300,
        help_text="What you need to learn, e.g. “How do mid-market AP teams close the month?”",
    )
    guide = forms.ModelChoiceField(
        queryset=Guide.objects.none(), required=False, empty_label="No guide"
    )
    scheduled_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    duration_minutes = forms.IntegerField(
        label="Minutes",
        min_value=1,
        max_value=MAX_DURATION_MINUTES,
        initial=DEFAULT_DURATION_MINUTES,
    )
    contacts = ContactChoice(
        queryset=Contact.objects.none(),
        required=False,
        label="Customers",
        help_text="Who you will talk to. Hold Ctrl (⌘ on a Mac) to choose several.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    attendees = MemberChoice(
        queryset=Member.objects.none(),
        required=False,
        label="Team members attending",
        help_text="Their time counts towards their hours with customers once it is held.",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, workspace: Workspace, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guides = Guide.objects.filter(workspace=workspace)
        self.fields["guide"].queryset = guides  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace
        ).select_related("user")
        chosen = [int(v) for v in self._raw("contacts") if str(v).isdigit()]
        self.fields["contacts"].queryset = _offered_contacts(  # type: ignore[attr-defined]
            workspace, chosen
        )

    def _raw(self, name: str) -> list[Any]:
        if self.is_bound:
            return list(self.data.getlist(name)) if hasattr(self.data, "getlist") else []
        value = self.initial.get(name) or []
        return [getattr(v, "pk", v) for v in value]

    def plan(self) -> services.Plan:
        data = self.cleaned_data
        return services.Plan(
            kind=data["kind"],
            goal=data["goal"],
            scheduled_at=data["scheduled_at"],
            duration_minutes=data["duration_minutes"],
            guide=data["guide"],
            contacts=list(data["contacts"]),
            attendees=list(data["attendees"]),
        )

    @staticmethod
    def initial_for(interview: Interview) -> dict[str, Any]:
        return {
            "kind": interview.kind,
            "goal": interview.goal,
            "guide": interview.guide_id,
            "scheduled_at": interview.scheduled_at,
            "duration_minutes": interview.duration_minutes,
            "contacts": list(interview.contacts.values_list("pk", flat=True)),
            "attendees": list(interview.attendees.values_list("pk", flat=True)),
        }


def _offered_contacts(workspace: Workspace, chosen: list[int]) -> QuerySet[Contact]:
    recent = list(
        Contact.objects.filter(workspace=workspace)
        .order_by("-created_at")
        .values_list("pk", flat=True)[:CONTACTS_OFFERED]
    )
    return (
        Contact.objects.filter(workspace=workspace, pk__in={*recent, *chosen})
        .select_related("account")
        .order_by("name", "email")
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)


class NotesForm(forms.Form):
    notes = forms.CharField(
        required=False,
        max_length=MAX_NOTES_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Write what they said in their words; put your own reading in [brackets].",
    )


class TranscriptForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="Upload a transcript",
        help_text=f"{', '.join(FORMATS)}; at most {format_size(MAX_BYTES)}.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(FORMATS)}),
    )
    text = forms.CharField(
        required=False,
        label="Or paste it",
        max_length=MAX_TRANSCRIPT_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("file") and not (data.get("text") or "").strip():
            self.add_error("text", "Choose a file to upload, or paste the transcript here.")
        return data


class HighlightForm(forms.Form):
    source = forms.ChoiceField(
        choices=Source.choices, initial=Source.NOTES, label="From the", widget=forms.RadioSelect
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    quote = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Select the words in the text above, or paste them here exactly as written.",
    )
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(), required=False, label="Said by", empty_label="Choose…"
    )
    tags = forms.CharField(
        required=False, max_length=300, help_text="Comma-separated, e.g. month-end, exports"
    )

    def __init__(self, interview: Interview, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contacts = interview.contacts.select_related("account")
        field = self.fields["contact"]
        field.queryset = contacts  # type: ignore[attr-defined]
        field.label_from_instance = contact_label  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") is None and not (data.get("quote") or "").strip():
            self.add_error("quote", "Select the quote in the text, or paste it here.")
        return data

    def request(self) -> services.HighlightRequest:
        data = self.cleaned_data
        return services.HighlightRequest(
            source=data["source"],
            start=data.get("start"),
            end=data.get("end"),
            quote=data.get("quote") or "",
            contact=data.get("contact"),
            tags=split_tags(data.get("tags") or ""),
        )


class DebriefForm(forms.Form):
    surprises = forms.CharField(
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What did you not expect to hear?",
    )
    assumptions = forms.ModelMultipleChoiceField(
        queryset=Hypothesis.objects.none(),
        required=False,
        label="Assumptions touched",
        widget=forms.CheckboxSelectMultiple,
        help_text="The assumptions on the map that this conversation confirmed or contradicted.",
    )
    assumptions_touched = forms.CharField(
        required=False,
        max_length=20_000,
        label="What it told you about them",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Which beliefs did this confirm or contradict, and how?",
    )

    def __init__(self, workspace: Workspace, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assumptions"]
        field.queryset = Hypothesis.objects.filter(workspace=workspace).order_by(  # type: ignore[attr-defined]
            "statement", "pk"
        )
        field.label_from_instance = _assumption_label  # type: ignore[attr-defined]


def _assumption_label(hypothesis: Hypothesis) -> str:
    return f"{hypothesis.statement} ({hypothesis.get_status_display().lower()})"


class GuideForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=Kind.choices, label="For")
    body = forms.CharField(
        required=False,
        max_length=50_000,
        strip=False,
        label="Guide",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="Ask about past behaviour, not opinions about the future.",
    )
